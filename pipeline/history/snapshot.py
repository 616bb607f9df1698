"""One period's results as the history keeps them and `changes` compares them.

A `Snapshot` is built from a finished batch (its projects and indicators as `review.rows` flattens them)
and its run.json record (`snapshot_of`), stored by
`history.History.record` and read back by `History.snapshot`; either way it is the same value, so a
comparison made during a run and one made later by `pipeline diff` agree. Amounts stay exact
`Decimal`s in 万元 (to the 分, as `money.py` reads them).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from pipeline.read.batch import Batch
from pipeline.findings import Finding
from pipeline.review.rows import DepartmentLine, department_lines, indicator_lines, project_lines


@dataclass(frozen=True, slots=True)
class InputState:
    file: str
    sha256: str | None
    status: str                    # ok | rejected | skipped
    reason: str | None


@dataclass(frozen=True, slots=True)
class DepartmentState:
    name: str
    file: str
    sheet: str
    unit: str                      # the money unit the table was written in
    total: Decimal                 # the sum of its projects
    declared_total: Decimal | None  # the 合计 row
    control_total: Decimal | None  # the approved control figure, when a controls file gave one
    reconciled: bool
    total_unknown: int = 0         # projects whose 总计 could not be read (left out of `total`)
    unknown_amounts: int = 0       # project amount cells that could not be read, any column
    layout: str = "table"          # table (the published table) or form (compiled from per-project forms)


class ProjectState(NamedTuple):   # a tuple, as a run makes tens of thousands of states (review/rows.py)
    department: str
    spending_unit: str
    name: str
    total: Decimal | None          # None: the amount could not be read
    fiscal: Decimal | None
    special_account: Decimal | None
    other: Decimal | None
    goal: str
    source_file: str
    source_sheet: str
    source_row: int
    layout: str = "table"          # table or form


class IndicatorState(NamedTuple):
    department: str
    spending_unit: str
    project: str
    seq: int
    level1: str
    level2: str
    name: str
    period_value: str
    annual_value: str              # 年度指标值 as written: the target `changes` compares
    source_file: str
    source_sheet: str
    source_row: int


project_state, indicator_state = ProjectState._make, IndicatorState._make   # tuple.__new__: the fast way in


@dataclass(frozen=True, slots=True)
class Snapshot:
    period: str
    started: str                   # run.json's `started`
    status: str                    # ok | warnings | failed (vocabulary.py)
    total: Decimal
    inputs: tuple[InputState, ...]
    departments: tuple[DepartmentState, ...]
    projects: tuple[ProjectState, ...]
    indicators: tuple[IndicatorState, ...]
    findings: tuple[Finding, ...]  # errors first, as in run.json
    total_unknown: int = 0         # projects whose 总计 could not be read (left out of `total`)
    unknown_amounts: int = 0       # project amount cells that could not be read


def snapshot_of(batch: Batch, record: dict) -> Snapshot:
    """The run as history keeps it: exact amounts from the batch, its status as run.json has it."""
    return Snapshot(
        period=record["period"], started=record["started"], status=record["status"], total=batch.total,
        inputs=tuple(InputState(i.file, i.sha256, i.status, i.reason) for i in batch.inputs),
        departments=tuple(_department_state(line) for line in department_lines(batch)),
        projects=tuple(
            project_state((p.department, p.spending_unit, p.name, p.amounts.total, p.amounts.fiscal,
                           p.amounts.special_account, p.amounts.other, p.goal, p.source.file, p.source.sheet,
                           p.source.row, p.layout))
            for p in project_lines(batch)),
        indicators=tuple(
            indicator_state((p.department, p.spending_unit, p.name, i.seq, i.level1, i.level2, i.name,
                             i.period_value, i.annual_value, i.source.file, i.source.sheet, i.source.row))
            for p, i in indicator_lines(batch)),
        findings=tuple(batch.findings),          # errors first (Batch.sort), as in run.json
        total_unknown=record["total_unknown"], unknown_amounts=record["unknown_amounts"],
    )


def _department_state(line: DepartmentLine) -> DepartmentState:
    d = line.department
    return DepartmentState(d.name, d.file, d.sheet, d.unit, d.total, line.declared, line.control, line.reconciled,
                           d.total_sum.unknown, d.unknown_amounts, d.layout)
