"""Turn a form's header block and grid into a `Project`, with the cell of every field.

Money is read in the unit the form states ((万元) on the money block or a label, or a 单位:万元 line)
unless a value names its own (`250万`); an unreadable value is unknown (None) with a `bad_amount`
finding. The grid's rows become indicators whose annual values go through the table's target parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath

from pipeline.findings import Finding, finding
from pipeline.model import ZERO, Amounts, Indicator, Project, Source
from pipeline.read.form_grid import PERIOD, Grid, read_grid, row_target, value_columns
from pipeline.read.form_header import Header, Label, Money, own_cells, read_money, read_month, read_period, split_unit_code
from pipeline.read.layout import cell_text
from pipeline.read.normalise import split_code
from pipeline.read.sheets import Sheet
from pipeline.money import parse_money_unit
from pipeline.text import compact
from pipeline.vocabulary import form_label_core


@dataclass(slots=True)
class Built:
    project: Project
    department_code: str
    kinds: dict[int, tuple[str, str]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


class _Form:
    def __init__(self, sheet: Sheet, span, header: Header, file: str):
        self.sheet, self.span, self.header, self.file = sheet, span, header, file
        self.findings: list[Finding] = []
        self.cells: dict[str, Source] = {}
        self.department = self.department_code = ""
        self.name = ""
        self.unit = self.unit_code = ""

    def source(self, pos: tuple[int, int]) -> Source:
        return Source(self.file, self.sheet.name, pos[0] + 1, pos[1])

    def add(self, code: str, message: str, pos: tuple[int, int] | None) -> None:
        cell = self.source(pos).cell if pos is not None else None
        self.findings.append(finding(code, message, file=self.file, sheet=self.sheet.name or None, cell=cell,
                                     department=self.department or None, project=self.name or None))

    def text(self, name: str) -> tuple[str, Label | None]:
        label = self.header.first(name)
        if label is None:
            return "", None
        self.cells[name] = self.source(label.value_cell or label.cell)
        return cell_text(label.value), label


def build_project(sheet: Sheet, span, header: Header, file: str) -> Built:
    form = _Form(sheet, span, header, file)
    _names(form)
    amounts, period_total, item_sums = _money(form)
    goal, period_goal = _goals(form)
    start, end = _period(form)
    attributes = {form_label_core(lab.printed)[0]: cell_text(lab.value)
                  for lab in header.labels if lab.field in ("attribute", "sign_off") and cell_text(lab.value)}
    if form.unit_code:
        attributes["实施单位编码"] = form.unit_code     # [610001]… : the code, kept apart from the name
    grid = read_grid(sheet, span.grid, span.end)
    project = Project(form.department, form.unit, form.name, amounts, goal, form.cells["name"], {},
                      amounts_ok=not amounts.unknown,
                      layout="form", period_total=period_total, period_goal=period_goal, period_start=start,
                      period_end=end, attributes=attributes, cells=form.cells,
                      form_range=span.cell_range(sheet))
    project.item_sums.update(item_sums)
    _indicators(form, grid, project)
    built = Built(project, form.department_code, findings=form.findings)
    _row_kinds(form, grid, built)
    return built


def _names(form: _Form) -> None:
    name, name_label = form.text("name")
    form.name = name or f"{PurePosixPath(form.file).stem}（{form.sheet.name or '表'}第{form.span.top + 1}行）"
    department, label, budget_unit = _department_label(form)
    form.department_code, form.department = split_unit_code(department)
    if not form.department:
        form.department = PurePosixPath(form.file).stem
        form.add("missing_department_name", f"申报表没有填写「主管部门」（或预算部门），部门暂取为「{form.department}」。"
                 f"请补填主管部门。", label.cell if label else None)
    unit, _ = form.text("spending_unit")
    if not unit and budget_unit is not None and cell_text(budget_unit.value):
        unit = cell_text(budget_unit.value)        # 主管部门 X with 预算单位 Y: Y is the unit spending the money
        form.cells["spending_unit"] = form.source(budget_unit.value_cell or budget_unit.cell)
    form.unit_code, form.unit = split_unit_code(unit)
    form.unit = form.unit or form.department
    if not name:
        title = min(form.header.title_rows, default=form.span.top)
        form.cells["name"] = form.source(name_label.cell if name_label else (title, 0))
        form.add("form_missing_name", f"申报表没有填写「项目名称」，暂称为「{form.name}」。请补填项目名称。",
                 name_label.cell if name_label else None)


def _department_label(form: _Form) -> tuple[str, Label | None, Label | None]:
    """The department's label and value: a 主管部门-like label wins over 预算单位, which is then the
    budget unit under it (returned third)."""
    labels = [lab for lab in form.header.all("department") if cell_text(lab.value)] or form.header.all("department")
    budget = [lab for lab in labels if form_label_core(lab.printed)[0] == "预算单位"]
    chosen = next((lab for lab in labels if lab not in budget), labels[0] if labels else None)
    if chosen is None:
        return "", None, None
    form.cells["department"] = form.source(chosen.value_cell or chosen.cell)
    other = next((lab for lab in budget if lab is not chosen), None)
    return cell_text(chosen.value), chosen, other


def _money_unit(form: _Form) -> str | None:
    for lab in form.header.labels:
        if lab.field in ("money_block", "total", "period_total", "fiscal", "other") and lab.suffix:
            unit = parse_money_unit(f"单位:{lab.suffix}")
            if unit:
                return unit
    return form.header.unit_line


_MONEY_FIELDS = ("total", "period_total", "fiscal", "fiscal_item", "special_account", "other", "other_item")


def _money_lines(form: _Form) -> dict[str, list[tuple[Money, Label]]]:
    """Every money line of the header read in the form's unit; unreadable ones are `bad_amount`."""
    unit = _money_unit(form)
    read: dict[str, list[tuple[Money, Label]]] = {}
    for lab in form.header.labels:
        if lab.field in _MONEY_FIELDS:
            formula = _unvalued_formula(form, lab)
            money = Money(None, True, "") if formula is not None else read_money(lab.value, unit or "万元")
            read.setdefault(lab.field, []).append((money, lab))
            if formula is not None:
                _formula_finding(form, lab, formula)
            elif money.amount is None:
                form.add("bad_amount", f"申报表「{lab.printed.strip().rstrip(':：')}」的金额无法读取：{money.problem}。"
                         f"请只填写一个金额（如 854 或 854万元），说明写在备注中。", lab.value_cell or lab.cell)
    stated = unit is not None or all(m.unit_written or not m.amount for ms in read.values() for m, _ in ms)
    if not stated:
        first = next(iter(read.values()))[0][1] if read else None
        form.add("form_no_money_unit", "申报表没有注明金额单位（如「资金情况（万元）」或「单位：万元」），已按万元计算。"
                 "请注明金额单位。", first.cell if first else None)
    return read


