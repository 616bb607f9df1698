"""Turn a form's header block and grid into a `Project`, with the cell of every field.

Money is read by `form_money` in the unit the form states; an unreadable value is unknown (None) with
a `bad_amount` finding. The grid's rows become indicators whose annual values go through the table's
target parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from pipeline.findings import Finding, finding
from pipeline.model import Indicator, Project, Source
from pipeline.read.form_grid import PERIOD, Grid, read_grid, row_target, value_columns
from pipeline.read.form_header import Header, Label, own_cells, read_month, read_period, split_unit_code
from pipeline.read.form_money import read_form_money
from pipeline.read.normalise import split_code
from pipeline.read.sheets import Sheet, cell_text
from pipeline.text import compact
from pipeline.vocabulary import form_label_core


@dataclass(slots=True)
class Built:
    project: Project
    department_code: str
    kinds: dict[int, tuple[str, str]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


class FormReading:
    """A form being read: its sheet, span and header, the cell of every field read so far, its findings."""

    def __init__(self, sheet: Sheet, span, header: Header, file: str):
        self.sheet, self.span, self.header, self.file = sheet, span, header, file
        self.findings: list[Finding] = []
        self.cells: dict[str, Source] = {}
        self.department = self.department_code = ""
        self.name = ""
        self.unit = self.unit_code = ""

    def source(self, pos: tuple[int, int]) -> Source:
        return Source(self.file, self.sheet.name, pos[0] + 1, pos[1])

    def add(self, code: str, pos: tuple[int, int] | None, **params) -> None:
        cell = self.source(pos).cell if pos is not None else None
        self.findings.append(finding(code, file=self.file, sheet=self.sheet.name or None, cell=cell,
                                     department=self.department or None, project=self.name or None, **params))

    def text(self, name: str) -> tuple[str, Label | None]:
        label = self.header.first(name)
        if label is None:
            return "", None
        self.cells[name] = self.source(label.value_cell or label.cell)
        return cell_text(label.value), label


def build_project(sheet: Sheet, span, header: Header, file: str) -> Built:
    form = FormReading(sheet, span, header, file)
    _names(form)
    amounts, period_total, item_sums = read_form_money(form)
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


def _names(form: FormReading) -> None:
    name, name_label = form.text("name")
    form.name = name or f"{PurePosixPath(form.file).stem}（{form.sheet.name or '表'}第{form.span.top + 1}行）"
    department, label, budget_unit = _department_label(form)
    form.department_code, form.department = split_unit_code(department)
    if not form.department:
        form.department = PurePosixPath(form.file).stem
        form.add("missing_department_name", label.cell if label else None, variant="form")
    unit, _ = form.text("spending_unit")
    if not unit and budget_unit is not None and cell_text(budget_unit.value):
        unit = cell_text(budget_unit.value)        # 主管部门 X with 预算单位 Y: Y is the unit spending the money
        form.cells["spending_unit"] = form.source(budget_unit.value_cell or budget_unit.cell)
    form.unit_code, form.unit = split_unit_code(unit)
    form.unit = form.unit or form.department
    if not name:
        title = min(form.header.title_rows, default=form.span.top)
        form.cells["name"] = form.source(name_label.cell if name_label else (title, 0))
        form.add("form_missing_name", name_label.cell if name_label else None)


def _department_label(form: FormReading) -> tuple[str, Label | None, Label | None]:
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


def _goals(form: FormReading) -> tuple[str, str]:
    goal, _ = form.text("goal")
    if not goal:
        block, label = form.text("goal_block")
        if block and label is not None and label.value_cell is not None:
            goal = block
            form.cells["goal"] = form.cells.pop("goal_block")
    period_goal, _ = form.text("period_goal")
    return goal, period_goal


def _period(form: FormReading) -> tuple[str, str]:
    text, label = form.text("period")
    start_text, start_label = form.text("start")
    end_text, end_label = form.text("end")
    if label is not None and text:
        period = read_period(label.value)
        if period is not None:
            return period
        form.add("form_bad_period", label.value_cell or label.cell, variant="period", text=text)
    start = read_month(start_label.value, end=False) if start_label is not None and start_text else None
    end = read_month(end_label.value, end=True) if end_label is not None and end_text else None
    for lab, text_, value in ((start_label, start_text, start), (end_label, end_text, end)):
        if lab is not None and text_ and value is None:
            form.add("form_bad_period", lab.value_cell or lab.cell, variant="date", text=text_)
    return start or "", end or ""


def _indicators(form: FormReading, grid: Grid, project: Project) -> None:
    for kind in grid.empty_blocks:
        form.add("form_empty_block", (grid.header.row, grid.header.blocks[0 if kind == PERIOD else -1].level3),
                 period_block=int(kind == PERIOD))
    two_blocks = len(grid.header.blocks) == 2 and not grid.empty_blocks
    for row in grid.rows:
        if two_blocks:
            _blocks_agree(form, row)
        if not row.name:
            form.add("bad_indicator", row.value_cell or row.name_cell, variant="form", row=row.row + 1,
                     annual_value=row.annual_value)
            continue
        level1_code, level1 = split_code(row.level1)
        level2_code, level2 = split_code(row.level2)
        target = row_target(row)
        annual_col, period_col = value_columns(row)
        indicator = Indicator(len(project.indicators) + 1, level1_code, level1, level2_code, level2, row.name,
                              row.period_value, row.annual_value, target.operator, target.target, target.unit,
                              target.kind, form.source(row.name_cell), annual_col=annual_col, period_col=period_col)
        project.indicators.append(indicator)


def _blocks_agree(form: FormReading, row) -> None:
    """Both blocks of a two-block grid list the same indicator on each row."""
    (period_name, period_value), (annual_name, annual_value) = row.blocks
    if period_name and annual_name and compact(period_name) != compact(annual_name):
        form.add("form_blocks_differ", row.name_cell, variant="names", row=row.row + 1, period_name=period_name,
                 annual_name=annual_name)
    elif bool(period_name or period_value) != bool(annual_name or annual_value):
        in_period = bool(period_name or period_value)
        form.add("form_blocks_differ", row.name_cell, variant="one_block", row=row.row + 1,
                 name=period_name if in_period else annual_name, annual_missing=int(in_period))


def _row_kinds(form: FormReading, grid: Grid, built: Built) -> None:
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
            form.add("unrecognised_row", (row, grid.header.level1), variant="form_grid", row=row + 1)


def _leftovers(form: FormReading, built: Built) -> None:
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
                form.add("form_unread_cell", pos, text=text[:40])
            else:
                built.kinds[row] = ("rejected", "")
                form.add("unrecognised_row", pos, variant="form_header", row=row + 1, text=text[:60])
