"""report.xlsx: the run in seven sheets, styled so the finance office can print it and send it as it is.

汇总 (the department table with its totals row and a chart), 变化 (since the latest earlier period),
项目, 绩效指标, 核对, 问题清单, 文件.
Every number comes from `report_data.build_view`. Conventions (docs/reports.md): bold header band,
panes frozen under it, autofilter, widths that fit Chinese text, wrapped long text, amounts
`#,##0.00`, A4 landscape one page wide with the header repeated and a page-number footer. Input text
never becomes a formula or a link; the only formulas (the totals) carry their cached values.

Speed: formats are made once per workbook and set on whole columns; rows are written with
`write_row` and no per-cell format, so a 10,000-project batch costs about what raw xlsxwriter does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__
from pipeline.read.batch import Batch
from pipeline.excel_cell import coded, fit_cell, fit_row
from pipeline.report.departments import SAFE_WORKBOOK
from pipeline.findings import location
from pipeline.report.view import KIND_LABEL, ReportView, build_view

WORKBOOK_OPTIONS = SAFE_WORKBOOK
SHEETS = ["汇总", "变化", "项目", "绩效指标", "核对", "问题清单", "文件"]
MONEY = "#,##0.00"
MONEY_EXACT = "#,##0.00####"       # a difference: 0.0001 shows as 0.0001, never as 0.00
FOOTER = "&C第 &P 页，共 &N 页"
SUMMARY_HEADER = ["部门", "项目数", "指标数", "合计（申报）", "合计（计算）", "控制数", "差额", "状态",
                  "未计入的金额（无法读取，个）"]
SUMMARY_KINDS = ["text", "count", "count", "money", "money", "money_exact", "money_exact", "short", "count"]
SUMMARY_HEADER_ROW = 5
CHANGES_HEADER_ROW = 7             # 变化: the title, five headline lines, a blank row, then the table
# column widths in Excel units, capped so a table prints one A4 page wide at a legible scale
WIDTH_CAP = {"text": 28, "wrap": 36, "short": 10, "small": 30, "money": 14, "money_exact": 14, "count": 9,
             "number": 10}
SMALL = 0.8                        # an 8-point character is 0.8 the width of a 10-point one
MIN_WIDTH = {"wrap": 24, "money": 12, "money_exact": 12, "short": 8}
LINE_HEIGHT = 13.5                 # points per line of 10-point text
MAX_LINES = 30                     # Excel's tallest row is 409 points
MEASURE_CHARS = 80                 # no column is wider than this, so longer text need not be measured


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: str = "text"             # text | wrap (long text) | short (a word) | small (8 pt) | money
                                   # | money_exact (a difference) | count | number


def display_width(value: object, limit: int | None = MEASURE_CHARS) -> int:
    """Width in Excel character units: a wide (CJK, full-width) character counts double.

    In UTF-8 such characters take 3 bytes and ASCII 1, so (bytes + characters) / 2 counts them right
    without a per-character loop."""
    text = value if isinstance(value, str) else "" if value is None else str(value)
    text = text[:limit]
    return (len(text.encode("utf-8")) + len(text)) // 2


def text_lines(text: str, width: float) -> int:
    """Lines a wrapped cell of `width` needs for `text`."""
    usable = max(width - 1, 1)
    return sum(max(1, -int(-display_width(part, None) // usable)) for part in text.split("\n"))


def write_report_xlsx(folder: Path, batch: Batch, record: dict) -> None:
    """Writer: report.xlsx in the run folder."""
    write_workbook(build_view(batch, record), folder / "report.xlsx")


def write_workbook(view: ReportView, path: Path) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        styles = _styles(workbook)
        _summary_sheet(workbook, styles, view)
        _changes_sheet(workbook, styles, view)
        _table_sheet(workbook, styles, view, "项目", PROJECT_COLUMNS, _project_rows(view))
        _table_sheet(workbook, styles, view, "绩效指标", INDICATOR_COLUMNS, _indicator_rows(view))
        checks = _table_sheet(workbook, styles, view, "核对", CHECK_COLUMNS, _check_rows(view))
        last = max(len(view.checks), 1)
        checks.conditional_format(1, 0, last, len(CHECK_COLUMNS) - 1,
                                  {"type": "formula", "criteria": "=$F2<>0", "format": styles["bad"]})
        _table_sheet(workbook, styles, view, "问题清单", FINDING_COLUMNS, _finding_rows(view))
        _table_sheet(workbook, styles, view, "文件", FILE_COLUMNS, _file_rows(view))
        workbook.set_properties({
            "title": f"项目支出绩效目标审核报告 {view.period}", "subject": f"期间 {view.period}",
            "author": "pipeline", "keywords": view.period, "category": "项目支出绩效目标表",
            "comments": f"由 pipeline {__version__} 生成；运行时间 {view.started}"})
        workbook.set_custom_property("期间", view.period)
        workbook.set_custom_property("生成程序", f"pipeline {__version__}")
    finally:
        workbook.close()


def _styles(workbook) -> dict:
    """Every format of the workbook, made once."""
    add = workbook.add_format
    base = {"valign": "top", "font_name": "宋体", "font_size": 10}
    return {
        "title": add({**base, "bold": True, "font_size": 14, "valign": "vcenter"}),
        "head": add({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                     "align": "center", "valign": "vcenter"}),
        "label": add({**base, "bold": True}),
        "meta": add({**base, "align": "left"}),
        "text": add({**base, "text_wrap": True}),
        "wrap": add({**base, "text_wrap": True}),
        "short": add(base),
        "small": add({**base, "font_size": 8, "text_wrap": True}),
        "number": add(base),
        "money": add({**base, "num_format": MONEY}),
        "money_exact": add({**base, "num_format": MONEY_EXACT}),
        "count": add({**base, "num_format": "#,##0"}),
        "total_text": add({**base, "bold": True, "border": 1, "bottom": 6}),
        "total_money": add({**base, "bold": True, "border": 1, "bottom": 6, "num_format": MONEY}),
        "total_money_exact": add({**base, "bold": True, "border": 1, "bottom": 6, "num_format": MONEY_EXACT}),
        "total_count": add({**base, "bold": True, "border": 1, "bottom": 6, "num_format": "#,##0"}),
        # the 汇总 table is small: its cells carry bordered formats instead of printed gridlines
        "cell_text": add({**base, "border": 1, "text_wrap": True}),
        "cell_short": add({**base, "border": 1}),
        "cell_count": add({**base, "border": 1, "num_format": "#,##0"}),
        "cell_money": add({**base, "border": 1, "num_format": MONEY}),
        "cell_money_exact": add({**base, "border": 1, "num_format": MONEY_EXACT}),
        "bad": add({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
    }


def _print_setup(sheet, header_row: int, period: str, gridlines: bool = True) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)                              # A4
    sheet.fit_to_pages(1, 0)                        # one page wide, as many pages long as it takes
    sheet.repeat_rows(header_row)
    sheet.set_header(f"&L项目支出绩效目标审核报告 {period}&R&A")
    sheet.set_footer(FOOTER)
    sheet.hide_gridlines(0 if gridlines else 1)     # 0: print them too; 1: on screen only
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)


def _set_widths(sheet, columns: list[Column], rows: list[list], styles: dict) -> list[float]:
    """Set each column's width and format; return how many 10-point character units fit in each."""
    capacity = []
    for col, (column, values) in enumerate(zip(columns, zip(*rows) if rows else [()] * len(columns))):
        scale = SMALL if column.kind == "small" else 1
        cap = WIDTH_CAP[column.kind] / scale
        measured = display_width(column.header) + 3
        for value in values:
            # a string is at most twice its length wide: measure only those that might widen the column
            if value.__class__ is str and 2 * len(value) + 2 > measured:
                measured = max(measured, display_width(value) + 2)
                if measured >= cap:                 # as wide as it may be: the rest cannot change it
                    break
        width = min(max(measured * scale, MIN_WIDTH.get(column.kind, 0)), WIDTH_CAP[column.kind])
        sheet.set_column(col, col, width, styles[column.kind])
        capacity.append(width / scale)
    return capacity


