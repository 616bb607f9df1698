"""`run` and `check` as library calls: paths in, a batch and its record out. Nothing here prints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.read.batch import Batch, read_batch
from pipeline.read.discover import discover
from pipeline.history.changes import Changes, compare
from pipeline.review.batch import review_batch
from pipeline.review.controls import read_controls
from pipeline.errors import UsageError
from pipeline.read.worker import ReaderPool, worker_count
from pipeline.history.store import history_path, open_history
from pipeline.deliver.email import keep_send_record
from pipeline.outputs import check_period, outputs_lock, settle_interrupted, write_csv, write_json, write_run_folder
from pipeline.report.record import (FINDING_COLUMNS, INDICATOR_COLUMNS, SAFE_COLUMNS, PROJECT_COLUMNS,
                             finding_csv_rows, indicator_rows, project_rows, run_record)
from pipeline.settings import Settings
from pipeline.history.snapshot import snapshot_of
from pipeline.timing import Progress, frozen_heap, no_progress
from pipeline.report.parallel import Ahead, wanted, write_all

# a writer adds files to the staging run folder from the finished batch and its run.json record
Writer = Callable[[Path, Batch, dict, object], None]


@dataclass(slots=True)
class RunResult:
    batch: Batch
    record: dict
    folder: Path | None
    changes: Changes | None = None  # since the latest earlier period (what record["changes"] says)


def require_tables(paths: list[Path], advice: str, exclude: list[Path] = ()) -> int:
    """How many table files the paths hold; a usage error when none: nothing to read is never a passing run."""
    count = len(discover(paths, exclude)[0])
    if not count:
        raise UsageError(f"{'、'.join(str(p) for p in paths)} 中没有任何表格文件（.xlsx .xls .ods .csv .txt 等）。{advice}")
    return count


def check(paths: list[Path], settings: Settings = Settings()) -> Batch:
    """Read and check files or folders without writing anything."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"找不到：{'、'.join(missing)}。请检查路径。")
    require_tables(paths, "请确认路径是否正确。")
    controls = read_controls(settings.controls) if settings.controls else None
    batch = read_batch(paths, settings.limits)
    batch.sort()                # reviewed in the departments' order, as `run` does
    review_batch(batch, settings, controls, "、".join(str(p) for p in paths))
    batch.sort()
    return batch


# The report writers import xlsxwriter and jinja2 (about 0.2 s): `run` imports them while the reading
# workers start (`import_writers`), not before, so a one-file run does not wait for both in turn.
def import_writers() -> None:
    import pipeline.report.departments  # noqa: F401
    import pipeline.report.html  # noqa: F401
    import pipeline.report.xlsx  # noqa: F401


def write_report_xlsx(folder: Path, batch: Batch, record: dict, view) -> None:
    from pipeline.report.xlsx import write_report_xlsx as writer
    writer(folder, batch, record, view)


def write_departments(folder: Path, batch: Batch, record: dict, view) -> None:
    from pipeline.report.departments import write_departments as writer
    writer(folder, batch, record, view)


def write_report_html(folder: Path, batch: Batch, record: dict, view) -> None:
    from pipeline.report.html import write_report_html as writer
    writer(folder, batch, record, view)


# what `pipeline run` writes after the tables; `run(..., writers=[])` writes the tables alone
REPORT_WRITERS: list[Writer] = [write_report_xlsx, write_departments, write_report_html]


def write_tables(folder: Path, batch: Batch, record: dict, view=None) -> None:
    """The tables and run.json (what every run writes, reports or not), from the batch and its record."""
    # streamed: a table is written as its rows are made, never held whole (docs/performance.md)
    write_csv(folder / "projects.csv", project_rows(batch), PROJECT_COLUMNS, SAFE_COLUMNS)
    write_csv(folder / "indicators.csv", indicator_rows(batch), INDICATOR_COLUMNS, SAFE_COLUMNS)
    write_csv(folder / "findings.csv", finding_csv_rows(record["findings"]), FINDING_COLUMNS, set())
    write_json(folder / "run.json", record)


# what the progress bar says each writer is writing
WRITES: dict[Writer, str] = {write_tables: "projects.csv、indicators.csv、findings.csv、run.json",
                             write_report_xlsx: "report.xlsx", write_departments: "departments/ 各部门表",
                             write_report_html: "report.html、summary.html"}


