"""History: a finished run in, a stored `Snapshot` and the `Changes` since the previous period out.
`snapshot` (a run as values), `changes` (a pure comparison of two snapshots), `store` (SQLite)."""
