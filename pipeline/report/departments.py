"""Write one department's table in the standard published layout (normalised to 万元).

Title, 部门名称 and 单位：万元, the header, 合计, each spending unit followed by its projects, and the
indicators packed into one cell per project as the budget system prints them. The bundled sample
in inputs/ is made by this writer from the seed text, and departments/<部门名称>.xlsx by every run.
A department's name is the clerk's data, not a path: `safe_stem` makes it a file name that stays
inside departments/ on every operating system, and same-named files get distinct names.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pipeline.excel_cell import fit_cell, pack_indicators
from pipeline.model import Department, amounts_of, column_letter
from pipeline.vocabulary import UNKNOWN_AMOUNT
from pipeline.report.workbook import (MONEY, Column, base_format, column_widths, header_lines, line_count,
                                      print_setup, row_lines, row_points)

TITLE = "项目支出绩效目标表（含转移支付项目）"
HEADER = ["项目名称（资金使用单位）", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标"]
DEPARTMENTS_FOLDER = "departments"
UNKNOWN_NOTE = f"{UNKNOWN_AMOUNT}：原表此单元格不是金额，见 report.xlsx 问题清单（金额无法读取）。此处留空，未按 0 计。"
# path separators and the characters Windows forbids in a file name
_FORBIDDEN = re.compile(r'[/\\:*?"<>|]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
MAX_STEM_BYTES = 150               # file names are limited to 255 bytes; a CJK character takes 3


# Every workbook we write: no input text becomes a formula, a link or a number. in_memory: xlsxwriter
# otherwise writes each XML part to a temporary file before zipping it, which doubled the time of 500
# small departments/ workbooks (3.6 s against 1.5 s).
SAFE_WORKBOOK = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                 "in_memory": True}


# output column of each field of the published layout, to place a finding on the cell it is about
FIELD_COLUMN = {"name": 0, "total": 1, "fiscal": 2, "special_account": 3, "other": 4, "goal": 5, "indicators": 6}
CODE_COLUMN = {"empty_goal": 5, "bad_amount": 1, "row_sum_mismatch": 1, "subtotal_mismatch": 1, "total_mismatch": 1,
               "control_total_mismatch": 1, "duplicate_project": 0}
ADVICE_COLUMNS = [Column("序号", "count"), Column("项目", "text", cap=20), Column("本表单元格", "short"),
                  Column("级别", "short"), Column("问题", "text", cap=14), Column("修改意见", "wrap", cap=60),
                  Column("原表位置", "small", cap=24)]
TABLE_COLUMNS = [Column(HEADER[0], "text", cap=28), *(Column(h, "money") for h in HEADER[1:5]),
                 Column(HEADER[5], "wrap", cap=36), Column(HEADER[6], "wrap", cap=56)]


def write_department_workbook(department: Department, path: Path | str, *, period: str | None = None,
                              findings: list[dict] = (), made: str = "") -> None:
    """The department's table; with findings, the cells they are about highlighted and a second sheet
    修改意见 that says what to change where (a 退回修改 document). Without, the clean table."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), SAFE_WORKBOOK)
    try:
        marks = _write(workbook, department, period, findings, made)
        if findings:
            _advice_sheet(workbook, department, period, findings, marks, made)
    finally:
        workbook.close()


def _rows(department: Department) -> list[tuple[str, list, object]]:
    """(kind, cells, source) of every written row: 合计, each spending unit, then its projects."""
    def amounts(a) -> list:
        # None: could not be read, written blank (never 0.00) with a note on the cell
        return [None if v is None else float(v) for v in (a.total, a.fiscal, a.special_account, a.other)]

    rows = []
    declared = department.declared_total
    if declared is None and department.layout == "form":
        declared = amounts_of(department.projects)    # forms declare no 合计: compiling computes it
    if declared is not None:
        rows.append(("total", ["合计", *amounts(declared), "", ""], department.declared_source))
    for unit in department.spending_units:
        unit_amounts = unit.amounts
        if unit_amounts is None and department.layout == "form":
            unit_amounts = amounts_of(unit.projects)
        if unit_amounts is not None:
            rows.append(("unit", [fit_cell(unit.name), *amounts(unit_amounts), "", ""], unit.source))
        for project in unit.projects:
            # a text over a cell's limit is shortened and says so (the review reported it: text_too_long)
            rows.append(("project", [fit_cell(project.name), *amounts(project.amounts), fit_cell(project.goal),
                                     fit_cell(pack_indicators(project.indicators))], project))
    return rows