def _fit_rows(sheet, rows: list[list], widths: list[float], first_row: int) -> None:
    """Give rows with wrapped text the height it needs: Excel fits them when it opens the file, but
    LibreOffice and WPS keep one line and cut the text, on screen and on paper."""
    usable = [w - 1 for w in widths]
    for r, row in enumerate(rows, start=first_row):
        lines = 1
        for value, room in zip(row, usable):
            # a string is at most twice its length wide: most are too short to wrap and need no measuring
            if value.__class__ is str and 2 * len(value) > room:
                if (len(value.encode("utf-8")) + len(value)) // 2 > room or "\n" in value:
                    lines = max(lines, text_lines(value, room + 1))
        if lines > 1:
            sheet.set_row(r, LINE_HEIGHT * min(lines, MAX_LINES))


def _table_sheet(workbook, styles: dict, view: ReportView, name: str, columns: list[Column], rows: list[list]):
    sheet = workbook.add_worksheet(name)
    widths = _set_widths(sheet, columns, rows, styles)
    _fit_rows(sheet, rows, widths, 1)
    sheet.write_row(0, 0, [c.header for c in columns], styles["head"])
    write_row = sheet.write_row
    for r, row in enumerate(rows, start=1):
        write_row(r, 0, fit_row(row))  # over-long text shortened, saying so (reported as text_too_long)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    _print_setup(sheet, 0, view.period)
    return sheet


