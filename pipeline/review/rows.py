"""The reviewed batch flattened: one typed row per department, per project and per indicator.

The public tables (`report/record.py`: projects.csv, indicators.csv), the reports (`report/view.py`) and
the history (`history/snapshot.py`) all take a project's facts from its `ProjectLine`, so each fact (its
exact amounts, the columns that could not be read, its source cell and where a clerk finds it, its
layout) is taken from the project in this one place, whatever the model's memory layout; an
indicator's row is its project's line and the indicator itself. Rows are made after the review, which
names the indicators' levels as the framework does (`level1_framework`); they are made as they are
asked for, never the whole table at once, and as named tuples (a run makes tens of thousands: a frozen
dataclass costs ten times more to build). A department's line says what run.json, the reports and the
history each need of it beyond the model: its declared 合计, its control figure and whether it reconciled.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from pipeline.findings import location
from pipeline.model import Amounts, Department, Indicator, Source
from pipeline.read.batch import Batch
from pipeline.vocabulary import MONEY_COLUMNS


class DepartmentLine(NamedTuple):
    department: Department
    declared: Decimal | None       # the 总计 of its 合计 row; None without one, or when it could not be read
    control: Decimal | None        # its approved control figure, when a controls file gave one
    reconciled: bool               # every money check passed and every amount was read


class ProjectLine(NamedTuple):
    department: str
    spending_unit: str
    name: str
    amounts: Amounts               # exact 万元; None in a column that could not be read
    goal: str
    indicators: list[Indicator]
    source: Source                 # the project's row (its name cell)
    layout: str                    # table (a row of a published table) or form (a 申报表 of its own)
    period_total: Decimal | None   # what a per-project form prints beyond the table's row
    period_start: str
    period_end: str
    period_goal: str
    form_range: str                # the form's range on its sheet (A1:H30); "" for a table row

    @property
    def unknown(self) -> tuple[str, ...]:
        """The amount fields that could not be read, in column order (`("fiscal",)`)."""
        return self.amounts.unknown

    @property
    def unknown_labels(self) -> str:
        """The columns that could not be read, as the reports name them: 「财政拨款、其他资金」."""
        return "、".join(MONEY_COLUMNS[f] for f in self.amounts.unknown)

    @property
    def where(self) -> str:
        """`file!sheet!A7`, the project's name cell; a form's whole range."""
        return location(self.source.file, self.source.sheet, self.form_range or self.source.cell)


class IndicatorLine(NamedTuple):
    project: ProjectLine           # whose department, spending unit, name and layout it has
    indicator: Indicator


# NamedTuple._make is tuple.__new__: a third of the cost of calling the class with its fields
project_line = ProjectLine._make


def department_lines(batch: Batch) -> Iterator[DepartmentLine]:
    """Every department of the batch, in its order. A department reconciles when none of its money
    checks failed and none of its amounts was unreadable or implausible (bad_amount, implausible_amount)."""
    failed = {c.department for c in batch.checks if not c.passed}
    failed |= {f.department for f in batch.findings if f.code in ("bad_amount", "implausible_amount")}
    for d in batch.departments:
        yield DepartmentLine(d, None if d.declared_total is None else d.declared_total.total,
                             batch.control_totals.get(d.name), d.name not in failed and not d.unknown_amounts)


def project_lines(batch: Batch) -> Iterator[ProjectLine]:
    """Every project of the batch, department by department, in the order read."""
    for d in batch.departments:
        for p in d.projects:
            yield project_line((p.department, p.spending_unit, p.name, p.amounts, p.goal, p.indicators, p.source,
                                p.layout, p.period_total, p.period_start, p.period_end, p.period_goal, p.form_range))


def indicator_total(batch: Batch) -> int:
    """How many indicators the batch holds (run.json's `counts`, report.xlsx's 计数 row)."""
    return sum(len(d.indicators) for d in batch.departments)


def indicator_lines(batch: Batch) -> Iterator[IndicatorLine]:
    """Every indicator of the batch, project by project, in the order read."""
    for project in project_lines(batch):
        for indicator in project.indicators:
            yield IndicatorLine(project, indicator)
