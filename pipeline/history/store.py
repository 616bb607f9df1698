"""The history of runs: an SQLite database, one record per period (docs/outputs.md, history.sqlite).

`open_history` opens (or creates) the database and migrates its schema forward (`PRAGMA user_version`
counts the migrations applied). `History.prepare` turns a run's `Snapshot` into rows (history/rows.py)
and returns the `Recording` that writes them in one transaction that first deletes the period's
earlier record, so a re-run replaces it and a process killed half-way leaves the database as it was:
the run writes the rows while its last report is still being written and commits them once its folder
is in place, and puts the previous folder back if the commit fails (`run.py`), so the record and the
folder never disagree. Money is stored as integer 分, never as a float (history/rows.py).

The path is `[history] path` in pipeline.toml (relative to that file's folder), else
`OUTPUTS/history.sqlite` (`history_path`). Nothing here prints; what stops a command is a `UsageError`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from pipeline.history.changes import Changes, compare
from pipeline.errors import UsageError, os_cause, shown_path
from pipeline.findings import Finding
from pipeline.history.rows import from_fen, snapshot_rows, stored_params
from pipeline.outputs import check_period
from pipeline.settings import Settings
from pipeline.history.schema import MIGRATIONS, SCHEMA_VERSION
from pipeline.history.snapshot import DepartmentState, IndicatorState, InputState, ProjectState, Snapshot

DEFAULT_NAME = "history.sqlite"

TABLES = ("inputs", "departments", "projects", "indicators", "findings", "runs")  # children before runs


@dataclass(frozen=True, slots=True)
class RecordedRun:
    """One line of `pipeline history`."""

    period: str
    started: str
    recorded: str
    status: str
    departments: int
    projects: int
    indicators: int
    errors: int
    total: Decimal
    form_projects: int = 0         # projects read from per-project forms rather than a published table


def history_path(settings: Settings, outputs: Path) -> Path:
    """`[history] path` from pipeline.toml (relative to its folder), else OUTPUTS/history.sqlite."""
    return settings.history if settings.history is not None else outputs / DEFAULT_NAME


@contextmanager
def open_history(path: Path, *, create: bool = True) -> Iterator["History"]:
    """The history database at `path`, migrated to the current schema; created when missing and `create`."""
    try:
        if not path.exists():
            if not create:
                raise UsageError(f"历史数据库 {shown_path(path)} 不存在：还没有记录过任何一期。请先运行 pipeline run，"
                                 "或用 --db 指定数据库文件。")
            path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    except OSError as exc:
        raise UsageError(f"无法建立历史数据库 {shown_path(path)}：{os_cause(exc)}。{WHERE_ELSE}") from None
    except sqlite3.Error as exc:
        raise UsageError(f"无法打开历史数据库 {shown_path(path)}：{_sqlite_cause(path, exc)}。{WHERE_ELSE}") from None
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        history = History(connection, path)
        history.migrate()
        yield history
    finally:
        connection.close()


WHERE_ELSE = "请在 pipeline.toml 的 [history] path（或 --db）中换一个较短、可写的路径；以前各期的记录未受影响"
SQLITE_MAX_PATH = 512   # SQLite's unix VFS refuses longer full paths, even where the system accepts them


def _sqlite_cause(path: Path, exc: sqlite3.Error) -> str:
    if len(os.fsencode(os.path.abspath(path))) > SQLITE_MAX_PATH:
        return f"路径太长（SQLite 只接受 {SQLITE_MAX_PATH} 字节以内的路径）"
    return f"SQLite 打不开这个文件（{exc}：所在文件夹可能不可写，或磁盘已满）"


class History:
    def __init__(self, connection: sqlite3.Connection, path: Path):
        self.connection, self.path = connection, path

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: COMMIT at the end, ROLLBACK on any error; a killed process leaves a journal
        that SQLite rolls back the next time the file is opened."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def migrate(self) -> None:
        try:
            if self.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                return
            # a table is rebuilt by dropping it: with foreign keys on, dropping `runs` would delete every
            # row that refers to it (the pragma has no effect inside a transaction, so it is set outside)
            self.connection.execute("PRAGMA foreign_keys = OFF")
            try:
                self._migrate()
            finally:
                self.connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise UsageError(f"历史数据库 {self.path} 无法使用（{exc}），文件可能已损坏或不是数据库。"
                             "请把它移到别处保存，再重新运行：程序会建立一个新的历史数据库。") from None

    def _migrate(self) -> None:
        with self.transaction() as db:
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise UsageError(f"历史数据库 {self.path} 由更新版本的 pipeline 建立（结构版本 {version}，"
                                     f"本程序只认识到 {SCHEMA_VERSION}）。请升级 pipeline 后再运行。")
                for number in range(version, SCHEMA_VERSION):
                    for statement in MIGRATIONS[number]:
                        db.execute(statement)
                if db.execute("PRAGMA foreign_key_check").fetchone() is not None:
                    raise sqlite3.IntegrityError("foreign key check failed after migration")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def record(self, snapshot: Snapshot) -> None:
        """Write the run, replacing the period's earlier record, in one transaction."""
        self.prepare(snapshot).commit()

    def prepare(self, snapshot: Snapshot) -> "Recording":
        """Convert the run to rows now; the `Recording` writes them in one transaction. The run commits
        it once its new folder is in place (outputs.write_run_folder), and puts the previous folder
        back when that fails: the history never records a run whose folder is not there, nor is a
        folder left in place that the history does not record. A value the database cannot hold fails
        here, before any folder is swapped."""
        return Recording(self, snapshot.period,
                         snapshot_rows(snapshot, datetime.now().astimezone().isoformat(timespec="seconds")))

    def _failed(self, exc: sqlite3.Error) -> UsageError:
        return UsageError(f"无法把本次运行记入历史数据库 {self.path}：{exc}。本期结果未写出（上次的结果保持不变），"
                          "请排除问题后重新运行本期。")

    def started(self, period: str) -> str | None:
        """run.json's `started` of the period's recorded run, or None when the period is not recorded."""
        row = self.connection.execute("SELECT started FROM runs WHERE period = ?", (period,)).fetchone()
        return None if row is None else row[0]

    def runs(self) -> list[RecordedRun]:
        """Every recorded period, oldest first."""
        rows = self.connection.execute(
            """SELECT r.period, r.started, r.recorded, r.status,
                      (SELECT count(*) FROM departments WHERE period = r.period),
                      (SELECT count(*) FROM projects WHERE period = r.period),
                      (SELECT count(*) FROM indicators WHERE period = r.period),
                      (SELECT count(*) FROM findings WHERE period = r.period AND severity = 'error'),
                      r.total_fen,
                      (SELECT count(*) FROM projects WHERE period = r.period AND layout = 'form')
               FROM runs AS r ORDER BY r.period""").fetchall()
        return [RecordedRun(*row[:8], from_fen(row[8]), row[9]) for row in rows]

    def latest_before(self, period: str) -> Snapshot | None:
        """The latest period recorded before `period` (YYYY-MM sorts as text), or None."""
        row = self.connection.execute("SELECT max(period) FROM runs WHERE period < ?", (period,)).fetchone()
        return None if row[0] is None else self.snapshot(row[0])

    def changes_between(self, old: str, new: str) -> Changes:
        """What changed from period `old` to period `new`, both recorded; an unknown period is a UsageError."""
        snapshots = []
        for period in (old, new):
            snapshot = self.snapshot(check_period(period))
            if snapshot is None:
                recorded = "、".join(r.period for r in self.runs()) or "无"
                raise UsageError(f"期间 {period} 不在历史数据库 {self.path} 中（已记录：{recorded}）。"
                                 "请用 pipeline history 查看已记录的期间，或先运行 pipeline run --period " + period + "。")
            snapshots.append(snapshot)
        return compare(*snapshots)

    def snapshot(self, period: str) -> Snapshot | None:
        """The recorded run of `period`, as `snapshot_of` made it; None when the period is not recorded."""
        db = self.connection
        run = db.execute("SELECT started, status, total_fen, total_unknown, unknown_amounts FROM runs WHERE period = ?",
                         (period,)).fetchone()
        if run is None:
            return None

        def rows(table: str, columns: str) -> list[tuple]:
            return db.execute(f"SELECT {columns} FROM {table} WHERE period = ? ORDER BY position", (period,)).fetchall()

        return Snapshot(
            period=period, started=run[0], status=run[1], total=from_fen(run[2]),
            inputs=tuple(InputState(*r) for r in rows("inputs", "file, sha256, status, reason")),
            departments=tuple(
                DepartmentState(name, file, sheet, unit, from_fen(total), from_fen(declared), from_fen(control),
                                bool(reconciled), total_unknown, unknown, layout)
                for name, file, sheet, unit, total, declared, control, reconciled, total_unknown, unknown, layout
                in rows("departments", "name, file, sheet, unit, total_fen, declared_total_fen, control_total_fen, "
                                       "reconciled, total_unknown, unknown_amounts, layout")),
            projects=tuple(
                ProjectState(*r[:3], *(from_fen(v) for v in r[3:7]), *r[7:])
                for r in rows("projects", "department, spending_unit, name, total_fen, fiscal_fen, special_account_fen, "
                                          "other_fen, goal, source_file, source_sheet, source_row, layout")),
            indicators=tuple(IndicatorState(*r) for r in rows(
                "indicators", "department, spending_unit, project, seq, level1, level2, name, period_value, "
                              "annual_value, source_file, source_sheet, source_row")),
            findings=tuple(Finding(*r[:8], stored_params(r[8])) for r in rows(
                "findings", "code, severity, file, sheet, cell, department, project, message, params")),
            total_unknown=run[3], unknown_amounts=run[4],
        )


