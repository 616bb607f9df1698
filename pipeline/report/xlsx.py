"""report.xlsx: the run in seven sheets, laid out so the finance office can print it and send it as it is.

汇总 (status, the department table with its 合计 row, and a chart kept out of the print area:
xlsx_summary.py), 问题清单 (grouped by department and spending unit), 核对 (failures first), 项目 and
绩效指标 (with 合计/计数 rows), 变化 (since the latest earlier period), 文件. Every number comes from
`view.build_view`; widths, row heights and print setup come from `workbook` (docs/reports.md). Input
text never becomes a formula or a link; the only formulas (the 合计 row of 汇总) carry their cached values.

Order: every sheet is added at once (the tab order), then 绩效指标, the largest, is written first: it
needs only the parsed projects, so a run can write it while the batch is still being reviewed
(report/parallel.py, `Ahead`); the other sheets follow, from the view. Every run writes them in that
order, so the file is the same whichever process wrote it.

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
from pathlib import Path

from pipeline import __version__
from pipeline.read.batch import Batch
from pipeline.excel_cell import fit_row
from pipeline.report.departments import SAFE_WORKBOOK
from pipeline.report.view import ReportView
from pipeline.report.xlsx_summary import TITLE_POINTS, summary_sheet
from pipeline.report.xlsx_tables import (CHANGE_COLUMNS, CHECK_COLUMNS, FILE_COLUMNS, FINDING_COLUMNS,
                                         INDICATOR_COLUMNS, PROJECT_COLUMNS, change_rows, check_rows,
                                         file_rows, finding_rows, indicator_count, indicator_rows,
                                         project_rows, project_total)
from pipeline.report.workbook import (COUNT, MONEY, MONEY_EXACT, Column, RowFit, base_format, column_widths,
                                      fit_rows, print_setup, row_lines, row_points, text_width, write_header)

# constant_memory (and not in_memory, which would turn it off): rows go to temporary files in the run
# folder being written, so whatever a killed run leaves goes with that folder
WORKBOOK_OPTIONS = {**{k: v for k, v in SAFE_WORKBOOK.items() if k != "in_memory"}, "constant_memory": True}
TITLE = "项目支出绩效目标审核报告"
SHEETS = ["汇总", "问题清单", "核对", "项目", "绩效指标", "变化", "文件"]
CHANGES_HEADER_ROW = 7             # 变化: the title, five headline lines, a blank row, then the table


def display_width(value: object) -> float:
    """Width of a value's text in Excel character units (CJK counted double)."""
    return text_width("" if value is None else str(value))


class ReportBook:
    """report.xlsx being written: `write_indicators` (绩效指标, from the parsed projects), then `finish`
    (every other sheet, from the view) writes and closes it; `close` alone gives up on it."""

    def __init__(self, path: Path, period: str, made: str, options: dict = WORKBOOK_OPTIONS):
        import xlsxwriter

        self.workbook = xlsxwriter.Workbook(str(path), {**options, "tmpdir": str(path.parent)})
        self.styles = _styles(self.workbook)
        self.period, self.made, self.closed = period, made, False
        self.sheets = {name: self.workbook.add_worksheet(name) for name in SHEETS}

    def setup(self, sheet, header_row: int | None, *, gridlines: bool = True) -> None:
        print_setup(sheet, title=TITLE, period=self.period, made=self.made, header_row=header_row,
                    gridlines=gridlines)

    def write_indicators(self, projects: Callable[[], Iterable], indicators: int) -> None:
        """绩效指标 from `projects()`: each with its department, spending unit, name and indicators (the
        view's `ProjectRow`s or the batch's `ProjectLine`s give the same rows); called twice."""
        _table_sheet(self, "绩效指标", INDICATOR_COLUMNS, lambda: indicator_rows(projects()),
                     indicator_count(indicators))

    def finish(self, view: ReportView) -> None:
        summary_sheet(self, view)
        _table_sheet(self, "问题清单", FINDING_COLUMNS, lambda: finding_rows(view))
        sheet, checks = _table_sheet(self, "核对", CHECK_COLUMNS, lambda: check_rows(view))
        sheet.conditional_format(1, 0, max(checks, 1), len(CHECK_COLUMNS) - 1,
                                 {"type": "formula", "criteria": "=$F2<>0", "format": self.styles["bad"]})
        _table_sheet(self, "项目", PROJECT_COLUMNS, lambda: project_rows(view), project_total(view))
        _changes_sheet(self, view)
        _table_sheet(self, "文件", FILE_COLUMNS, lambda: file_rows(view))
        self.workbook.set_properties({
            "title": f"{TITLE} {view.period}", "subject": f"期间 {view.period}",
            "author": "pipeline", "keywords": view.period, "category": "项目支出绩效目标表",
            "comments": f"由 pipeline {__version__} 生成；运行时间 {view.started_minute}"})
        self.workbook.set_custom_property("期间", view.period)
        self.workbook.set_custom_property("生成程序", f"pipeline {__version__}")
        self.close()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.workbook.close()


