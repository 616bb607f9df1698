"""The history of runs: an SQLite database, one record per period (docs/outputs.md, history.sqlite).

`open_history` opens (or creates) the database and migrates its schema forward (`PRAGMA user_version`
counts the migrations applied). `History.prepare` turns a run's `Snapshot` into rows and returns the
function that writes them in one transaction that first deletes the period's earlier record, so a re-run
replaces it and a process killed half-way leaves the database as it was; the run calls it once its
folder is in place and puts the previous folder back if it fails (`run.py`), so the record and the
folder never disagree. Money is stored as integer 分 (1 万元 = 1,000,000 分), never as a float;
an amount beyond SQLite's 64-bit integers is stored as the text of its exact number of 分, and an amount
that could not be read is NULL.

The path is `[history] path` in pipeline.toml (relative to that file's folder), else
`OUTPUTS/history.sqlite` (`history_path`). Nothing here prints; what stops a command is a `UsageError`.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from pipeline.history.changes import Changes, compare
from pipeline.errors import UsageError, os_cause, shown_path
from pipeline.findings import Finding, Params, params_json
from pipeline.money import EXACT, FEN
from pipeline.outputs import check_period
from pipeline.settings import Settings
from pipeline.history.schema import MIGRATIONS, SCHEMA_VERSION
from pipeline.history.snapshot import DepartmentState, IndicatorState, InputState, ProjectState, Snapshot

DEFAULT_NAME = "history.sqlite"

INT64 = 2 ** 63 - 1
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
        self.prepare(snapshot)()

    def prepare(self, snapshot: Snapshot) -> Callable[[], None]:
        """Convert the run to rows now, and return the function that writes them in one transaction.
        The run calls it once its new folder is in place (outputs.write_run_folder), and puts the previous
        folder back when it fails: the history never records a run whose folder is not there, nor is a
        folder left in place that the history does not record. A value the database cannot hold fails
        here, before any folder is swapped."""
        rows = _rows(snapshot, datetime.now().astimezone().isoformat(timespec="seconds"))

        def commit() -> None:
            try:
                with self.transaction() as db:
                    for table in TABLES:
                        db.execute(f"DELETE FROM {table} WHERE period = ?", (snapshot.period,))
                    for table, values in rows.items():
                        if values:
                            db.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(values[0]))})", values)
            except sqlite3.Error as exc:
                raise self._failed(exc) from None

        return commit

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
            findings=tuple(Finding(*r[:8], _params(r[8])) for r in rows(
                "findings", "code, severity, file, sheet, cell, department, project, message, params")),
            total_unknown=run[3], unknown_amounts=run[4],
        )


def _rows(snapshot: Snapshot, recorded: str) -> dict[str, list[tuple]]:
    """Every row the snapshot is stored as, by table (children after `runs`)."""
    period = snapshot.period
    return {
        "runs": [(period, snapshot.started, recorded, snapshot.status, to_fen(snapshot.total),
                  snapshot.total_unknown, snapshot.unknown_amounts)],
        "inputs": [(period, n, i.file, i.sha256, i.status, i.reason) for n, i in enumerate(snapshot.inputs)],
        "departments": [(period, n, d.name, d.file, d.sheet, d.unit, to_fen(d.total), to_fen(d.declared_total),
                         to_fen(d.control_total), int(d.reconciled), d.total_unknown, d.unknown_amounts, d.layout)
                        for n, d in enumerate(snapshot.departments)],
        "projects": [(period, n, p.department, p.spending_unit, p.name, to_fen(p.total), to_fen(p.fiscal),
                      to_fen(p.special_account), to_fen(p.other), p.goal, p.source_file, p.source_sheet,
                      p.source_row, p.layout) for n, p in enumerate(snapshot.projects)],
        "indicators": [(period, n, i.department, i.spending_unit, i.project, i.seq, i.level1, i.level2, i.name,
                        i.period_value, i.annual_value, i.source_file, i.source_sheet, i.source_row)
                       for n, i in enumerate(snapshot.indicators)],
        "findings": [(period, n, f.code, f.severity, f.file, f.sheet, f.cell, f.department, f.project, f.message,
                      params_json(f.params)) for n, f in enumerate(snapshot.findings)],
    }


def _params(stored: str | None) -> Params | None:
    """A finding's parameters as stored (None for a period recorded before they were kept). A Decimal
    comes back as its exact text, as run.json has it; `changes.finding_key` compares it so."""
    return None if stored is None else tuple(sorted(json.loads(stored).items()))


def to_fen(amount: Decimal | None) -> int | str | None:
    """万元 → integer 分, exactly (amounts are read to the 分; anything finer is a bug, not a rounding).
    Beyond SQLite's 64-bit integers, the exact number of 分 as text; None (unknown) stays None."""
    if amount is None:
        return None
    fen = EXACT.divide(amount, FEN)
    if fen != fen.to_integral_value(context=EXACT):
        raise ValueError(f"{amount} 万元 is finer than one 分")
    number = int(fen)
    return number if -INT64 - 1 <= number <= INT64 else str(number)


def from_fen(fen: int | str | None) -> Decimal | None:
    return None if fen is None else EXACT.multiply(Decimal(fen), FEN).quantize(FEN, context=EXACT)