class Recording:
    """A run's history rows on their way in, in one transaction that first deletes the period's
    earlier record. `write` inserts them, not yet committed, while the run still waits for its last
    report (the database is locked for writing meanwhile, readers still read the earlier record);
    `commit` makes them the period's record, writing them first if `write` was not called; `abandon`
    takes them back. A process killed before the commit leaves a journal that SQLite rolls back
    the next time the file is opened."""

    def __init__(self, history: History, period: str, rows: dict[str, list[tuple]]):
        self.history, self.period, self.rows = history, period, rows
        self.open: ExitStack | None = None

    def write(self) -> None:
        if self.open is not None:
            return
        self.open = ExitStack()
        try:
            db = self.open.enter_context(self.history.transaction())
            for table in TABLES:
                db.execute(f"DELETE FROM {table} WHERE period = ?", (self.period,))
            for table, values in self.rows.items():
                if values:
                    db.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(values[0]))})", values)
        except BaseException as exc:
            self.abandon()
            if isinstance(exc, sqlite3.Error):
                raise self.history._failed(exc) from None
            raise

    def commit(self) -> None:
        self.write()
        stack, self.open = self.open, None
        try:
            stack.close()               # COMMIT
        except sqlite3.Error as exc:    # the transaction rolled back
            raise self.history._failed(exc) from None

    def abandon(self) -> None:
        stack, self.open = self.open, None
        if stack is not None:
            try:
                stack.__exit__(RuntimeError, RuntimeError("abandoned"), None)   # ROLLBACK
            except sqlite3.Error:
                pass                    # a broken connection: SQLite rolls the journal back on the next open
