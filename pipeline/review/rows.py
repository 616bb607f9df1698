"""The reviewed batch flattened: one typed row per project and one per indicator.

The public tables (`report/record.py`: projects.csv, indicators.csv), the reports (`report/view.py`) and
the history (`history/snapshot.py`) all take a project's facts from these rows, so each fact (its exact
amounts, the columns that could not be read, its source cell, its layout) is taken from the project in
this one place. Rows are made after the review, which names the indicators' levels as the framework
does (`level1_framework`); they are made as they are asked for, never the whole table at once, and as
named tuples (a run makes tens of thousands: a frozen dataclass costs ten times more to build).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from pipeline.findings import location
from pipeline.model import Indicator, Source
from pipeline.read.batch import Batch
from pipeline.vocabulary import MONEY_COLUMNS


class ProjectLine(NamedTuple):
    department: str
    spending_unit: str
    name: str
    total: Decimal | None          # None: the amount could not be read
    fiscal: Decimal | None
    special_account: Decimal | None
    other: Decimal | None
    goal: str
    indicators: list[Indicator]
    source: Source                 # the project's row (its name cell)
    unknown: tuple[str, ...]       # the amount fields that could not be read, in column order (`("fiscal",)`)
    layout: str                    # table (a row of a published table) or form (a 申报表 of its own)
    period_total: Decimal | None   # what a per-project form prints beyond the table's row
    period_start: str
    period_end: str
    period_goal: str
    form_range: str                # the form's range on its sheet (A1:H30); "" for a table row

    @property
    def where(self) -> str:
        """`file!sheet!A7`, the project's name cell; a form's whole range."""
        return location(self.source.file, self.source.sheet, self.form_range or self.source.cell)

    @property
    def unknown_labels(self) -> str:
        """The columns that could not be read, as the reports name them: 「财政拨款、其他资金」."""
        return "、".join(MONEY_COLUMNS[f] for f in self.unknown)


class IndicatorLine(NamedTuple):
    department: str
    spending_unit: str
    project: str
    seq: int
    level1_code: str
    level1: str
    level2_code: str
    level2: str
    name: str
    period_value: str
    annual_value: str
    operator: str | None
    target: Decimal | None
    unit: str
    kind: str                      # quantitative or qualitative
    source: Source                 # the packed 绩效指标 cell, or the indicator row's name cell
    layout: str                    # its project's
    level1_framework: str          # the levels as the framework names them; "" when unknown
    level2_framework: str


# NamedTuple._make is tuple.__new__: a third of the cost of calling the class with its fields
project_line, indicator_line = ProjectLine._make, IndicatorLine._make


def project_lines(batch: Batch) -> Iterator[ProjectLine]:
    """Every project of the batch, department by department, in the order read."""
    for d in batch.departments:
        for p in d.projects:
            a = p.amounts
            yield project_line((p.department, p.spending_unit, p.name, a.total, a.fiscal, a.special_account, a.other,
                                p.goal, p.indicators, p.source, a.unknown, p.layout, p.period_total, p.period_start,
                                p.period_end, p.period_goal, p.form_range))


def indicator_lines(batch: Batch) -> Iterator[IndicatorLine]:
    """Every indicator of the batch, project by project, in the order read."""
    for d in batch.departments:
        for p in d.projects:
            for i in p.indicators:
                yield indicator_line((p.department, p.spending_unit, p.name, i.seq, i.level1_code, i.level1,
                                      i.level2_code, i.level2, i.name, i.period_value, i.annual_value, i.operator,
                                      i.target, i.unit, i.kind, i.source, p.layout, i.level1_framework,
                                      i.level2_framework))
