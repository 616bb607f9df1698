"""The normalised table: departments, spending units, projects and indicators, with provenance.

Every amount is a `Decimal` in 万元 (see `money.py`); every record keeps the file, sheet and cell it
came from so any finding or report line can point the clerk at `信访局.xlsx!Sheet1!B7`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.text import compact
from pipeline.vocabulary import AMOUNT_FIELDS

ZERO = Decimal("0")


def department_key(name: str) -> str:
    """How department names are compared everywhere (resubmissions, control figures, history):
    full-width forms folded and spaces removed, so 广州市荔湾区 信访局 is 广州市荔湾区信访局."""
    return compact(name)


def column_letter(col: int) -> str:
    """0-based column index -> spreadsheet letters (0 -> A, 27 -> AB)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Source:
    file: str          # path relative to the inputs folder
    sheet: str         # sheet name; the file's stem for text files
    row: int           # 1-based, as a spreadsheet program shows it
    col: int = 0       # 0-based column index

    @property
    def cell(self) -> str:
        return f"{column_letter(self.col)}{self.row}"

    def at(self, col: int) -> "Source":
        return Source(self.file, self.sheet, self.row, col)




def add_known(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    """a + b, unknown (None) when either is."""
    return None if a is None or b is None else a + b


@dataclass(frozen=True, slots=True)
class Amounts:
    """One row's money in 万元. Blank cells are zero; a cell that could not be read is None (unknown),
    never zero: every sum that needs it is unknown too, or says how many amounts it lacks (`Sum`)."""

    total: Decimal | None = ZERO
    fiscal: Decimal | None = ZERO
    special_account: Decimal | None = ZERO
    other: Decimal | None = ZERO

    def __add__(self, other: "Amounts") -> "Amounts":
        return Amounts(*(add_known(getattr(self, f), getattr(other, f)) for f in AMOUNT_FIELDS))

    def get(self, field_name: str) -> Decimal | None:
        return getattr(self, field_name)

    @property
    def unknown(self) -> tuple[str, ...]:
        """The fields that could not be read, in column order (`("fiscal",)`)."""
        return tuple(f for f in AMOUNT_FIELDS if getattr(self, f) is None)

    @property
    def parts_sum(self) -> Decimal | None:
        return add_known(add_known(self.fiscal, self.special_account), self.other)


@dataclass(frozen=True, slots=True)
class Sum:
    """A sum over amounts some of which may be unknown: the known part and how many were unknown."""

    known: Decimal = ZERO
    unknown: int = 0               # amounts left out because they could not be read

    @property
    def incomplete(self) -> bool:
        return self.unknown > 0

    @property
    def exact(self) -> Decimal | None:
        """The sum, or None when it lacks an amount."""
        return None if self.unknown else self.known

    def __add__(self, other: "Sum") -> "Sum":
        return Sum(self.known + other.known, self.unknown + other.unknown)

    @staticmethod
    def of(values) -> "Sum":
        known, unknown = ZERO, 0
        for value in values:
            if value is None:
                unknown += 1
            else:
                known += value
        return Sum(known, unknown)


@dataclass(slots=True)
class WrittenIndicator:
    """An indicator as the table writes it: a packed 绩效指标 cell's item (read/indicators.parse_packed)
    is one; an `Indicator` adds its parsed target, its cells and the framework's names."""

    seq: int
    level1_code: str
    level1: str
    level2_code: str
    level2: str
    name: str
    period_value: str
    annual_value: str


@dataclass(slots=True)
class Indicator(WrittenIndicator):
    operator: str | None
    target: Decimal | None
    unit: str
    kind: str                      # "quantitative" | "qualitative"
    source: Source                 # the packed 绩效指标 cell, or the indicator row's 三级指标 (name) cell
    # the columns of the cells holding the values, on the source's row, where findings on a value point:
    # the 年度指标值 / 实施周期指标值 (or 指标值) columns of the long layout; None: the source cell itself
    # (the packed 绩效指标 cell of the published layout). Columns, not Sources: 20,000 rows read faster
    annual_col: int | None = None
    period_col: int | None = None
    # the levels as the indicator framework names them (`项目完成指标` → 产出指标), set by the review
    # (review/rules/kit.map_levels, with the settings' framework and code map); "" when unknown
    level1_framework: str = ""
    level2_framework: str = ""

    @property
    def annual_source(self) -> Source:
        return self.source if self.annual_col is None else self.source.at(self.annual_col)

    @property
    def period_source(self) -> Source:
        col = self.annual_col if self.period_col is None else self.period_col
        return self.source if col is None else self.source.at(col)

    @property
    def annual_cell(self) -> str:
        return self.annual_source.cell

    @property
    def period_cell(self) -> str:
        return self.period_source.cell


@dataclass(slots=True)
class Project:
    department: str
    spending_unit: str
    name: str
    amounts: Amounts
    goal: str
    source: Source                 # the project's row; source.col is the name column
    columns: dict[str, int]        # field -> 0-based column, to name amount cells in findings
    indicators: list[Indicator] = field(default_factory=list)
    amounts_ok: bool = True        # False when an amount cell was unreadable (reported as bad_amount)
    # what a per-project form (申报表) carries beyond the published table's row
    layout: str = "table"          # "table" (a row of a published table) | "form" (a 申报表 of its own)
    period_total: Decimal | None = None   # whole-period money (资金总额 / 中期…预算) where printed, 万元
    period_goal: str = ""          # 中期目标 / 实施期绩效目标 / 实施周期总目标
    period_start: str = ""         # project period as YYYY-MM ("" when not printed or unreadable)
    period_end: str = ""
    attributes: dict[str, str] = field(default_factory=dict)  # 项目属性, 项目负责人及电话… label -> value
    cells: dict[str, Source] = field(default_factory=dict)    # field -> the cell it was read from
    form_range: str = ""           # the form's cell range on its sheet (A1:H30); "" for a table row
    # a form's 小计 lines checked against their items: field (fiscal, other) -> the sum of its printed items
    item_sums: dict[str, Decimal] = field(default_factory=dict)


@dataclass(slots=True)
class SpendingUnit:
    name: str
    amounts: Amounts | None        # None when the table has no unit row (projects sit directly under 合计)
    source: Source | None
    projects: list[Project] = field(default_factory=list)
    amounts_ok: bool = True
    # 小计 rows: (amounts, source, how many of the unit's projects stood above it)
    subtotals: list[tuple[Amounts, Source, int]] = field(default_factory=list)


@dataclass(slots=True)
class Department:
    name: str
    file: str
    sheet: str
    unit: str                      # the money unit the table was written in: 万元, 元 or 千元
    declared_total: Amounts | None  # the 合计 row, normalised to 万元
    declared_source: Source | None
    columns: dict[str, int]
    spending_units: list[SpendingUnit] = field(default_factory=list)
    declared_ok: bool = True
    extra_totals: list[tuple[Amounts, Source]] = field(default_factory=list)  # 合计 rows after the first
    # 本页合计 rows of a printed table: (amounts, source, how many of the department's projects stood above)
    page_totals: list[tuple[Amounts, Source, int]] = field(default_factory=list)
    layout: str = "table"          # "form" when compiled from per-project forms (no declared 合计)
    code: str = ""                 # the department's code where a form prints one ([015001]…)

    @property
    def projects(self) -> list[Project]:
        return [p for u in self.spending_units for p in u.projects]

    @property
    def indicators(self) -> list[Indicator]:
        return [i for p in self.projects for i in p.indicators]

    @property
    def total_sum(self) -> Sum:
        """The computed total, the sum of the projects' 总计 (the money actually itemised), with the
        count of projects whose 总计 is unknown."""
        return Sum.of(p.amounts.total for p in self.projects)

    @property
    def total(self) -> Decimal:
        """The known part of the computed total (see `total_sum` for what it lacks)."""
        return self.total_sum.known

    @property
    def unknown_amounts(self) -> int:
        """Amount cells of the projects that could not be read (any column)."""
        return sum(len(p.amounts.unknown) for p in self.projects)

    @property
    def incomplete(self) -> bool:
        """Some project's 总计 is unknown: the computed total lacks it."""
        return self.total_sum.incomplete


def amounts_of(projects: list["Project"]) -> Amounts:
    """The column sums of projects' amounts (a compiled department's or unit's 合计, which no form
    prints); a column with an unknown amount stays unknown (None) rather than becoming a smaller sum."""
    return sum((p.amounts for p in projects), Amounts())


def grand_total(departments: list["Department"]) -> Sum:
    """The sum of the departments' computed totals, with the count of projects whose 总计 it lacks."""
    return sum((d.total_sum for d in departments), Sum())


@dataclass(slots=True)
class RowCount:
    read: int = 0
    used: int = 0
    ignored: int = 0
    rejected: int = 0
    ignored_as: dict[str, int] = field(default_factory=dict)  # reason (title, unit, header, blank, separator) -> rows

    def add(self, other: "RowCount") -> None:
        self.read += other.read
        self.used += other.used
        self.ignored += other.ignored
        self.rejected += other.rejected
        for reason, count in other.ignored_as.items():
            self.ignored_as[reason] = self.ignored_as.get(reason, 0) + count

    def as_dict(self) -> dict:
        return {"read": self.read, "used": self.used, "ignored": self.ignored, "rejected": self.rejected}


@dataclass(slots=True)
class InputFile:
    file: str                      # relative to the inputs folder
    sha256: str | None
    status: str                    # "ok" | "rejected" | "skipped"
    reason: str | None
    rows: RowCount = field(default_factory=RowCount)
    modified: float = 0.0          # mtime, to choose between resubmissions
