"""report.xlsx's 汇总 sheet: the run's status in three lines, the department table with its 合计 row
(SUM formulas carrying their cached values), and a bar chart of the money kept out of the print area."""

from __future__ import annotations

from pipeline.excel_cell import fit_cell
from pipeline.report.view import ReportView
from pipeline.report.workbook import MONEY, Column, column_widths, fit_rows, row_lines, row_points, write_header

SUMMARY_HEADER = ["部门", "项目数", "指标数", "合计（申报）", "合计（计算）", "控制数", "差额", "状态",
                  "未计入的金额（无法读取，个）"]
SUMMARY_KINDS = ["text", "count", "count", "money", "money", "money_exact", "money_exact", "short", "count"]
SUMMARY_HEADER_ROW = 5             # title, three lines of status, 单位：万元, then the table
TITLE_POINTS = 24.0


def summary_sheet(book, view: ReportView) -> None:
    """汇总 of `book` (an xlsx.ReportBook): the status, the department table with its 合计 row, the chart."""
    styles = book.styles
    sheet = book.sheets["汇总"]
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
    write_header(sheet, styles["head"], top, columns, widths)
    cell_styles = [styles[f"cell_{kind}"] for kind in SUMMARY_KINDS]
    fit_rows(sheet, columns, rows, widths, top + 1)
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
        fit_rows(sheet, columns[:1], [[b.label] for b in view.bars], widths, total_row + 4)
        _chart(book, view, sheet, total_row + 3)


def _status_lines(view: ReportView) -> list[str]:
    counts = "，".join(f"{label} {n} 个" for label, n in view.input_counts.items())
    left_out = f"（拒收的 {view.rejected} 个文件未计入合计）" if view.rejected else ""
    severities = "，".join(f"{label} {n} 个" for label, n in view.severity_counts.items())
    return [f"期间：{view.period}　　运行时间：{view.started_minute}　　状态：{view.status}",
            f"输入文件 {len(view.inputs)} 个：{counts}{left_out}",
            f"问题：{severities}；须退回修改的部门 {view.must_resubmit} 个（明细见「问题清单」）"]


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


def _chart(book, view: ReportView, sheet, top: int) -> None:
    """A native bar chart of the money, over a small block of its data (name, amount) in columns A:B."""
    styles = book.styles
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