def _formats(workbook) -> dict:
    base = base_format()
    add = workbook.add_format
    cell = {**base, "border": 1}
    bad = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
    return {
        "title": add({**base, "bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}),
        "meta": add({**base, "font_size": 11}), "meta_right": add({**base, "font_size": 11, "align": "right"}),
        "head": add({**cell, "bold": True, "bg_color": "#DDEBF7", "align": "center", "valign": "vcenter",
                     "text_wrap": True}),
        "project": add({**cell, "text_wrap": True}), "project_money": add({**cell, "num_format": MONEY}),
        "total": add({**cell, "bold": True, "text_wrap": True}), "total_money": add({**cell, "bold": True, "num_format": MONEY}),
        "bad_project": add({**cell, **bad, "text_wrap": True}), "bad_project_money": add({**cell, **bad, "num_format": MONEY}),
        "bad_total": add({**cell, **bad, "bold": True, "text_wrap": True}),
        "bad_total_money": add({**cell, **bad, "bold": True, "num_format": MONEY}),
    }


def _write(workbook, department: Department, period: str | None, findings, made: str) -> dict:
    """Sheet 1; returns each finding's cell in it (index of the finding -> `G7`), where one was found."""
    sheet = workbook.add_worksheet("项目支出绩效目标表")
    styles = _formats(workbook)
    rows = _rows(department)
    widths = column_widths(TABLE_COLUMNS, [r[1] for r in rows], bold_rows={i for i, r in enumerate(rows) if r[0] != "project"})
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.merge_range(0, 0, 0, 6, TITLE, styles["title"])
    sheet.set_row(0, 24)
    sheet.merge_range(1, 0, 1, 3, fit_cell(f"部门名称：{department.name}"), styles["meta"])
    sheet.merge_range(1, 4, 1, 5, f"期间：{period}" if period else "", styles["meta"])
    sheet.write_string(1, 6, "单位：万元", styles["meta_right"])
    sheet.set_row(1, row_points(max(1, line_count(f"部门名称：{department.name}", sum(widths[:4])))))
    sheet.write_row(2, 0, HEADER, styles["head"])
    sheet.set_row(2, row_points(header_lines(TABLE_COLUMNS, widths)))
    marks = _marks(department, rows, findings)
    for r, (kind, cells, _) in enumerate(rows, start=3):
        lines = row_lines(TABLE_COLUMNS, cells, widths, bold=kind != "project")
        if lines > 1:
            sheet.set_row(r, row_points(lines))
        prefix = "project" if kind == "project" else "total"
        for c, value in enumerate(cells):
            bad = "bad_" if (r - 3, c) in marks.values() else ""
            style = styles[f"{bad}{prefix}_money" if 1 <= c <= 4 else f"{bad}{prefix}"]
            if 1 <= c <= 4 and value is None:
                sheet.write_blank(r, c, None, style)
                sheet.write_comment(r, c, UNKNOWN_NOTE)
            elif 1 <= c <= 4:
                # xlsxwriter stores numbers as doubles: exact for amounts to the 分 below 10^9 万元
                sheet.write_number(r, c, value, style)
            elif value:
                sheet.write_string(r, c, value, style)
            else:
                sheet.write_blank(r, c, None, style)
    sheet.freeze_panes(3, 1)
    print_setup(sheet, title=f"{department.name} {TITLE}", period=period or "", made=made, header_row=2)
    workbook.set_properties({"title": f"{department.name} {TITLE}", "comments": "由 pipeline 生成"})
    return {n: f"{column_letter(c)}{r + 4}" for n, (r, c) in marks.items()}


def _marks(department: Department, rows, findings) -> dict[int, tuple[int, int]]:
    """finding index -> (row index among `rows`, column) of the written cell it is about."""
    by_source = {(s.file, s.sheet, s.row): i for i, (kind, _, s) in enumerate(rows)
                 if kind != "project" and s is not None}
    by_project: dict[str, list[int]] = {}
    for i, (kind, _, project) in enumerate(rows):
        if kind == "project":
            by_source[(project.source.file, project.source.sheet, project.source.row)] = i
            by_project.setdefault(project.name, []).append(i)
    fields = {col: name for name, col in department.columns.items()}
    marks = {}
    for n, f in enumerate(findings):
        row = _cell_row(f["cell"])
        index = by_source.get((f["file"], f["sheet"] or department.sheet, row))
        if index is None and f["project"] in by_project:
            index = by_project[f["project"]][0]
        if index is None:
            continue
        column = CODE_COLUMN.get(f["code"], FIELD_COLUMN.get(fields.get(_cell_col(f["cell"])), 6))
        marks[n] = (index, column)
    return marks


def _cell_row(cell: str | None) -> int | None:
    digits = "".join(ch for ch in (cell or "") if ch.isdigit())
    return int(digits) if digits else None


def _cell_col(cell: str | None) -> int | None:
    letters = "".join(ch for ch in (cell or "") if ch.isalpha())
    if not letters:
        return None
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return col - 1


def _advice_sheet(workbook, department: Department, period: str | None, findings, marks: dict, made: str) -> None:
    """修改意见: each finding with the cell of this workbook it is about and what to do."""
    sheet = workbook.add_worksheet("修改意见")
    styles = {"head": workbook.add_format({**base_format(), "bold": True, "bg_color": "#DDEBF7", "border": 1,
                                           "align": "center", "valign": "vcenter", "text_wrap": True}),
              "text": workbook.add_format({**base_format(), "text_wrap": True}),
              "small": workbook.add_format({**base_format(), "font_size": 8, "text_wrap": True})}
    rows = [[n + 1, f["project"] or "", marks.get(n, ""), f["label"], f["title"], f["text"], f["where"]]
            for n, f in enumerate(findings)]
    widths = column_widths(ADVICE_COLUMNS, rows)
    for c, (column, width) in enumerate(zip(ADVICE_COLUMNS, widths)):
        sheet.set_column(c, c, width, styles["small" if column.kind == "small" else "text"])
    sheet.write_row(0, 0, [c.header for c in ADVICE_COLUMNS], styles["head"])
    sheet.set_row(0, row_points(header_lines(ADVICE_COLUMNS, widths)))
    for r, row in enumerate(rows, start=1):
        sheet.write_row(r, 0, row)
        lines = row_lines(ADVICE_COLUMNS, row, widths)
        if lines > 1:
            sheet.set_row(r, row_points(lines))
    sheet.freeze_panes(1, 0)
    print_setup(sheet, title=f"{department.name} 修改意见", period=period or "", made=made, header_row=0)


def safe_stem(name: str) -> str:
    """A department's name as a file name: no separators, no control or invisible characters (a
    right-to-left override could disguise the extension), no leading dot or `..`, no trailing dot or
    space (Windows drops them), no reserved device name, at most MAX_STEM_BYTES bytes of UTF-8."""
    text = "".join("_" if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") else ch
                   for ch in unicodedata.normalize("NFC", name))
    text = _FORBIDDEN.sub("_", text).strip(" .")
    while len(text.encode("utf-8")) > MAX_STEM_BYTES:
        text = text[:-1].rstrip(" .")
    if not text:
        return "未命名部门"
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        return "_" + text
    return text


def department_file_names(names: list[str]) -> list[str]:
    """One distinct `<safe name>.xlsx` per department, in order; a collision gets `（2）`, `（3）`…
    Names are compared case-folded, as Windows and macOS compare them."""
    taken: set[str] = set()
    result = []
    for name in names:
        stem = safe_stem(name)
        candidate, n = stem, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{stem}（{n}）"
        taken.add(candidate.casefold())
        result.append(f"{candidate}.xlsx")
    return result


def write_departments(folder: Path, batch, record: dict, view) -> None:
    """Writer: departments/<部门名称>.xlsx, each department's table in the published layout; a department
    with findings gets them marked and listed (修改意见), ready to send back. (The table is the batch's own;
    the findings are the run's view's, with their 级别, 问题, 位置 and message without its location.)"""
    from pipeline.report.finding_groups import by_department as department_findings

    target = folder / DEPARTMENTS_FOLDER
    target.mkdir(exist_ok=True)
    root = target.resolve()
    by_department = department_findings(view.findings)
    made = record["started"].replace("T", " ")[:16]
    for department, file_name in zip(batch.departments, department_file_names([d.name for d in batch.departments])):
        path = target / file_name
        if path.resolve().parent != root:  # pragma: no cover - safe_stem makes this impossible
            raise ValueError(f"department file name leaves {target}: {file_name!r}")
        write_department_workbook(department, path, period=record["period"],
                                  findings=by_department.get(department.name, []), made=made)