def run(inputs: Path, outputs: Path, period: str, writers: list[Writer] | None = None,
        settings: Settings = Settings(), progress: Progress = no_progress,
        second_process: bool | None = None) -> RunResult:
    """Read `inputs`, write `outputs/period/` as a whole, return what was found.

    `second_process`: write report.xlsx here while the other writers run in a second process (where
    the system can fork); None decides by the batch's size and the cores there are (`writers.split`)."""
    check_period(period)
    if inputs.is_file():
        raise UsageError(f"{inputs} 是一个文件，不是文件夹：--inputs 应指向存放报表的文件夹；只检查单个文件请用 pipeline check {inputs}。")
    if not inputs.is_dir():
        raise UsageError(f"输入文件夹 {inputs} 不存在。请先建立它并放入各部门的报表，或用 --inputs 指定。")
    # an empty (or mistyped) folder must not replace a good month's results with an empty run
    count = require_tables([inputs], "本期结果未写出，请确认文件夹是否正确。", [outputs])
    controls = read_controls(settings.controls) if settings.controls else None
    limits = settings.limits
    history_file = history_path(settings, outputs)
    started = datetime.now().astimezone().isoformat(timespec="seconds")
    pool = ReaderPool(limits, worker_count(count)).start()     # read_batch waits for it, uses and closes it
    try:
        import_writers()
        with outputs_lock(outputs), open_history(history_file) as history:
            return _run(inputs, outputs, period, writers, settings, progress, controls, pool, history, started,
                        second_process)
    finally:
        pool.close()


def _run(inputs: Path, outputs: Path, period: str, writers: list[Writer] | None, settings: Settings,
         progress: Progress, controls, pool: ReaderPool, history, started: str,
         second_process: bool | None) -> RunResult:
    batch = read_batch([inputs], pool.limits, progress, exclude=[outputs], pool=pool)  # outputs: never input
    batch.sort()                # the departments' order is the reports' from here on, before the review
    settle_interrupted(outputs, period, history.started(period))   # after a run killed mid-swap
    made: dict = {}

    def write(folder: Path) -> None:
        from pipeline.report.view import build_view

        chosen = [write_tables, *(REPORT_WRITERS if writers is None else writers)]
        # the review, the record and the writers allocate per indicator: the batch read so far is
        # hidden from the collector meanwhile (timing.frozen_heap), and so from a forked child's too
        with frozen_heap():
            ahead = (Ahead(folder, batch, period, started)
                     if wanted(chosen, write_report_xlsx, batch, second_process) else None)
            try:
                if ahead is not None:
                    ahead.start()
                record, snapshot = _reviewed(batch, settings, controls, str(inputs), period, started, history)
                # all or nothing: the history rows are made (and checked) now, written while the last
                # report is, committed once the new folder is in place (or the previous one goes back)
                made.update(record=record, recording=history.prepare(snapshot))
                with batch.timings.stage("view"):
                    view = build_view(batch, record)   # once: every report renders the same view
                if ahead is not None:
                    ahead.send(view)
                here = [w for w in chosen if ahead is None or w is not write_report_xlsx]
                write_all(folder, (batch, record, view), here, ahead, write_report_xlsx, progress=progress,
                          timings=batch.timings, labels=WRITES, meanwhile=made["recording"].write)
            finally:
                if ahead is not None:
                    ahead.stop()
        keep_send_record(outputs / period, folder)

    def commit() -> None:
        with batch.timings.stage("history"):
            made["recording"].commit()

    try:
        folder = write_run_folder(outputs, period, write, commit=commit)
    finally:
        if "recording" in made:
            made["recording"].abandon()     # a failed run's rows go (once committed, nothing to do)
    return RunResult(batch, made["record"], folder, batch.changes)


def _reviewed(batch: Batch, settings: Settings, controls, label: str, period: str, started: str,
              history) -> tuple[dict, object]:
    """Review the read batch; its run.json record (with the changes since the latest earlier period)
    and its history snapshot."""
    review_batch(batch, settings, controls, label)
    batch.sort()
    record = run_record(batch, period, started)
    with batch.timings.stage("changes"):
        snapshot = snapshot_of(batch, record)
        batch.changes = compare(history.latest_before(period), snapshot)
        record["changes"] = batch.changes.as_dict()
    return record, snapshot
