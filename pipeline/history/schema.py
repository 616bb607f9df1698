"""The history database's schema, as the migrations that build it (`PRAGMA user_version` counts those applied).

MIGRATIONS[n] takes the schema from version n to n + 1; never edit one that has shipped, add another.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, ...]] = [(
    """CREATE TABLE runs (
        period TEXT PRIMARY KEY, started TEXT NOT NULL, recorded TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'failed')), total_fen INTEGER NOT NULL) STRICT""",
    """CREATE TABLE inputs (
        period TEXT NOT NULL REFERENCES runs ON DELETE CASCADE, position INTEGER NOT NULL,
        file TEXT NOT NULL, sha256 TEXT, status TEXT NOT NULL, reason TEXT,
        PRIMARY KEY (period, position)) STRICT""",
    """CREATE TABLE departments (
        period TEXT NOT NULL REFERENCES runs ON DELETE CASCADE, position INTEGER NOT NULL,
        name TEXT NOT NULL, file TEXT NOT NULL, sheet TEXT NOT NULL, unit TEXT NOT NULL,
        total_fen INTEGER NOT NULL, declared_total_fen INTEGER, control_total_fen INTEGER,
        reconciled INTEGER NOT NULL, PRIMARY KEY (period, position)) STRICT""",
    """CREATE TABLE projects (
        period TEXT NOT NULL REFERENCES runs ON DELETE CASCADE, position INTEGER NOT NULL,
        department TEXT NOT NULL, spending_unit TEXT NOT NULL, name TEXT NOT NULL,
        total_fen INTEGER NOT NULL, fiscal_fen INTEGER NOT NULL, special_account_fen INTEGER NOT NULL,
        other_fen INTEGER NOT NULL, goal TEXT NOT NULL,
        source_file TEXT NOT NULL, source_sheet TEXT NOT NULL, source_row INTEGER NOT NULL,
        PRIMARY KEY (period, position)) STRICT""",
    """CREATE TABLE indicators (
        period TEXT NOT NULL REFERENCES runs ON DELETE CASCADE, position INTEGER NOT NULL,
        department TEXT NOT NULL, spending_unit TEXT NOT NULL, project TEXT NOT NULL, seq INTEGER NOT NULL,
        level1 TEXT NOT NULL, level2 TEXT NOT NULL, name TEXT NOT NULL,
        period_value TEXT NOT NULL, annual_value TEXT NOT NULL,
        source_file TEXT NOT NULL, source_sheet TEXT NOT NULL, source_row INTEGER NOT NULL,
        PRIMARY KEY (period, position)) STRICT""",
    """CREATE TABLE findings (
        period TEXT NOT NULL REFERENCES runs ON DELETE CASCADE, position INTEGER NOT NULL,
        code TEXT NOT NULL, severity TEXT NOT NULL, file TEXT NOT NULL, sheet TEXT, cell TEXT,
        department TEXT, project TEXT, message TEXT NOT NULL,
        PRIMARY KEY (period, position)) STRICT""",
)]
# 2: money columns hold integer 分 or, beyond 64 bits, its text (ANY); project amounts may be NULL
# (unknown); the counts of unknown amounts; the status `warnings`. SQLite cannot change a column, so
# each table is rebuilt (with foreign keys off, see History.migrate, so dropping `runs` cascades nothing).
MIGRATIONS.append((
    """CREATE TABLE runs_v2 (
        period TEXT PRIMARY KEY, started TEXT NOT NULL, recorded TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'warnings', 'failed')), total_fen ANY NOT NULL,
        total_unknown INTEGER NOT NULL DEFAULT 0, unknown_amounts INTEGER NOT NULL DEFAULT 0) STRICT""",
    "INSERT INTO runs_v2 (period, started, recorded, status, total_fen) "
    "SELECT period, started, recorded, status, total_fen FROM runs",
    "DROP TABLE runs",
    "ALTER TABLE runs_v2 RENAME TO runs",
    """CREATE TABLE departments_v2 (
        period TEXT NOT NULL REFERENCES runs ON DELETE CASCADE, position INTEGER NOT NULL,
        name TEXT NOT NULL, file TEXT NOT NULL, sheet TEXT NOT NULL, unit TEXT NOT NULL,
        total_fen ANY NOT NULL, declared_total_fen ANY, control_total_fen ANY,
        reconciled INTEGER NOT NULL, total_unknown INTEGER NOT NULL DEFAULT 0,
        unknown_amounts INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (period, position)) STRICT""",
    "INSERT INTO departments_v2 (period, position, name, file, sheet, unit, total_fen, declared_total_fen, "
    "control_total_fen, reconciled) SELECT period, position, name, file, sheet, unit, total_fen, "
    "declared_total_fen, control_total_fen, reconciled FROM departments",
    "DROP TABLE departments",
    "ALTER TABLE departments_v2 RENAME TO departments",
    """CREATE TABLE projects_v2 (
        period TEXT NOT NULL REFERENCES runs ON DELETE CASCADE, position INTEGER NOT NULL,
        department TEXT NOT NULL, spending_unit TEXT NOT NULL, name TEXT NOT NULL,
        total_fen ANY, fiscal_fen ANY, special_account_fen ANY, other_fen ANY, goal TEXT NOT NULL,
        source_file TEXT NOT NULL, source_sheet TEXT NOT NULL, source_row INTEGER NOT NULL,
        PRIMARY KEY (period, position)) STRICT""",
    "INSERT INTO projects_v2 SELECT * FROM projects",
    "DROP TABLE projects",
    "ALTER TABLE projects_v2 RENAME TO projects",
))
# 3: whether a department and a project came from the published table or from per-project forms
MIGRATIONS.append((
    "ALTER TABLE departments ADD COLUMN layout TEXT NOT NULL DEFAULT 'table'",
    "ALTER TABLE projects ADD COLUMN layout TEXT NOT NULL DEFAULT 'table'",
))
# 4: a finding's parameters (findings.params_json: a JSON object, keys sorted, a Decimal as its exact text);
# NULL for the findings of periods recorded before (history.changes keys those by their message)
MIGRATIONS.append((
    "ALTER TABLE findings ADD COLUMN params TEXT",
))
SCHEMA_VERSION = len(MIGRATIONS)