def _summary_sheet(workbook, styles: dict, view: ReportView) -> None:
    sheet = workbook.add_worksheet("汇总")
    columns = [Column(h, k) for h, k in zip(SUMMARY_HEADER, SUMMARY_KINDS)]
    rows = [[d.name, d.projects, d.indicators, _num(d.declared), _num(d.computed), _num(d.control),
             _num(d.difference), d.status, d.unknown] for d in view.departments]
    widths = _set_widths(sheet, columns, rows + [[b.label] for b in view.bars], styles)
    sheet.merge_range(0, 0, 0, len(columns) - 1, f"项目支出绩效目标审核汇总（{view.period}）", styles["title"])
    meta = [["期间", view.period, "运行时间", view.started_minute, "状态", view.status],
            ["输入文件", len(view.inputs), *[x for item in view.input_counts.items() for x in item]],
            ["问题", len(view.findings), *[x for item in view.severity_counts.items() for x in item]]]
    for r, values in enumerate(meta, start=1):
        for c, value in enumerate(values):
            sheet.write(r, c, value, styles["label"] if c % 2 == 0 else styles["meta"])
    top = SUMMARY_HEADER_ROW
    sheet.write_row(top, 0, SUMMARY_HEADER, styles["head"])
    cell_styles = [styles[f"cell_{kind}"] for kind in SUMMARY_KINDS]
    _fit_rows(sheet, rows, widths, top + 1)
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row):
            sheet.write(r, c, fit_cell(value), cell_styles[c])
    total_row = top + 1 + len(rows)
    _totals_row(sheet, styles, view, top + 1, total_row)
    sheet.conditional_format(top + 1, 6, total_row, 6,
                             {"type": "cell", "criteria": "!=", "value": 0, "format": styles["bad"]})
    sheet.conditional_format(top + 1, 8, total_row, 8,
                             {"type": "cell", "criteria": ">", "value": 0, "format": styles["bad"]})
    sheet.freeze_panes(top + 1, 0)
    sheet.autofilter(top, 0, max(total_row - 1, top + 1), len(columns) - 1)
    _print_setup(sheet, top, view.period, gridlines=False)
    if view.bars:
        _fit_rows(sheet, [[b.label] for b in view.bars], widths, total_row + 3)
        _chart(workbook, sheet, styles, view, total_row + 2)


def _changes_sheet(workbook, styles: dict, view: ReportView) -> None:
    """变化: what changed since the latest earlier period, headline above the table of changes."""
    sheet = workbook.add_worksheet("变化")
    rows = _change_rows(view)
    widths = _set_widths(sheet, CHANGE_COLUMNS, rows, styles)
    last = len(CHANGE_COLUMNS) - 1
    sheet.merge_range(0, 0, 0, last, view.changes.title, styles["title"])
    for r, line in enumerate(view.changes.headline, start=1):
        sheet.merge_range(r, 0, r, last, line, styles["meta"])
    top = CHANGES_HEADER_ROW
    sheet.write_row(top, 0, [c.header for c in CHANGE_COLUMNS], styles["head"])
    _fit_rows(sheet, rows, widths, top + 1)
    for r, row in enumerate(rows, start=top + 1):
        sheet.write_row(r, 0, fit_row(row))
    sheet.freeze_panes(top + 1, 0)
    sheet.autofilter(top, 0, top + max(len(rows), 1), last)
    _print_setup(sheet, top, view.period)


def _totals_row(sheet, styles: dict, view: ReportView, first: int, row: int) -> None:
    """The 合计 row: SUM formulas over the rows above, each with its cached value (what every viewer shows)."""
    t = view.totals
    sheet.write_string(row, 0, "合计", styles["total_text"])
    values = [t.projects, t.indicators, t.declared, t.computed, t.control, t.difference]
    for col, value in enumerate(values, start=1):
        style = styles["total_count" if col <= 2 else "total_money_exact" if col >= 5 else "total_money"]
        if value is None or row == first:
            sheet.write(row, col, _num(value), style)
        else:
            letter = chr(ord("A") + col)
            sheet.write_formula(row, col, f"=SUM({letter}{first + 1}:{letter}{row})", style, _num(value))
    sheet.write_string(row, 7, t.status, styles["total_text"])
    sheet.write_number(row, 8, t.unknown, styles["total_count"])


