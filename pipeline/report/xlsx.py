"""report.xlsx: the run in seven sheets, laid out so the finance office can print it and send it as it is.

汇总 (status, the department table with its 合计 row, and a chart kept out of the print area), 问题清单
(grouped by department and spending unit), 核对 (failures first), 项目 and 绩效指标 (with 合计/计数 rows),
变化 (since the latest earlier period), 文件. Every number comes from `view.build_view`; widths, row
heights and print setup come from `workbook` (docs/reports.md). Input text never becomes a formula or a
link; the only formulas (the 合计 row of 汇总) carry their cached values.

Speed: formats are made once per workbook and set on whole columns; rows are written with
`write_row` and no per-cell format, so a 10,000-project batch costs about what raw xlsxwriter does.
Memory: the workbook is written in xlsxwriter's `constant_memory` mode, each row streamed to a
temporary file as the next one starts, so a province's report does not hold its XML. That mode
silently drops a cell or a row height written to a row above the last one written: every sheet here
is written strictly top to bottom, each row's height set before its cells (tests compare every
sheet's cells with an in-memory copy), and the chart is handed its data (the mode keeps none to read back).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__
from pipeline.read.batch import Batch
from pipeline.excel_cell import fit_cell, fit_row
from pipeline.report.departments import SAFE_WORKBOOK
from pipeline.report.view import ReportView
from pipeline.report.xlsx_tables import (CHANGE_COLUMNS, CHECK_COLUMNS, FILE_COLUMNS, FINDING_COLUMNS,
                                         INDICATOR_COLUMNS, PROJECT_COLUMNS, change_rows, check_rows,
                                         file_rows, finding_rows, indicator_count, indicator_rows,
                                         project_rows, project_total)
from pipeline.report.workbook import (COUNT, MONEY, MONEY_EXACT, Column, RowFit, base_format, column_widths,
                                      header_lines, print_setup, row_lines, row_points, text_width)

# constant_memory (and not in_memory, which would turn it off): rows go to temporary files in the run
# folder being written, so whatever a killed run leaves goes with that folder
WORKBOOK_OPTIONS = {**{k: v for k, v in SAFE_WORKBOOK.items() if k != "in_memory"}, "constant_memory": True}
TITLE = "项目支出绩效目标审核报告"
SHEETS = ["汇总", "问题清单", "核对", "项目", "绩效指标", "变化", "文件"]
SUMMARY_HEADER = ["部门", "项目数", "指标数", "合计（申报）", "合计（计算）", "控制数", "差额", "状态",
                  "未计入的金额（无法读取，个）"]
SUMMARY_KINDS = ["text", "count", "count", "money", "money", "money_exact", "money_exact", "short", "count"]
SUMMARY_HEADER_ROW = 5             # title, three lines of status, 单位：万元, then the table
CHANGES_HEADER_ROW = 7             # 变化: the title, five headline lines, a blank row, then the table
TITLE_POINTS = 24.0


def display_width(value: object) -> float:
    """Width of a value's text in Excel character units (CJK counted double)."""
    return text_width("" if value is None else str(value))


@dataclass(slots=True)
class Book:
    """One workbook being written: its formats and what every sheet's print setup says."""
    workbook: object
    styles: dict
    view: ReportView

    def setup(self, sheet, header_row: int | None, *, gridlines: bool = True) -> None:
        print_setup(sheet, title=TITLE, period=self.view.period, made=self.view.started_minute,
                    header_row=header_row, gridlines=gridlines)


def write_report_xlsx(folder: Path, batch: Batch, record: dict, view: ReportView) -> None:
    """Writer: report.xlsx in the run folder, from the run's one view."""
    write_workbook(view, folder / "report.xlsx")


