"""Turn a classified sheet into a `Department`: amounts in 万元, indicators parsed, provenance kept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath

from pipeline.findings import Finding, finding
from pipeline.read.formulas import UnvaluedFormula
from pipeline.read.indicators import Target, parse_packed, parse_target
from pipeline.read.layout import Table, cell_text
from pipeline.model import Amounts, Sum, add_known, Department, Indicator, Project, RowCount, Source, SpendingUnit
from pipeline.money import BadAmount, parse_amount, show_in_unit, to_wanyuan
from pipeline.read.sheets import Sheet
from pipeline.vocabulary import AMOUNT_FIELDS, MONEY_COLUMNS

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
                                          orphan.source, dict(department.columns), amounts_ok=orphan.amounts_ok))
            del units[k]


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
        self.department = Department(name, file, sheet.name, unit, None, None, dict(self.cols))
        if table.header_unit and table.unit and table.unit != table.header_unit:
            self._add("money_unit_conflict",
                      f"表头上方写「单位：{table.unit}」，金额列标题却写「（{table.header_unit}）」，两者矛盾；"
                      f"已按列标题的{table.header_unit}计算。请核对并删去错误的一处。", cell=None)
        if not any(f in self.cols for f in AMOUNT_FIELDS):
            self._add("no_amount_columns",
                      "表头中没有金额列（总计、财政拨款、财政专户拨款、其他资金），无法核对金额，各项目金额按 0 计。"
                      "请使用标准表样，或把金额列标题改为「总计」等标准名称。", cell=None)
        if not table.department:
            self._add("missing_department_name",
                      f"表头上方没有「部门名称：」行，部门名称暂取为「{name}」。请在标题下加一行「部门名称：××单位」。",
                      cell=None)
        if table.unit is None and table.header_unit is None:
            shown = f"「{table.unit_text}」" if table.unit_text else "表头上方没有「单位：」行"
            self._add("unknown_money_unit",
                      f"{shown}，未能确定金额单位，已按万元计算。请注明「单位：万元」（或元、千元）。", cell=None)
        self.current_unit: SpendingUnit | None = None
        self.current_project: Project | None = None
        self.project_names: dict[int, set[str]] = {}  # spending unit -> its project names so far

    def _fallback_name(self) -> str:
        for row in self.table.rows:
            if row.kind == "unit":
                return cell_text(self.sheet.rows[row.index][self.cols["name"]])
        return PurePosixPath(self.file).stem

    def _add(self, code: str, message: str, *, cell: str | None, project: str | None = None) -> None:
        self.findings.append(finding(code, message, file=self.file, sheet=self.sheet.name or None, cell=cell,
                                     department=self.department.name, project=project))

    def _source(self, index: int, col: int | None = None) -> Source:
        return Source(self.file, self.sheet.name, index + 1, self.cols["name"] if col is None else col)

    def _text(self, cells, fld: str) -> str:
        col = self.cols.get(fld)
        return cell_text(cells[col]) if col is not None and col < len(cells) else ""

    def _amounts(self, index: int, cells, label: str, project: str | None = None) -> tuple[Amounts, bool]:
        """The row's amounts in 万元. The one place an unreadable amount cell is handled: it is reported
        (`bad_amount`; `formula_without_value` / `formula_error` for a formula whose value the file does
        not give) and left unknown (None), never counted as 0; a blank cell is 0. A negative amount
        is kept and reported (`negative_amount`). `ok` is False when any amount is unknown."""
        values: dict[str, Decimal | None] = {}
        unit = self.department.unit
        for fld in AMOUNT_FIELDS:
            col = self.cols.get(fld)
            raw = cells[col] if col is not None and col < len(cells) else None
            cell = self._source(index, col).cell
            try:
                values[fld] = to_wanyuan(self._parse_cell(index, col, raw), unit)
            except BadAmount as exc:
                values[fld] = None
                self._unreadable_amount(exc, f"{label}的「{MONEY_COLUMNS[fld]}」单元格 {cell}", raw, cell, project)
                continue
            if values[fld] < 0:
                self._add("negative_amount",
                          f"{label}的「{MONEY_COLUMNS[fld]}」单元格 {cell} 为负数「{cell_text(raw)}」"
                          f"，即 {show_in_unit(values[fld], unit, exact=True)}。预算金额通常不为负，"
                          f"请核对是否误录（如括号或减号）；确为调减的，请在说明中注明。", cell=cell, project=project)
        if "total" not in self.cols:   # no 总计 column: the total is the sum of the sources
            values["total"] = add_known(add_known(values["fiscal"], values["special_account"]), values["other"])
        return Amounts(**values), all(v is not None for v in values.values())

    def _parse_cell(self, index: int, col: int | None, raw) -> Decimal:
        """An amount cell's value; a formula the reader gave as blank (no cached value, or a cached
        error) is unreadable, never 0."""
        formulas = self.sheet.formula_cells
        if formulas and col is not None:
            at = self.sheet.merged_from.get((index, col), (index, col))
            if at in formulas:
                raise UnvaluedFormula(formulas[at])
        return parse_amount(raw)

    def _unreadable_amount(self, exc: BadAmount, what: str, raw, cell: str, project: str | None) -> None:
        """Report an amount cell that could not be read: not a number, or a formula without its value."""
        unknown = "此金额按无法读取处理，未计入任何合计"
        if isinstance(exc, UnvaluedFormula) and exc.error:
            self._add("formula_error",
                      f"{what} 是公式，计算结果为错误值「{exc.error}」，{unknown}。"
                      f"请在 Excel 或 WPS 中修正该公式（或改为数值）后保存，再重新报送。", cell=cell, project=project)
        elif isinstance(exc, UnvaluedFormula):
            self._add("formula_without_value",
                      f"{what} 是公式，但文件中没有保存公式的计算结果（程序生成的表格常见），{unknown}。"
                      f"请用 Excel 或 WPS 打开该文件并保存一次，或把公式改为数值后重新报送。", cell=cell, project=project)
        else:
            self._add("bad_amount",
                      f"{what} 内容为「{cell_text(raw)}」，不是金额（本表金额单位：{self.department.unit}），{unknown}。"
                      f"请填写数字（如 308.00），空白表示 0。", cell=cell, project=project)

    def total(self, index: int, cells) -> None:
        amounts, ok = self._amounts(index, cells, "合计行")
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
        amounts, ok = self._amounts(index, cells, "本页合计行")
        if ok:
            source = self._source(index, self.cols.get("total", self.cols["name"]))
            self.department.page_totals.append((amounts, source, len(self.department.projects)))
        self.current_project = None

    def subtotal(self, index: int, cells) -> None:
        """A 小计 row: the sum of the current unit's projects above it."""
        amounts, ok = self._amounts(index, cells, "小计行")
        if self.current_unit is None:
            self.current_unit = SpendingUnit(self.department.name, None, None)
            self.department.spending_units.append(self.current_unit)
        if ok:
            source = self._source(index, self.cols.get("total", self.cols["name"]))
            self.current_unit.subtotals.append((amounts, source, len(self.current_unit.projects)))
        self.current_project = None

    def unit(self, index: int, cells) -> None:
        name = self._text(cells, "name")
        amounts, ok = self._amounts(index, cells, f"资金使用单位「{name}」")
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
            self._add("duplicate_project",
                      f"资金使用单位「{self.current_unit.name}」下项目「{name}」出现了不止一次（第 {index + 1} 行）。"
                      f"请确认是否重复填报；如是两个项目，请改用不同名称。", cell=self._source(index).cell, project=name)
        amounts, ok = self._amounts(index, cells, f"项目「{name}」", project=name)
        project = Project(self.department.name, self.current_unit.name, name, amounts,
                          self._text(cells, "goal"), self._source(index), dict(self.cols), amounts_ok=ok)
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
            self._add("bad_indicator",
                      f"项目「{project.name}」的绩效指标单元格 {source.cell} 有无法读取的内容：{problem}。"
                      f"每条指标应写成「序号、一级指标；二级指标；指标名称；实施周期指标值:…；年度指标值:…。」",
                      cell=source.cell, project=project.name)

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
            missing = "指标名称（三级指标）" if not name else "指标值"
            cell = source.cell if not name or annual_col is None else source.at(annual_col).cell
            self._add("bad_indicator",
                      f"项目「{project.name}」第 {index + 1} 行的绩效指标缺少{missing}"
                      f"（读到：「{name or annual}」）。请补全该行。", cell=cell, project=project.name)
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
        self._add("unrecognised_row",
                  f"第 {index + 1} 行既不是合计、资金使用单位、项目，也不是指标行，未计入：「{quoted}」。"
                  f"如是项目，请补填项目名称和金额；如是备注，请移到表格之外。",
                  cell=f"A{index + 1}")