def _chart(workbook, sheet, styles: dict, view: ReportView, top: int) -> None:
    """A native bar chart of the money, over a small block of its data (name, amount) in columns A:B."""
    title = f"各{view.bars_by}金额（万元）"
    sheet.write_row(top, 0, [view.bars_by, "金额（万元）"], styles["head"])
    for r, bar in enumerate(view.bars, start=top + 1):
        sheet.write_string(r, 0, bar.label, styles["cell_text"])
        sheet.write_number(r, 1, float(bar.amount), styles["cell_money"])
    last = top + len(view.bars)
    chart = workbook.add_chart({"type": "bar"})
    chart.add_series({"name": title, "categories": ["汇总", top + 1, 0, last, 0],
                      "values": ["汇总", top + 1, 1, last, 1], "fill": {"color": "#4472C4"},
                      "data_labels": {"value": True, "num_format": MONEY}})
    chart.set_title({"name": title, "name_font": {"size": 11, "bold": True}})
    chart.set_legend({"none": True})
    chart.set_y_axis({"reverse": True})              # the largest bar on top, as in the table
    chart.set_x_axis({"num_format": "#,##0", "major_gridlines": {"visible": True}})
    chart.set_size({"width": 640, "height": max(240, 26 * len(view.bars) + 90)})
    sheet.insert_chart(top, 2, chart, {"x_offset": 12, "y_offset": 0})


def _num(value):
    return None if value is None else float(value)


PROJECT_COLUMNS = [Column("部门"), Column("资金使用单位"), Column("项目名称"), Column("总计", "money"),
                   Column("财政拨款", "money"), Column("财政专户拨款", "money"), Column("其他资金", "money"),
                   Column("指标数", "count"), Column("问题数", "count"), Column("绩效目标", "wrap"), Column("来源", "small"),
                   Column("无法读取的金额", "short")]
INDICATOR_COLUMNS = [Column("部门"), Column("资金使用单位"), Column("项目名称"), Column("序号", "count"),
                     Column("一级指标"), Column("二级指标"), Column("三级指标"), Column("实施周期指标值", "wrap"),
                     Column("年度指标值", "wrap"), Column("运算符", "short"), Column("目标值", "number"),
                     Column("单位", "short"), Column("类型", "short"), Column("来源", "small")]
CHECK_COLUMNS = [Column("部门"), Column("金额列", "short"), Column("核对内容", "wrap"), Column("应为（万元）", "money_exact"),
                 Column("实际（万元）", "money_exact"), Column("差额（万元）", "money_exact"), Column("位置", "small"),
                 Column("结果", "short")]
FINDING_COLUMNS = [Column("级别", "short"), Column("代码"), Column("部门"), Column("项目"), Column("位置", "small"),
                   Column("说明", "wrap")]
CHANGE_COLUMNS = [Column("类别", "short"), Column("变化", "short"), Column("部门"), Column("资金使用单位"),
                  Column("项目"), Column("指标 / 问题"), Column("原值", "wrap"), Column("新值", "wrap"),
                  Column("原金额（万元）", "money"), Column("新金额（万元）", "money"), Column("差额（万元）", "money"),
                  Column("说明", "wrap")]
FILE_COLUMNS = [Column("文件"), Column("状态", "short"), Column("原因", "wrap"), Column("sha256", "small"),
                Column("读取行数", "count"), Column("使用", "count"), Column("忽略", "count"), Column("拒收", "count")]


def _project_rows(view: ReportView) -> list[list]:
    # an amount that could not be read is a blank cell (never 0), named in the last column
    return [[p.department, p.spending_unit, p.name, _num(p.total), _num(p.fiscal), _num(p.special_account),
             _num(p.other), len(p.indicators), p.findings, p.goal, p.where, p.unreadable] for p in view.projects]


def _indicator_rows(view: ReportView) -> list[list]:
    return [[p.department, p.spending_unit, p.name, i.seq, coded(i.level1_code, i.level1),
             coded(i.level2_code, i.level2), i.name, i.period_value, i.annual_value, i.operator or "",
             None if i.target is None else float(i.target), i.unit, KIND_LABEL.get(i.kind, i.kind),
             location(i.source.file, i.source.sheet, i.source.cell)]
            for p in view.projects for i in p.indicators]


def _check_rows(view: ReportView) -> list[list]:
    return [[c.department, c.column, c.what, float(c.expected), float(c.actual), float(c.difference), c.where,
             "通过" if c.passed else "不符"] for c in view.checks]


def _finding_rows(view: ReportView) -> list[list]:
    return [[f["label"], f["code"], f["department"] or "", f["project"] or "", f["where"], f["message"]]
            for f in view.findings]


def _change_rows(view: ReportView) -> list[list]:
    return [[c.category, c.change, c.department, c.spending_unit, c.project, c.item, c.old_value, c.new_value,
             _num(c.old), _num(c.new), _num(c.difference), c.note] for c in view.changes.rows]


def _file_rows(view: ReportView) -> list[list]:
    return [[i["file"], i["label"], i["reason"] or "", i["sha256"] or "", i["rows"]["read"], i["rows"]["used"],
             i["rows"]["ignored"], i["rows"]["rejected"]] for i in view.inputs]
