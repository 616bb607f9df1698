"""Turn a classified sheet into a `Department`: amounts in 万元, indicators parsed, provenance kept."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from pipeline.findings import Finding, finding
from pipeline.read.indicators import Target, parse_packed, parse_target
from pipeline.read.layout import Table
from pipeline.read.row_amounts import AmountReader
from pipeline.model import Sum, Department, Indicator, Project, RowCount, Source, SpendingUnit
from pipeline.read.sheets import Sheet, cell_text
from pipeline.vocabulary import AMOUNT_FIELDS

_CODED = re.compile(r"^\s*(\d+)\s*[-－.、]\s*(.+?)\s*$")
_QUALITATIVE_NATURE = {"定性", "定性指标"}
_VALUE_FIELDS = ("period_value", "value", "annual_value")
_ANNUAL_FIRST, _PERIOD_FIRST = ("annual_value", "value", "period_value"), ("period_value", "value", "annual_value")


@dataclass(slots=True)
class SheetResult:
    department: Department | None
    rows: RowCount
    findings: list[Finding] = field(default_factory=list)


def split_code(text: str) -> tuple[str, str]:
    """`12-质量指标` -> ("12", "质量指标"); `质量指标` -> ("", "质量指标")."""
    match = _CODED.match(text)
    return (match.group(1), match.group(2)) if match else ("", text.strip())


def build_department(sheet: Sheet, table: Table, file: str) -> SheetResult:
    """Build one department from a table that `layout.find_tables` found on a sheet."""
    builder = _Builder(sheet, table, file)
    # what each kind of row adds to the department (ignored and meta rows add nothing)
    handlers = {"total": builder.total, "subtotal": builder.subtotal, "page_total": builder.page_total,
                "unit": builder.unit, "project": builder.project, "indicator": builder.long_indicator,
                "rejected": builder.rejected}
    for row in table.rows:
        handler = handlers.get(row.kind)
        if handler is not None:
            handler(row.index, sheet.rows[row.index])
    adopt_projects_without_text(builder.department)
    counts = RowCount(read=table.end - table.start)
    for row in table.rows:
        if row.kind == "ignored":
            counts.ignored += 1
            counts.ignored_as[row.reason] = counts.ignored_as.get(row.reason, 0) + 1
        elif row.kind == "rejected":
            counts.rejected += 1
        else:
            counts.used += 1
    return SheetResult(builder.department, counts, builder.findings)


def adopt_projects_without_text(department: Department) -> None:
    """A project row with money but no 绩效目标 or 绩效指标 looks like a spending-unit row. When such a
    "unit" has no projects of its own and the unit above reconciles only with it counted as one of its
    projects, it is that project (the review then reports its missing goal and indicators)."""
    units = department.spending_units
    if department.page_totals:  # their project counts were taken in row order: keep that order
        return
    for k in range(len(units) - 1, 0, -1):
        orphan, above = units[k], units[k - 1]
        if orphan.projects or orphan.subtotals or orphan.amounts is None or above.amounts is None \
                or not above.amounts_ok or orphan.amounts.total is None:
            continue
        itemised = Sum.of(p.amounts.total for p in above.projects).exact
        if itemised is not None and above.projects and itemised != above.amounts.total and \
                itemised + orphan.amounts.total == above.amounts.total:
            above.projects.append(Project(department.name, above.name, orphan.name, orphan.amounts, "",
                                          orphan.source, department.columns, amounts_ok=orphan.amounts_ok))
            del units[k]


def _add(findings: list[Finding], file: str, sheet: str | None, department: str, code: str, *,
         cell: str | None, project: str | None = None, **params) -> None:
    """A finding on a table of `department` (its `_Builder._add`, with the first four bound)."""
    findings.append(finding(code, file=file, sheet=sheet, cell=cell, department=department, project=project,
                            **params))


def _source(file: str, sheet: str, name_col: int, index: int, col: int | None = None) -> Source:
    """Row `index`'s cell in column `col`, by default the name column (`_Builder._source`)."""
    return Source(file, sheet, index + 1, name_col if col is None else col)


