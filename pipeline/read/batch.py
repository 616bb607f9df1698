"""Run the reading stages over a batch of files: discover → guard → sheets → layout → normalise.

`read_batch` is the library entry point; it never prints and never raises for a data problem: a file
that cannot be read is listed as rejected with a finding, and the batch goes on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pipeline.read.copies import drop_sheet_copies
from pipeline.read.discover import Candidate, discover
from pipeline.findings import Finding, finding, has_errors, sort_key
from pipeline.read.form_combine import combine_forms
from pipeline.read.forms import find_forms, read_form
from pipeline.read.guard import Limits
from pipeline.read.layout import find_tables
from pipeline.model import ZERO, Department, InputFile, RowCount, department_key
from pipeline.read.normalise import build_department
from pipeline.read.resubmissions import listed, newest_and_older, skip_unused_files
from pipeline.read.outcome import Outcome
from pipeline.read.worker import ReaderPool, worker_count
from pipeline.timing import Progress, Timings, no_progress


@dataclass(slots=True)
class Batch:
    inputs: list[InputFile] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    checks: list = field(default_factory=list)  # review.reconcile.Check, added by the review
    findings: list[Finding] = field(default_factory=list)
    control_totals: dict[str, Decimal] = field(default_factory=dict)
    timings: Timings = field(default_factory=Timings)  # department -> 控制数 (controls.py)
    changes: object = None  # history.changes.Changes since the last period, added by the run
    reader_peak_mib: float = 0.0    # the highest peak memory of a reading process (benchmarks/)

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)

    @property
    def total(self) -> Decimal:
        return sum((d.total for d in self.departments), ZERO)

    def sort(self) -> None:
        """Findings errors first; departments by name, wherever in the inputs folder their file was
        (a subfolder's department no longer comes last)."""
        self.findings.sort(key=sort_key)
        self.departments.sort(key=lambda d: (d.name, d.file))


def read_batch(paths: list[Path], limits: Limits = Limits(), progress: Progress = no_progress,
               exclude: list[Path] = (), pool: ReaderPool | None = None) -> Batch:
    """Read every table file under `paths` into one checked batch; folders in `exclude` (the run's
    outputs) are listed as skipped, never read.

    The files are read in worker processes (worker.py), so a file that crashes or exhausts the reader
    costs only itself; their sheets are parsed here, file by file in the order of `discover`. `pool`:
    one already being started (`ReaderPool.start`), used and closed here.
    """
    candidates, skipped = discover(paths, exclude)
    batch = Batch()
    with pool or ReaderPool(limits, worker_count(len(candidates))) as pool, collector_paused():
        outcomes = pool.read([c.path for c in candidates])
        for done, candidate in enumerate(candidates):
            progress("read", done, len(candidates), candidate.name)   # the file being read, named
            with batch.timings.stage("read"):
                outcome = next(outcomes)
            read_file(candidate, batch, outcome)
    progress("read", len(candidates), len(candidates), "")
    batch.inputs.extend(skipped)
    supersede_resubmissions(batch)
    combine_forms(batch)
    return batch


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while the files are read and parsed, as it was before after.

    Reading makes no reference cycles (tests/read/test_batch.py checks it), so the collector would
    find nothing; yet every few hundred allocations it ran, and as the batch grew each full collection
    walked all of it again: a quarter of the parsing's CPU at N = 500. Reference counting still frees
    each file's sheets as soon as they are parsed."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def read_file(candidate: Candidate, batch: Batch, outcome: Outcome) -> None:
    """Add one file's outcome to the batch; whatever went wrong, the file is accounted for."""
    entry = InputFile(candidate.name, outcome.sha256, "ok", None)
    batch.reader_peak_mib = max(batch.reader_peak_mib, outcome.peak_mib)
    entry.modified = outcome.modified or 0.0
    batch.inputs.append(entry)
    if outcome.sheets is None:
        _reject(batch, entry, outcome.code or "unreadable_file", outcome.reason or "无法读取")
        return
    with batch.timings.stage("parse"):
        _parse_sheets(batch, entry, outcome.sheets)


def _parse_sheets(batch: Batch, entry: InputFile, sheets: list) -> None:
    name = entry.file
    for note in dict.fromkeys(note for sheet in sheets for note in sheet.notes):
        batch.findings.append(finding("read_note", file=name, note=note))
    found, empty_sheets, failed = 0, [], []
    parsed = []
    for sheet in sheets:
        try:
            forms = find_forms(sheet)      # before the table detector: a form is never read as a table
            if forms:
                results = [read_form(sheet, span, name) for span in forms]
            elif tables := find_tables(sheet):
                results = [build_department(sheet, table, name) for table in tables]
            else:
                empty_sheets.append(sheet)
                continue
        except Exception as exc:  # a bug on one sheet must not stop the batch, nor drop the other sheets
            failed.append(sheet)
            entry.rows.add(RowCount(read=len(sheet.rows), rejected=len(sheet.rows)))
            batch.findings.append(finding("unreadable_file", file=name, sheet=sheet.name or None,
                                          variant="sheet_failed", error=type(exc).__name__))
            continue
        parsed.extend((sheet, result) for result in results)
    batch.findings.extend(drop_sheet_copies(name, parsed))
    for _, result in parsed:
        found += 1
        entry.rows.add(result.rows)
        batch.findings.extend(result.findings)
        if result.department is not None:
            batch.departments.append(result.department)
    if not found:
        read = sum(len(sheet.rows) for sheet in sheets)
        if failed:
            entry.status, entry.reason = "rejected", "没有能读取的工作表"
            entry.rows = RowCount(read=read, rejected=read)
            return
        _reject(batch, entry, "no_table",
                "文件中没有找到项目支出绩效目标表：没有一行表头含「项目名称」及「总计/绩效目标/绩效指标」等列，"
                "也没有「项目名称」「资金情况」栏目下接「一级指标/二级指标/三级指标」的项目申报表。"
                "请确认文件内容，或使用标准表样重新填报", RowCount(read=read, rejected=read))
        return
    for sheet in empty_sheets:
        batch.findings.append(finding("sheet_without_table", file=name, sheet=sheet.name or None,
                                      hidden=int(not sheet.visible), row_count=len(sheet.rows)))


def _reject(batch: Batch, entry: InputFile, code: str, reason: str, rows: RowCount | None = None) -> None:
    entry.status, entry.reason = "rejected", reason
    entry.rows = rows or RowCount()
    # the reason is a whole sentence on its own (the CLI lists it after the file name)
    params = {"variant": "rejected"} if code == "unreadable_file" else {}
    batch.findings.append(finding(code, file=entry.file, reason=reason, **params))


def supersede_resubmissions(batch: Batch) -> None:
    """The same department in several files: keep the table of the most recently modified file.

    The others are dropped with their findings; a file left with no department is listed as skipped,
    and a `duplicate_department` warning names every file involved. Tables of one department within
    one file (a department spread over two sheets) are parts of one submission and are all kept.
    Per-project forms are not compared here: a department sends one per project, in many files, and
    `form_combine.combine_forms` groups them (a form is resubmitted only with the same project).
    """
    by_name: dict[str, list[Department]] = {}
    for department in batch.departments:
        if department.layout == "form":
            continue                       # forms: one per project, combined by form_combine
        by_name.setdefault(department_key(department.name), []).append(department)
    entries = {i.file: i for i in batch.inputs}
    dropped: list[Department] = []
    for kept, older in newest_and_older(by_name.values(), entries):
        name = kept.name
        dropped.extend(older)
        batch.findings.append(finding("duplicate_department", file=kept.file, sheet=kept.sheet or None,
                                      department=name, older_files=listed(older)))
    if not dropped:
        return
    gone = {(d.file, d.sheet, d.name) for d in dropped}
    batch.departments = [d for d in batch.departments if (d.file, d.sheet, d.name) not in gone]
    # one lookup per finding and per dropped copy, not a scan of the batch each (N = 2,000, 5% resent)
    batch.findings = [f for f in batch.findings if (f.file, f.sheet or "", f.department) not in gone]
    newer: dict[str, str] = {}
    for kept in batch.departments:
        if kept.layout == "table":
            newer.setdefault(department_key(kept.name), kept.file)

    def reason(d: Department) -> str:
        return f"部门「{d.name}」已由更新的「{newer[department_key(d.name)]}」取代，本文件未采用"

    skip_unused_files(batch.departments, dropped, entries, reason)
