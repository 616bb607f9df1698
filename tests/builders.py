"""Build department tables as real files, in the shapes departments send them.

A `Dept` describes a table in 万元; `published_rows` / `long_rows` lay it out as rows of cells, and
the `write_*` functions write those rows as .xlsx (with merged cells, hidden sheets), .xls, .ods or
text in any encoding. Tests describe what they need and assert what the reader gives back.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

TITLE = "项目支出绩效目标表（含转移支付项目）"
HEADER = ["项目名称（资金使用单位）", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标"]
LONG_HEADER = ["项目名称", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "一级指标", "二级指标",
               "三级指标", "实施周期指标值", "年度指标值"]
FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")

DEFAULT_INDICATORS = [
    ("1-产出指标", "11-数量指标", "培训人次", "≥100人次", "≥100人次"),
    ("2-效益指标", "22-社会效益", "政策知晓率", "≥90%", "≥90%"),
    ("3-满意度指标", "31-服务对象满意度", "群众满意度", "≥85%", "≥85%"),
]


@dataclass
class Proj:
    name: str
    fiscal: str = "0"
    special: str = "0"
    other: str = "0"
    goal: str = "做好本项目工作，提升服务水平。"
    indicators: list[tuple[str, str, str, str, str]] = field(default_factory=lambda: list(DEFAULT_INDICATORS))
    total: str | None = None          # None: fiscal + special + other

    def amounts(self) -> list[Decimal]:
        parts = [Decimal(self.fiscal), Decimal(self.special), Decimal(self.other)]
        return [Decimal(self.total) if self.total is not None else sum(parts), *parts]


@dataclass
class Dept:
    name: str
    units: list[tuple[str, list[Proj]]]
    money_unit: str = "万元"
    declared: str | None = None        # the 合计 row's 总计; None: the sum of the units
    unit_totals: dict[str, str] = field(default_factory=dict)   # override a unit row's 总计

    def unit_amounts(self, unit: str, projects: list[Proj]) -> list[Decimal]:
        sums = [sum(p.amounts()[i] for p in projects) for i in range(4)]
        if unit in self.unit_totals:
            sums[0] = Decimal(self.unit_totals[unit])
        return sums

    def total_amounts(self) -> list[Decimal]:
        sums = [sum(self.unit_amounts(u, ps)[i] for u, ps in self.units) for i in range(4)]
        if self.declared is not None:
            sums[0] = Decimal(self.declared)
        return sums


def money(value: Decimal, unit: str, style: str):
    """A 万元 amount as the department would type it in `unit` and `style`."""
    factor = {"万元": 1, "千元": 10, "元": 10000}[unit]
    value = value * factor
    if style == "number":
        return float(value)
    if style == "text":
        return f"{value:.2f}"
    if style == "thousands":
        return f"{value:,.2f}"
    if style == "fullwidth":
        return f"{value:,.2f}".translate(FULLWIDTH)
    raise ValueError(style)


def packed(indicators) -> str:
    return "".join(f"{n}、{l1}；{l2}；{name}；实施周期指标值:{period}；年度指标值:{annual}。"
                   for n, (l1, l2, name, period, annual) in enumerate(indicators, 1))


def preamble(dept: Dept, *, department_line: bool = True) -> list[list]:
    rows = [[TITLE]]
    if department_line:
        rows.append([f"部门名称：{dept.name}", "", "", "", "", "", f"单位：{dept.money_unit}"])
    else:
        rows.append(["", "", "", "", "", "", f"单位：{dept.money_unit}"])
    return rows


def published_rows(dept: Dept, *, style: str = "number", department_line: bool = True) -> list[list]:
    """The published layout: one row per project, all indicators packed in one cell."""

    def amounts(values):
        return [money(v, dept.money_unit, style) for v in values]

    rows = preamble(dept, department_line=department_line) + [list(HEADER)]
    rows.append(["合计", *amounts(dept.total_amounts()), "", ""])
    for unit, projects in dept.units:
        rows.append([unit, *amounts(dept.unit_amounts(unit, projects)), "", ""])
        for p in projects:
            rows.append([p.name, *amounts(p.amounts()), p.goal, packed(p.indicators)])
    return rows


def long_rows(dept: Dept, *, style: str = "number", blank_repeats: bool = True) -> tuple[list[list], list]:
    """One row per indicator. Returns (rows, merges): the project's cells are merged down over its
    indicator rows (`merges` as (first_row, col, last_row, col)), and left blank in the rows."""
    rows = preamble(dept) + [list(LONG_HEADER)]
    merges = []

    def amounts(values):
        return [money(v, dept.money_unit, style) for v in values]

    rows.append(["合计", *amounts(dept.total_amounts())] + [""] * 6)
    for unit, projects in dept.units:
        rows.append([unit, *amounts(dept.unit_amounts(unit, projects))] + [""] * 6)
        for p in projects:
            first = len(rows)
            for n, (l1, l2, name, period, annual) in enumerate(p.indicators):
                own = [p.name, *amounts(p.amounts()), p.goal] if n == 0 or not blank_repeats else [""] * 6
                rows.append(own + [l1, l2, name, period, annual])
            if len(p.indicators) > 1:
                merges.extend((first, col, len(rows) - 1, col) for col in range(6))
    return rows, merges


def write_xlsx(path: Path, sheets: list[dict]) -> Path:
    """sheets: [{"name", "rows", "merges": [(r0, c0, r1, c1)], "hidden": bool, "start": (row, col)}]"""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    for spec in sheets:
        sheet = workbook.add_worksheet(spec.get("name"))
        r_off, c_off = spec.get("start", (0, 0))
        merged = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in spec.get("merges", [])}
        covered = {(r, c) for (r0, c0), (r1, c1) in merged.items()
                   for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for r, row in enumerate(spec["rows"]):
            for c, value in enumerate(row):
                if (r, c) in merged:
                    r1, c1 = merged[(r, c)]
                    sheet.merge_range(r + r_off, c + c_off, r1 + r_off, c1 + c_off, value)
                elif (r, c) in covered or value in ("", None):
                    continue
                elif isinstance(value, (int, float)):
                    sheet.write_number(r + r_off, c + c_off, value)
                else:
                    sheet.write_string(r + r_off, c + c_off, str(value))
        if spec.get("hidden"):
            sheet.hide()
    visible = [s for s, spec in zip(workbook.worksheets(), sheets) if not spec.get("hidden")]
    if visible:
        visible[0].activate()  # Excel cannot hide the active sheet
    workbook.close()
    return path


@dataclass(frozen=True)
class Formula:
    """A formula cell: `cached` is the value the file stores beside it (a number, or an error such as
    "#DIV/0!"); None writes the formula with no value, as openpyxl-based generators do."""
    text: str                          # without the leading =
    cached: object = None


def write_formula_xlsx(path: Path, rows: list[list], sheet: str = "Sheet1") -> Path:
    """An .xlsx in which `Formula` cells are formulas. With every cached value None the file is
    written by openpyxl (formulas stored as `<f>…</f><v/>`, no value); else by xlsxwriter, which
    stores the cached value given (an error string is written as an error value)."""
    cells = [(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row) if v not in ("", None)]
    if all(v.cached is None for _, _, v in cells if isinstance(v, Formula)):
        import openpyxl

        workbook = openpyxl.Workbook()
        ws = workbook.active
        ws.title = sheet
        for r, c, value in cells:
            ws.cell(r + 1, c + 1, f"={value.text}" if isinstance(value, Formula) else value)
        workbook.save(path)
        return path
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = workbook.add_worksheet(sheet)
    for r, c, value in cells:
        if isinstance(value, Formula):
            ws.write_formula(r, c, f"={value.text}", None, value.cached)
        elif isinstance(value, (int, float)):
            ws.write_number(r, c, value)
        else:
            ws.write_string(r, c, str(value))
    workbook.close()
    return path


def write_ods(path: Path, rows: list[list], sheet: str = "Sheet1") -> Path:
    """An .ods in which `Formula` cells are formulas: no value when cached is None, an error when cached
    is an error string (as LibreOffice stores it: an empty string value shown as the error)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name=sheet)
    for row in rows:
        tr = TableRow()
        for value in row:
            if isinstance(value, Formula) and value.cached is None:
                cell = TableCell(formula=f"of:={value.text}")
            elif isinstance(value, Formula) and isinstance(value.cached, str):
                cell = TableCell(formula=f"of:={value.text}", valuetype="string", stringvalue="")
                cell.addElement(P(text=value.cached))
            elif isinstance(value, Formula):
                cell = TableCell(formula=f"of:={value.text}", valuetype="float", value=str(value.cached))
                cell.addElement(P(text=str(value.cached)))
            elif isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=str(value))
                cell.addElement(P(text=str(value)))
            elif value in ("", None):
                cell = TableCell()
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