def write_workbook(view: ReportView, path: Path, options: dict = WORKBOOK_OPTIONS) -> None:
    """report.xlsx at `path`; `options` are xlsxwriter's (the same cells in any mode)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {**options, "tmpdir": str(path.parent)})
    try:
        book = Book(workbook, _styles(workbook), view)
        _summary_sheet(book)
        _table_sheet(book, "问题清单", FINDING_COLUMNS, lambda: finding_rows(view))
        sheet, checks = _table_sheet(book, "核对", CHECK_COLUMNS, lambda: check_rows(view))
        sheet.conditional_format(1, 0, max(checks, 1), len(CHECK_COLUMNS) - 1,
                                 {"type": "formula", "criteria": "=$F2<>0", "format": book.styles["bad"]})
        _table_sheet(book, "项目", PROJECT_COLUMNS, lambda: project_rows(view), project_total(view))
        _table_sheet(book, "绩效指标", INDICATOR_COLUMNS, lambda: indicator_rows(view), indicator_count(view))
        _changes_sheet(book)
        _table_sheet(book, "文件", FILE_COLUMNS, lambda: file_rows(view))
        workbook.set_properties({
            "title": f"{TITLE} {view.period}", "subject": f"期间 {view.period}",
            "author": "pipeline", "keywords": view.period, "category": "项目支出绩效目标表",
            "comments": f"由 pipeline {__version__} 生成；运行时间 {view.started_minute}"})
        workbook.set_custom_property("期间", view.period)
        workbook.set_custom_property("生成程序", f"pipeline {__version__}")
    finally:
        workbook.close()


def _styles(workbook) -> dict:
    """Every format of the workbook, made once."""
    add = workbook.add_format
    base = base_format()
    return {
        "title": add({**base, "bold": True, "font_size": 14, "valign": "vcenter"}),
        "head": add({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                     "align": "center", "valign": "vcenter"}),
        "meta": add({**base, "align": "left"}),
        "unit": add({**base, "align": "right"}),
        "text": add({**base, "text_wrap": True}),
        "wrap": add({**base, "text_wrap": True}),
        "short": add(base),
        "small": add({**base, "font_size": 8, "text_wrap": True}),
        "number": add(base),
        "money": add({**base, "num_format": MONEY}),
        "money_exact": add({**base, "num_format": MONEY_EXACT}),
        "count": add({**base, "num_format": COUNT}),
        "total_text": add({**base, "bold": True, "border": 1, "bottom": 6, "text_wrap": True}),
        "total_short": add({**base, "bold": True, "border": 1, "bottom": 6}),
        "total_money": add({**base, "bold": True, "border": 1, "bottom": 6, "num_format": MONEY}),
        "total_money_exact": add({**base, "bold": True, "border": 1, "bottom": 6, "num_format": MONEY_EXACT}),
        "total_count": add({**base, "bold": True, "border": 1, "bottom": 6, "num_format": COUNT}),
        # the 汇总 table is small: its cells carry bordered formats instead of printed gridlines
        "cell_text": add({**base, "border": 1, "text_wrap": True}),
        "cell_short": add({**base, "border": 1}),
        "cell_count": add({**base, "border": 1, "num_format": COUNT}),
        "cell_money": add({**base, "border": 1, "num_format": MONEY}),
        "cell_money_exact": add({**base, "border": 1, "num_format": MONEY_EXACT}),
        "bad": add({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
    }


def _header(sheet, book: Book, row: int, columns: list[Column], widths: list[float]) -> None:
    sheet.write_row(row, 0, [c.header for c in columns], book.styles["head"])
    sheet.set_row(row, row_points(header_lines(columns, widths)))


def _fit_rows(sheet, columns: list[Column], rows: list[list], widths: list[float], first_row: int,
              *, bold: bool = False) -> None:
    """Give every row with wrapped text the height it needs: Excel fits rows when it opens a file, but
    LibreOffice and WPS keep one line and cut the text, on screen and on paper. (In constant_memory
    mode only rows not yet passed: call before writing them.)"""
    fit = RowFit(columns, widths, bold=bold)
    for r, row in enumerate(rows, start=first_row):
        lines = fit.lines(row)
        if lines > 1:
            sheet.set_row(r, row_points(lines))


def _table_sheet(book: Book, name: str, columns: list[Column], rows: Callable[[], Iterable[list]],
                 total: list | None = None):
    """A sheet of one table: header band, the rows, a bold 合计/计数 row when given, filter and print setup.
    `rows()` gives the rows afresh: once to size the columns, once to write them, never all held twice.
    Returns the sheet and how many rows it has."""
    sheet = book.workbook.add_worksheet(name)
    widths = column_widths(columns, rows(), total=total)
    for c, (column, width) in enumerate(zip(columns, widths)):
        sheet.set_column(c, c, width, book.styles[column.kind])
    _header(sheet, book, 0, columns, widths)
    fit, set_row, write_row = RowFit(columns, widths), sheet.set_row, sheet.write_row
    count = 0
    for count, row in enumerate(rows(), start=1):
        lines = fit.lines(row)
        if lines > 1:
            set_row(count, row_points(lines))      # before the row's cells: constant_memory
        write_row(count, 0, fit_row(row))  # over-long text shortened, saying so (reported as text_too_long)
    if total:
        last = count + 1
        _fit_rows(sheet, columns, [total], widths, last, bold=True)
        for c, (column, value) in enumerate(zip(columns, total)):
            kind = {"money": "money", "money_exact": "money_exact", "count": "count"}.get(
                column.kind, "text" if c == 0 else "short")
            sheet.write(last, c, value, book.styles[f"total_{kind}"])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    book.setup(sheet, 0)
    return sheet, count


def _summary_sheet(book: Book) -> None:
    view, styles = book.view, book.styles
    sheet = book.workbook.add_worksheet("汇总")
    columns = [Column(h, k) for h, k in zip(SUMMARY_HEADER, SUMMARY_KINDS)]
    rows = [[d.name, d.projects, d.indicators, _num(d.declared), _num(d.computed), _num(d.control),
             _num(d.difference), d.status, d.unknown] for d in view.departments]
    t = view.totals
    total = ["合计", t.projects, t.indicators, _num(t.declared), _num(t.computed), _num(t.control),
             _num(t.difference), t.status, t.unknown]
    widths = column_widths(columns, rows, total=total)
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    last = len(columns) - 1
    sheet.merge_range(0, 0, 0, last, f"项目支出绩效目标审核汇总（{view.period}）", styles["title"])
    sheet.set_row(0, TITLE_POINTS)
    room = sum(widths)
    for r, line in enumerate(_status_lines(view), start=1):
        sheet.merge_range(r, 0, r, last, line, styles["text"])
        sheet.set_row(r, row_points(row_lines([Column("", "text")], [line], [room])))
    sheet.merge_range(4, 0, 4, last, "单位：万元", styles["unit"])
    top = SUMMARY_HEADER_ROW
    _header(sheet, book, top, columns, widths)
    cell_styles = [styles[f"cell_{kind}"] for kind in SUMMARY_KINDS]
    _fit_rows(sheet, columns, rows, widths, top + 1)
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row):
            sheet.write(r, c, fit_cell(value), cell_styles[c])
    total_row = top + 1 + len(rows)
    _totals_row(sheet, styles, total, top + 1, total_row)
    sheet.conditional_format(top + 1, 6, total_row, 6,
                             {"type": "cell", "criteria": "!=", "value": 0, "format": styles["bad"]})
    sheet.conditional_format(top + 1, 8, total_row, 8,
                             {"type": "cell", "criteria": ">", "value": 0, "format": styles["bad"]})
    sheet.freeze_panes(top + 1, 0)
    sheet.autofilter(top, 0, max(total_row - 1, top + 1), last)
    book.setup(sheet, top, gridlines=False)
    # the chart and its data stay out of the print area: a repeated header row never lands on them
    sheet.print_area(0, 0, total_row, last)
    if view.bars:
        _fit_rows(sheet, columns[:1], [[b.label] for b in view.bars], widths, total_row + 4)
        _chart(book, sheet, total_row + 3)


def _status_lines(view: ReportView) -> list[str]:
    counts = "，".join(f"{label} {n} 个" for label, n in view.input_counts.items())
    left_out = f"（拒收的 {view.rejected} 个文件未计入合计）" if view.rejected else ""
    severities = "，".join(f"{label} {n} 个" for label, n in view.severity_counts.items())
    return [f"期间：{view.period}　　运行时间：{view.started_minute}　　状态：{view.status}",
            f"输入文件 {len(view.inputs)} 个：{counts}{left_out}",
            f"问题：{severities}；须退回修改的部门 {view.must_resubmit} 个（明细见「问题清单」）"]


def _changes_sheet(book: Book) -> None:
    """变化: what changed since the latest earlier period, headline above the table of changes."""
    view = book.view
    sheet = book.workbook.add_worksheet("变化")
    rows = change_rows(view)
    widths = column_widths(CHANGE_COLUMNS, rows)
    for c, (column, width) in enumerate(zip(CHANGE_COLUMNS, widths)):
        sheet.set_column(c, c, width, book.styles[column.kind])
    last = len(CHANGE_COLUMNS) - 1
    sheet.merge_range(0, 0, 0, last, view.changes.title, book.styles["title"])
    sheet.set_row(0, TITLE_POINTS)
    for r, line in enumerate(view.changes.headline, start=1):
        sheet.merge_range(r, 0, r, last, line, book.styles["text"])
        sheet.set_row(r, row_points(row_lines([Column("", "text")], [line], [sum(widths)])))
    top = CHANGES_HEADER_ROW
    _header(sheet, book, top, CHANGE_COLUMNS, widths)
    _fit_rows(sheet, CHANGE_COLUMNS, rows, widths, top + 1)
    for r, row in enumerate(rows, start=top + 1):
        sheet.write_row(r, 0, fit_row(row))
    sheet.freeze_panes(top + 1, 0)
    sheet.autofilter(top, 0, top + max(len(rows), 1), last)
    book.setup(sheet, top)


def _totals_row(sheet, styles: dict, total: list, first: int, row: int) -> None:
    """The 合计 row: SUM formulas over the rows above, each with its cached value (what every viewer shows)."""
    sheet.write_string(row, 0, total[0], styles["total_text"])
    for col, value in enumerate(total[1:7], start=1):
        style = styles["total_count" if col <= 2 else "total_money_exact" if col >= 5 else "total_money"]
        if value is None or row == first:
            sheet.write(row, col, value, style)
        else:
            letter = chr(ord("A") + col)
            sheet.write_formula(row, col, f"=SUM({letter}{first + 1}:{letter}{row})", style, value)
    sheet.write_string(row, 7, total[7], styles["total_short"])
    sheet.write_number(row, 8, total[8], styles["total_count"])


def _chart(book: Book, sheet, top: int) -> None:
    """A native bar chart of the money, over a small block of its data (name, amount) in columns A:B."""
    view, styles = book.view, book.styles
    title = f"各{view.bars_by}金额（万元）"
    sheet.write_row(top, 0, [view.bars_by, "金额（万元）"], styles["head"])
    for r, bar in enumerate(view.bars, start=top + 1):
        sheet.write_string(r, 0, bar.label, styles["cell_text"])
        sheet.write_number(r, 1, float(bar.amount), styles["cell_money"])
    last = top + len(view.bars)
    chart = book.workbook.add_chart({"type": "bar"})
    # the data is handed over as well: in constant_memory mode the chart cannot read it back
    chart.add_series({"name": title, "categories": ["汇总", top + 1, 0, last, 0],
                      "values": ["汇总", top + 1, 1, last, 1], "fill": {"color": "#4472C4"},
                      "categories_data": [b.label for b in view.bars],
                      "values_data": [f"{float(b.amount):.16g}" for b in view.bars],  # as xlsxwriter caches a cell
                      "data_labels": {"value": True, "num_format": MONEY}})
    chart.set_title({"name": title, "name_font": {"size": 11, "bold": True}})
    chart.set_legend({"none": True})
    chart.set_y_axis({"reverse": True})              # the largest bar on top, as in the table
    chart.set_x_axis({"num_format": "#,##0", "major_gridlines": {"visible": True}})
    chart.set_size({"width": 640, "height": max(240, 26 * len(view.bars) + 90)})
    sheet.insert_chart(top, 2, chart, {"x_offset": 12, "y_offset": 0})


def _num(value):
    return None if value is None else float(value)
