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
from pipeline.model import ZERO, Amounts, Department
from pipeline.vocabulary import UNKNOWN_AMOUNT

TITLE = "项目支出绩效目标表（含转移支付项目）"
HEADER = ["项目名称（资金使用单位）", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标"]
WIDTHS = [30, 12, 12, 12, 12, 45, 70]
DEPARTMENTS_FOLDER = "departments"
UNKNOWN_NOTE = f"{UNKNOWN_AMOUNT}：原表此单元格不是金额，见 report.xlsx 问题清单（bad_amount）。此处留空，未按 0 计。"
# path separators and the characters Windows forbids in a file name
_FORBIDDEN = re.compile(r'[/\\:*?"<>|]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
MAX_STEM_BYTES = 150               # file names are limited to 255 bytes; a CJK character takes 3


# Every workbook we write: no input text becomes a formula, a link or a number. in_memory: xlsxwriter
# otherwise writes each XML part to a temporary file before zipping it, which doubled the time of 500
# small departments/ workbooks (3.6 s against 1.5 s).
SAFE_WORKBOOK = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                 "in_memory": True}


def write_department_workbook(department: Department, path: Path | str) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), SAFE_WORKBOOK)
    try:
        _write(workbook, department)
    finally:
        workbook.close()


def _write(workbook, department: Department) -> None:
    sheet = workbook.add_worksheet("项目支出绩效目标表")
    title = workbook.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    meta = workbook.add_format({"font_size": 11})
    meta_right = workbook.add_format({"font_size": 11, "align": "right"})
    head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center",
                                "valign": "vcenter", "text_wrap": True})
    text = workbook.add_format({"border": 1, "valign": "top", "text_wrap": True})
    bold_text = workbook.add_format({"border": 1, "valign": "top", "bold": True})
    money = workbook.add_format({"border": 1, "valign": "top", "num_format": "#,##0.00"})
    bold_money = workbook.add_format({"border": 1, "valign": "top", "num_format": "#,##0.00", "bold": True})
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.merge_range(0, 0, 0, 6, TITLE, title)
    sheet.merge_range(1, 0, 1, 4, fit_cell(f"部门名称：{department.name}"), meta)
    sheet.merge_range(1, 5, 1, 6, "单位：万元", meta_right)
    sheet.write_row(2, 0, HEADER, head)
    row = 3

    def amounts_row(label: str, amounts, fmt_text, fmt_money) -> None:
        sheet.write_string(row, 0, fit_cell(label), fmt_text)
        for col, value in enumerate((amounts.total, amounts.fiscal, amounts.special_account, amounts.other), 1):
            if value is None:  # could not be read: blank (never 0.00), and a note on the cell says why
                sheet.write_blank(row, col, None, fmt_money)
                sheet.write_comment(row, col, UNKNOWN_NOTE)
                continue
            # xlsxwriter stores numbers as doubles: exact for amounts to the 分 below 10^9 万元
            sheet.write_number(row, col, float(value), fmt_money)
        sheet.write_blank(row, 5, None, fmt_text)
        sheet.write_blank(row, 6, None, fmt_text)

    declared = department.declared_total
    if declared is None and department.layout == "form":
        declared = compiled_total(department.projects)    # forms declare no 合计: compiling computes it
    if declared is not None:
        amounts_row("合计", declared, bold_text, bold_money)
        row += 1
    for unit in department.spending_units:
        unit_amounts = unit.amounts
        if unit_amounts is None and department.layout == "form":
            unit_amounts = compiled_total(unit.projects)
        if unit_amounts is not None:
            amounts_row(unit.name, unit_amounts, bold_text, bold_money)
            row += 1
        for project in unit.projects:
            amounts_row(project.name, project.amounts, text, money)
            # a text over a cell's limit is shortened and says so (the review reported it: text_too_long)
            sheet.write_string(row, 5, fit_cell(project.goal), text)
            sheet.write_string(row, 6, fit_cell(pack_indicators(project.indicators)), text)
            row += 1
    sheet.freeze_panes(3, 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    workbook.set_properties({"title": f"{department.name} {TITLE}", "comments": "由 pipeline 生成"})


def compiled_total(projects) -> Amounts:
    """The column sums of a compiled department's (or unit's) projects; a column with an unknown
    amount stays unknown (None) rather than becoming a smaller sum."""
    sums = {}
    for name in ("total", "fiscal", "special_account", "other"):
        values = [getattr(p.amounts, name) for p in projects]
        sums[name] = None if None in values else sum(values, ZERO)
    return Amounts(**sums)


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


def write_departments(folder: Path, batch, record: dict) -> None:
    """Writer: departments/<部门名称>.xlsx, each department's table in the published layout."""
    target = folder / DEPARTMENTS_FOLDER
    target.mkdir(exist_ok=True)
    root = target.resolve()
    for department, file_name in zip(batch.departments, department_file_names([d.name for d in batch.departments])):
        path = target / file_name
        if path.resolve().parent != root:  # pragma: no cover - safe_stem makes this impossible
            raise ValueError(f"department file name leaves {target}: {file_name!r}")
        write_department_workbook(department, path)