class _Builder:
    def __init__(self, sheet: Sheet, table: Table, file: str):
        self.sheet, self.table, self.file = sheet, table, file
        self.cols = table.columns
        self.findings: list[Finding] = []
        name = table.department
        if not name:
            name = self._fallback_name()
        # a unit in a column title (总计（元）) is more specific than the 单位 line above the table
        unit = table.header_unit or table.unit or "万元"
        # one copy of the columns per department, which its projects share (nothing changes it after)
        self.department = Department(name, file, sheet.name, unit, None, None, dict(self.cols))
        # where a cell is and where a finding goes, as partials rather than bound methods: the reader
        # holding the builder would make a reference cycle, and every sheet read would then stay in
        # memory until the garbage collector found it (80,000 objects at N = 500)
        self._source = functools.partial(_source, file, sheet.name, self.cols["name"])
        self._add = functools.partial(_add, self.findings, file, sheet.name or None, name)
        self.amounts = AmountReader(sheet, self.cols, unit, self._source, self._add)
        if table.header_unit and table.unit and table.unit != table.header_unit:
            self._add("money_unit_conflict", cell=None, unit_line=table.unit, header_unit=table.header_unit)
        if not any(f in self.cols for f in AMOUNT_FIELDS):
            self._add("no_amount_columns", cell=None)
        if not table.department:
            self._add("missing_department_name", cell=None, variant="table")
        if table.unit is None and table.header_unit is None:
            self._add("unknown_money_unit", cell=None, unit_text=table.unit_text)
        self.current_unit: SpendingUnit | None = None
        self.current_project: Project | None = None
        self.project_names: dict[int, set[str]] = {}  # spending unit -> its project names so far

    def _fallback_name(self) -> str:
        for row in self.table.rows:
            if row.kind == "unit":
                return cell_text(self.sheet.rows[row.index][self.cols["name"]])
        return PurePosixPath(self.file).stem

    def _text(self, cells, fld: str) -> str:
        col = self.cols.get(fld)
        return cell_text(cells[col]) if col is not None and col < len(cells) else ""

    def total(self, index: int, cells) -> None:
        amounts, ok = self.amounts.read(index, cells, "total")
        source = self._source(index, self.cols.get("total", self.cols["name"]))
        if self.department.declared_total is None:
            self.department.declared_total = amounts
            self.department.declared_source = source
            self.department.declared_ok = ok
        elif ok:
            self.department.extra_totals.append((amounts, source))  # checked like the first, never dropped
        self.current_unit = self.current_project = None

    def page_total(self, index: int, cells) -> None:
        """A 本页合计 row: the sum of the projects printed on its page (since the previous one)."""
        amounts, ok = self.amounts.read(index, cells, "page_total")
        if ok:
            source = self._source(index, self.cols.get("total", self.cols["name"]))
            self.department.page_totals.append((amounts, source, len(self.department.projects)))
        self.current_project = None

    def subtotal(self, index: int, cells) -> None:
        """A 小计 row: the sum of the current unit's projects above it."""
        amounts, ok = self.amounts.read(index, cells, "subtotal")
        if self.current_unit is None:
            self.current_unit = SpendingUnit(self.department.name, None, None)
            self.department.spending_units.append(self.current_unit)
        if ok:
            source = self._source(index, self.cols.get("total", self.cols["name"]))
            self.current_unit.subtotals.append((amounts, source, len(self.current_unit.projects)))
        self.current_project = None

    def unit(self, index: int, cells) -> None:
        name = self._text(cells, "name")
        amounts, ok = self.amounts.read(index, cells, "unit", name)
        self.current_unit = SpendingUnit(name, amounts, self._source(index), amounts_ok=ok)
        self.department.spending_units.append(self.current_unit)
        self.current_project = None

    def project(self, index: int, cells) -> None:
        name = self._text(cells, "name")
        if self.current_unit is None:  # projects straight under 合计: one implicit unit, no subtotal row
            self.current_unit = SpendingUnit(self.department.name, None, None)
            self.department.spending_units.append(self.current_unit)
        seen = self.project_names.setdefault(id(self.current_unit), set())
        if name in seen:
            self._add("duplicate_project", cell=self._source(index).cell, project=name, variant="table",
                      spending_unit=self.current_unit.name, row=index + 1)
        amounts, ok = self.amounts.read(index, cells, "project", name, project=name)
        project = Project(self.department.name, self.current_unit.name, name, amounts,
                          self._text(cells, "goal"), self._source(index), self.department.columns, amounts_ok=ok)
        self.current_unit.projects.append(project)
        seen.add(name)
        self.current_project = project
        if "indicators" in self.cols:
            self._packed(index, cells, project)
        if self.table.long:
            self.long_indicator(index, cells)

    def _packed(self, index: int, cells, project: Project) -> None:
        col = self.cols["indicators"]
        text = self._text(cells, "indicators")
        items, problems = parse_packed(text)
        source = self._source(index, col)
        for item in items:
            target = parse_target(item.annual_value)
            project.indicators.append(Indicator(
                item.seq, item.level1_code, item.level1, item.level2_code, item.level2, item.name,
                item.period_value, item.annual_value, target.operator, target.target, target.unit,
                target.kind, source))
        for problem in problems:
            self._add("bad_indicator", cell=source.cell, project=project.name, variant="packed", problem=problem)

    def long_indicator(self, index: int, cells) -> None:
        project = self.current_project
        if project is None:  # pragma: no cover - layout only emits indicator rows after a project
            return
        name = self._text(cells, "level3")
        written = {fld: self._text(cells, fld) for fld in _VALUE_FIELDS if fld in self.cols}
        period = written.get("period_value") or written.get("value", "")
        annual = written.get("annual_value") or written.get("value") or period
        period = period or annual
        if not (name or annual):
            return  # a project row of the long layout that carries no indicator
        level1_code, level1 = split_code(self._text(cells, "level1"))
        level2_code, level2 = split_code(self._text(cells, "level2"))
        nature = self._text(cells, "nature")
        unit_text = self._text(cells, "measure_unit")
        if nature in _QUALITATIVE_NATURE:
            target = Target(None, None, "", "qualitative")
        elif nature or unit_text:
            target = parse_target(f"{nature}{annual}{unit_text if not annual.endswith(unit_text) else ''}")
        else:
            target = parse_target(annual)
        source = self._source(index, self.cols.get("level3", self.cols["name"]))
        annual_col, period_col = self._value_columns(written)
        if not name or not annual:
            cell = source.cell if not name or annual_col is None else source.at(annual_col).cell
            self._add("bad_indicator", cell=cell, project=project.name, variant="long", row=index + 1,
                      lacks_name=int(not name), text=name or annual)
            return
        project.indicators.append(Indicator(
            len(project.indicators) + 1, level1_code, level1, level2_code, level2, name, period, annual,
            target.operator, target.target, target.unit, target.kind, source, annual_col, period_col))

    def _value_columns(self, written: dict[str, str]) -> tuple[int | None, int | None]:
        """The columns the long layout's values came from: 年度指标值 (else 指标值, else 实施周期指标值) and
        实施周期指标值 (else 指标值, else 年度指标值), as `long_indicator` reads them; when all are blank,
        the first of those columns the table has."""
        def first(fields: tuple[str, ...]) -> int | None:
            for fld in fields:
                if written.get(fld):
                    return self.cols[fld]
            for fld in fields:
                if fld in written:
                    return self.cols[fld]
            return None

        return first(_ANNUAL_FIRST), first(_PERIOD_FIRST)

    def rejected(self, index: int, cells) -> None:
        quoted = " | ".join(t for t in (cell_text(v) for v in cells) if t)
        if len(quoted) > 80:
            quoted = quoted[:80] + "…"
        self._add("unrecognised_row", cell=f"A{index + 1}", variant="table", row=index + 1, text=quoted)
