"""Find the per-project forms (绩效目标申报表) on a sheet and read each into a project of its department.

A form is an indicator grid header (一级指标 | 二级指标 | 三级指标/指标内容, with no published-table
column in the same row) with a header block above it that names the project (项目名称 or a title line)
and its money (资金情况, 年度资金总额…). A sheet may stack several forms; each one's range runs from the
top of its header block (the first form's from the sheet's first row, so a banner is counted) to the
next form's top, and every row of it is used, ignored for a stated reason, or rejected with a finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.findings import Finding
from pipeline.model import Department, RowCount, SpendingUnit, column_letter
from pipeline.read.form_grid import GridHeader, grid_header, is_sign_off
from pipeline.read.form_header import is_ornament, own_cells, read_header, split_label_value
from pipeline.read.form_project import build_project
from pipeline.read.layout import is_header, match_header
from pipeline.read.normalise import SheetResult
from pipeline.read.sheets import Sheet
from pipeline.text import compact
from pipeline.vocabulary import FORM_TITLE, form_field

HEADER_ROWS = 40                           # how far above its grid a form's header block may start
_MONEY_FIELDS = {"money_block", "total", "period_total", "fiscal", "fiscal_item", "other", "special_account"}


@dataclass(frozen=True, slots=True)
class FormSpan:
    start: int                             # first row of the form's range, 0-based
    top: int                               # first row of its header block
    grid: GridHeader
    end: int                               # one past its last row

    def cell_range(self, sheet: Sheet) -> str:
        width = max((len(sheet.rows[r]) for r in range(self.start, self.end)), default=1)
        return f"A{self.start + 1}:{column_letter(max(width - 1, 0))}{self.end}"


def find_forms(sheet: Sheet) -> list[FormSpan]:
    """Every form on a sheet, top to bottom; [] when the sheet holds none."""
    found: list[tuple[int, GridHeader]] = []
    floor = 0
    for row in range(len(sheet.rows)):
        header = grid_header(sheet, row) if row >= floor else None
        if header is None:
            continue
        top = header_top(sheet, row, floor)
        if top is not None:
            found.append((top, header))
            floor = row + 1
    spans = []
    for k, (top, header) in enumerate(found):
        end = found[k + 1][0] if k + 1 < len(found) else len(sheet.rows)
        spans.append(FormSpan(0 if k == 0 else top, top, header, end))
    return spans


def header_top(sheet: Sheet, grid_row: int, floor: int) -> int | None:
    """The first row of the header block above a grid, or None when the block names no project (by a
    项目名称 label or a title line) or no money: then the grid is not a form's."""
    top, named, money = None, False, False
    for row in range(grid_row - 1, max(floor, grid_row - HEADER_ROWS) - 1, -1):
        cells = own_cells(sheet, row)
        if not cells or is_sign_off(sheet, row):
            break
        if table_header(sheet, row):
            return None                    # a published table's header over a two-row indicator header
        fields = {form_field(t) or _pair_field(t) for _, t in cells}
        title = any(FORM_TITLE.search(compact(t)) for _, t in cells)
        if all(is_ornament(t) for _, t in cells) and not fields - {None}:
            top = row                      # 填报单位:(盖章) 单位:万元 or (2022年度) between the title and the block
            continue
        if fields - {None} or title:
            top = row
            named |= "name" in fields or title
            money |= bool(fields & _MONEY_FIELDS)
            if title and not fields - {None}:
                break                      # the title line is the top of the form
        elif not _labels_in(sheet, row - 1):
            break                          # a row of values stands only under a row of sub-labels
    return top if named and money else None


def table_header(sheet: Sheet, row: int) -> bool:
    """A published table's header row: 项目名称 followed by column titles (总计, 财政拨款…). In a form the
    cell right of 项目名称 is its value."""
    columns, _ = match_header(sheet.rows[row])
    if not is_header(columns):
        return False
    after = [text for col, text in own_cells(sheet, row) if col > columns["name"]]
    return bool(after) and bool(match_header([after[0]])[0])


def _pair_field(text: str) -> str | None:
    pair = split_label_value(text)
    return form_field(pair[0]) if pair else None


def _labels_in(sheet: Sheet, row: int) -> bool:
    return row >= 0 and any(form_field(t) for _, t in own_cells(sheet, row))


def read_form(sheet: Sheet, span: FormSpan, file: str) -> SheetResult:
    """One form as a department holding one spending unit holding one project."""
    header = read_header(sheet, span.top, span.grid.row)
    built = build_project(sheet, span, header, file)
    project = built.project
    unit = SpendingUnit(project.spending_unit, None, None, [project])
    department = Department(project.department, file, sheet.name, "万元", None, None, {}, [unit],
                            layout="form", code=built.department_code)
    counts = RowCount(read=span.end - span.start)
    for row in range(span.start, span.end):
        kind, reason = built.kinds.get(row, ("ignored", "blank" if not own_cells(sheet, row) else "title"))
        if kind == "used":
            counts.used += 1
        elif kind == "rejected":
            counts.rejected += 1
        else:
            counts.ignored += 1
            counts.ignored_as[reason] = counts.ignored_as.get(reason, 0) + 1
    findings: list[Finding] = built.findings
    return SheetResult(department, counts, findings)