def _unvalued_formula(form: _Form, lab: Label) -> str | None:
    """A money value that is a formula the file stores without its value (""), or with an error value."""
    formulas = form.sheet.formula_cells
    if not formulas or lab.value_cell is None:
        return None
    return formulas.get(form.sheet.merged_from.get(lab.value_cell, lab.value_cell))


def _formula_finding(form: _Form, lab: Label, error: str) -> None:
    what = f"申报表「{lab.printed.strip().rstrip(':：')}」的金额是公式"
    if error:
        form.add("formula_error", f"{what}，计算结果为错误值「{error}」，此金额按无法读取处理。"
                 f"请在 Excel 或 WPS 中修正该公式（或改为数值）后保存，再重新报送。", lab.value_cell)
    else:
        form.add("formula_without_value", f"{what}，但文件中没有保存计算结果，此金额按无法读取处理。"
                 f"请用 Excel 或 WPS 打开该文件并保存一次，或把公式改为数值后重新报送。", lab.value_cell)


def _money(form: _Form) -> tuple[Amounts, Decimal | None, dict[str, Decimal]]:
    read = _money_lines(form)

    def total_of(name: str) -> Decimal | None:
        lines = read.get(name, [])
        if lines:
            form.cells[name] = form.source(lines[0][1].value_cell or lines[0][1].cell)
        if any(m.amount is None for m, _ in lines):
            return None
        return sum((m.amount for m, _ in lines), ZERO)

    items = {"fiscal": total_of("fiscal_item"), "other": total_of("other_item")}
    values = {name: total_of(name) for name in ("fiscal", "special_account", "other")}
    item_sums = {}
    for name, summed in items.items():
        if name + "_item" not in read:
            continue
        if name not in read:
            values[name] = summed                     # the items without their 小计 line
        elif summed is not None:
            item_sums[name] = summed
    if "total" in read:
        total = total_of("total")
        if not read.keys() & {"fiscal", "fiscal_item", "special_account", "other", "other_item"}:
            values["fiscal"] = total               # 本年度申请…财政预算资金 alone: the money asked of the treasury
    else:
        total = None if None in values.values() else sum(values.values(), ZERO)
    # whole-period money where printed: a blank 资金总额 is not printed (unknown), never a period total of 0
    printed = any(cell_text(lab.value) for _, lab in read.get("period_total", []))
    period_total = total_of("period_total") if printed else None
    return Amounts(total=total, fiscal=values["fiscal"], special_account=values["special_account"],
                   other=values["other"]), period_total, item_sums


def _goals(form: _Form) -> tuple[str, str]:
    goal, _ = form.text("goal")
    if not goal:
        block, label = form.text("goal_block")
        if block and label is not None and label.value_cell is not None:
            goal = block
            form.cells["goal"] = form.cells.pop("goal_block")
    period_goal, _ = form.text("period_goal")
    return goal, period_goal