XLS_ERRORS = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D, "#NUM!": 0x24,
              "#N/A": 0x2A}


def write_xls(path: Path, rows: list[list], sheet: str = "Sheet1") -> Path:
    """An .xls (BIFF8, by xlwt). `Formula` cells are formulas with the cached result given: a number,
    an error string such as "#REF!", or None for none (xlwt's own: an empty-string result)."""
    import struct

    import xlwt
    from xlwt import BIFFRecords

    results = {}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, Formula) and isinstance(value.cached, str):
                results[(r, c)] = 0xFFFF000000000002 | (XLS_ERRORS[value.cached] << 16)
            elif isinstance(value, Formula) and value.cached is not None:
                results[(r, c)] = struct.unpack("<Q", struct.pack("<d", float(value.cached)))[0]
    original = BIFFRecords.FormulaRecord.__init__

    def with_result(record, row, col, xf_index, rpn, calc_flags=0):
        result = results.get((row, col), 0xFFFF000000000003)
        record._rec_data = struct.pack("<3HQHL", row, col, xf_index, result, calc_flags & 3, 0) + rpn

    workbook = xlwt.Workbook(encoding="utf-8")
    ws = workbook.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, Formula):
                ws.write(r, c, xlwt.Formula(value.text))
            elif value not in ("", None):
                ws.write(r, c, value)
    BIFFRecords.FormulaRecord.__init__ = with_result   # xlwt writes no result of its own
    try:
        workbook.save(str(path))
    finally:
        BIFFRecords.FormulaRecord.__init__ = original
    return path


def text_bytes(rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else (f"{v:.2f}" if isinstance(v, float) else v) for v in row] for row in rows])
    return buffer.getvalue().encode(encoding)


def write_text(path: Path, rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    path.write_bytes(text_bytes(rows, encoding=encoding, delimiter=delimiter))
    return path


def education_bureau() -> Dept:
    """A department with two spending units (a bureau and its school)."""
    return Dept("某区教育局", [
        ("某区教育局机关", [Proj("教师培训经费", fiscal="120.50"), Proj("教研活动经费", fiscal="30.25", other="4.25")]),
        ("某区第一中学", [Proj("校舍维修经费", fiscal="80.00", special="20.00")]),
    ])