def write_report_xlsx(folder: Path, batch: Batch, record: dict, view: ReportView) -> None:
    """Writer: report.xlsx in the run folder, from the run's one view."""
    write_workbook(view, folder / "report.xlsx")


def write_workbook(view: ReportView, path: Path, options: dict = WORKBOOK_OPTIONS) -> None:
    """report.xlsx at `path`; `options` are xlsxwriter's (the same cells in any mode)."""
    book = ReportBook(path, view.period, view.started_minute, options)
    try:
        book.write_indicators(lambda: view.projects, view.totals.indicators)
        book.finish(view)
    finally:
        book.close()


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


def _table_sheet(book: ReportBook, name: str, columns: list[Column], rows: Callable[[], Iterable[list]],
                 total: list | None = None):
    """A sheet of one table: header band, the rows, a bold 合计/计数 row when given, filter and print setup.
    `rows()` gives the rows afresh: once to size the columns, once to write them, never all held twice.
    Returns the sheet and how many rows it has."""
    sheet = book.sheets[name]
    widths = column_widths(columns, rows(), total=total)
    for c, (column, width) in enumerate(zip(columns, widths)):
        sheet.set_column(c, c, width, book.styles[column.kind])
    write_header(sheet, book.styles["head"], 0, columns, widths)
    fit, set_row, write_row = RowFit(columns, widths), sheet.set_row, sheet.write_row
    count = 0
    for count, row in enumerate(rows(), start=1):
        lines = fit.lines(row)
        if lines > 1:
            set_row(count, row_points(lines))      # before the row's cells: constant_memory
        write_row(count, 0, fit_row(row))  # over-long text shortened, saying so (reported as text_too_long)
    if total:
        last = count + 1
        fit_rows(sheet, columns, [total], widths, last, bold=True)
        for c, (column, value) in enumerate(zip(columns, total)):
            kind = {"money": "money", "money_exact": "money_exact", "count": "count"}.get(
                column.kind, "text" if c == 0 else "short")
            sheet.write(last, c, value, book.styles[f"total_{kind}"])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    book.setup(sheet, 0)
    return sheet, count


def _changes_sheet(book: ReportBook, view: ReportView) -> None:
    """变化: what changed since the latest earlier period, headline above the table of changes."""
    sheet = book.sheets["变化"]
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
    write_header(sheet, book.styles["head"], top, CHANGE_COLUMNS, widths)
    fit_rows(sheet, CHANGE_COLUMNS, rows, widths, top + 1)
    for r, row in enumerate(rows, start=top + 1):
        sheet.write_row(r, 0, fit_row(row))
    sheet.freeze_panes(top + 1, 0)
    sheet.autofilter(top, 0, top + max(len(rows), 1), last)
    book.setup(sheet, top)