def _period(form: _Form) -> tuple[str, str]:
    text, label = form.text("period")
    start_text, start_label = form.text("start")
    end_text, end_label = form.text("end")
    if label is not None and text:
        period = read_period(label.value)
        if period is not None:
            return period
        form.add("form_bad_period", f"项目期限「{text}」无法读取，请写成「2023.01-2023.12」或「2023年-2025年」。",
                 label.value_cell or label.cell)
    start = read_month(start_label.value, end=False) if start_label is not None and start_text else None
    end = read_month(end_label.value, end=True) if end_label is not None and end_text else None
    for lab, text_, value in ((start_label, start_text, start), (end_label, end_text, end)):
        if lab is not None and text_ and value is None:
            form.add("form_bad_period", f"日期「{text_}」无法读取，请写成「2023-01-01」。", lab.value_cell or lab.cell)
    return start or "", end or ""


def _indicators(form: _Form, grid: Grid, project: Project) -> None:
    for kind in grid.empty_blocks:
        shown = "实施周期（长期）" if kind == PERIOD else "当年度"
        form.add("form_empty_block", f"申报表绩效指标的{shown}指标值一栏整栏为空。请按项目填写{shown}指标值。",
                 (grid.header.row, grid.header.blocks[0 if kind == PERIOD else -1].level3))
    two_blocks = len(grid.header.blocks) == 2 and not grid.empty_blocks
    for row in grid.rows:
        if two_blocks:
            _blocks_agree(form, row)
        if not row.name:
            form.add("bad_indicator", f"项目「{project.name}」第 {row.row + 1} 行有指标值「{row.annual_value}」"
                     f"却没有三级指标名称。请补全该行。", row.value_cell or row.name_cell)
            continue
        level1_code, level1 = split_code(row.level1)
        level2_code, level2 = split_code(row.level2)
        target = row_target(row)
        annual_col, period_col = value_columns(row)
        indicator = Indicator(len(project.indicators) + 1, level1_code, level1, level2_code, level2, row.name,
                              row.period_value, row.annual_value, target.operator, target.target, target.unit,
                              target.kind, form.source(row.name_cell), annual_col=annual_col, period_col=period_col)
        project.indicators.append(indicator)


def _blocks_agree(form: _Form, row) -> None:
    """Both blocks of a two-block grid list the same indicator on each row."""
    (period_name, period_value), (annual_name, annual_value) = row.blocks
    if period_name and annual_name and compact(period_name) != compact(annual_name):
        form.add("form_blocks_differ", f"第 {row.row + 1} 行实施周期指标「{period_name}」与当年度指标"
                 f"「{annual_name}」不是同一指标。两栏应列出相同的指标，请核对。", row.name_cell)
    elif bool(period_name or period_value) != bool(annual_name or annual_value):
        shown, missing = (period_name, "当年度") if period_name or period_value else (annual_name, "实施周期")
        form.add("form_blocks_differ", f"第 {row.row + 1} 行的指标「{shown}」只填在一栏中，{missing}一栏为空。"
                 f"两栏应列出相同的指标，请补全。", row.name_cell)


def _row_kinds(form: _Form, grid: Grid, built: Built) -> None:
    span, header = form.span, form.header
    for row in range(span.top, span.grid.row):
        if row in header.used_rows:
            built.kinds[row] = ("used", "")
        elif row in header.title_rows:
            built.kinds[row] = ("ignored", "title")
    _leftovers(form, built)
    built.kinds.update(grid.kinds)
    for row in range(grid.end, span.end):
        if row not in built.kinds:
            built.kinds[row] = ("ignored", "sign_off" if own_cells(form.sheet, row) else "blank")
    for row, (kind, _) in grid.kinds.items():
        if kind == "rejected":
            form.add("unrecognised_row", f"申报表第 {row + 1} 行在指标表中，却不是指标行，未读取。请核对。",
                     (row, grid.header.level1))


def _leftovers(form: _Form, built: Built) -> None:
    """Header texts no label took: side by side in pairs they are an attribute the vocabulary does not know
    (项目编码 | 12345); a lone one in a read row is `form_unread_cell`; a row of nothing else is rejected."""
    by_row: dict[int, list[tuple[int, int]]] = {}
    for pos in form.header.leftovers:
        by_row.setdefault(pos[0], []).append(pos)
    for row, cells in sorted(by_row.items()):
        texts = [(pos, cell_text(form.sheet.rows[pos[0]][pos[1]])) for pos in sorted(cells)]
        while len(texts) >= 2:
            (_, label), (_, value) = texts[:2]
            built.project.attributes[form_label_core(label)[0]] = value
            built.kinds[row] = ("used", "")
            texts = texts[2:]
        for pos, text in texts:
            if row in form.header.used_rows or built.kinds.get(row, ("",))[0] == "used":
                form.add("form_unread_cell", f"申报表单元格内容「{text[:40]}」不是能识别的栏目或其值，未读取。"
                         f"如有用，请填到对应栏目中。", pos)
            else:
                built.kinds[row] = ("rejected", "")
                form.add("unrecognised_row", f"申报表第 {row + 1} 行不是能识别的栏目，未读取：「{text[:60]}」。"
                         f"如是项目信息，请填到对应栏目中。", pos)
