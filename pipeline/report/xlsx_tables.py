"""The columns and rows of report.xlsx's table sheets, from the one view (`view.build_view`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pipeline.findings import location, title_of
from pipeline.excel_cell import coded
from pipeline.report.view import KIND_LABEL, ReportView
from pipeline.report.workbook import Column


def num(value):
    return None if value is None else float(value)


PROJECT_COLUMNS = [Column("部门"), Column("资金使用单位"), Column("项目名称"), Column("总计", "money"),
                   Column("财政拨款", "money"), Column("财政专户拨款", "money"), Column("其他资金", "money"),
                   Column("指标数", "count"), Column("问题数", "count"), Column("绩效目标", "wrap"),
                   Column("来源", "small", cap=22), Column("无法读取的金额", "short")]
INDICATOR_COLUMNS = [Column("部门"), Column("资金使用单位"), Column("项目名称"), Column("序号", "count"),
                     Column("一级指标", "text", cap=14), Column("二级指标", "text", cap=14), Column("三级指标"),
                     Column("实施周期指标值", "wrap", cap=24), Column("年度指标值", "wrap", cap=24),
                     Column("运算符", "short"), Column("目标值", "number"), Column("单位", "short"),
                     Column("类型", "short"), Column("来源", "small", cap=22)]
CHECK_COLUMNS = [Column("部门"), Column("金额列", "short"), Column("核对内容", "wrap"),
                 Column("应为（万元）", "money_exact"), Column("实际（万元）", "money_exact"),
                 Column("差额（万元）", "money_exact"), Column("位置", "small"), Column("结果", "short")]
FINDING_COLUMNS = [Column("部门", "text", cap=18), Column("资金使用单位", "text", cap=18), Column("项目", "text", cap=18),
                   Column("单元格", "small", cap=22), Column("级别", "short"), Column("问题", "text", cap=14),
                   Column("说明", "wrap", cap=60)]
CHANGE_COLUMNS = [Column("类别", "short"), Column("变化", "short"), Column("部门", "text", cap=16),
                  Column("资金使用单位", "text", cap=16), Column("项目", "text", cap=16), Column("指标 / 问题", "text", cap=16),
                  Column("原值", "wrap", cap=16), Column("新值", "wrap", cap=16), Column("原金额（万元）", "money"),
                  Column("新金额（万元）", "money"), Column("差额（万元）", "money"), Column("说明", "wrap", cap=30)]
FILE_COLUMNS = [Column("文件"), Column("状态", "short"), Column("原因", "wrap"), Column("sha256", "small", cap=18),
                Column("读取行数", "count"), Column("使用", "count"), Column("忽略", "count"), Column("拒收", "count")]


# The big tables are generators: report.xlsx reads each twice (widths, then cells), one row at a time,
# so a province's 450,000 indicator rows are never held as lists.
def project_rows(view: ReportView) -> Iterator[list]:
    # an amount that could not be read is a blank cell (never 0), named in the last column
    return ([p.department, p.spending_unit, p.name, num(p.total), num(p.fiscal), num(p.special_account),
             num(p.other), len(p.indicators), p.findings, p.goal, p.where, p.unreadable] for p in view.projects)


def project_total(view: ReportView) -> list:
    sums = view.project_sums
    return [f"合计（{len(view.projects):,} 个项目）", "", "", *(float(x) for x in sums),
            view.totals.indicators, view.project_findings, "", "", ""]


def indicator_rows(projects: Iterable) -> Iterator[list]:
    """`projects`: anything with a department, spending unit, name and indicators (the view's rows, or
    the batch's lines before the view exists: report.xlsx's 绩效指标 is written while the batch is reviewed)."""
    for p in projects:
        head = [p.department, p.spending_unit, p.name]
        for i in p.indicators:
            source = i.source
            yield [*head, i.seq, coded(i.level1_code, i.level1), coded(i.level2_code, i.level2), i.name,
                   i.period_value, i.annual_value, i.operator or "", None if i.target is None else float(i.target),
                   i.unit, KIND_LABEL.get(i.kind, i.kind), location(source.file, source.sheet, source.cell)]


def indicator_count(indicators: int) -> list:
    return [f"计数：{indicators:,} 条", "", "", None, "", "", "", "", "", "", None, "", "", ""]


def check_rows(view: ReportView) -> list[list]:
    """The failed checks, each with its figures; then one line per department and money column for the
    checks that passed."""
    failed = [[c.department, c.column, c.what, float(c.expected), float(c.actual), float(c.difference), c.where,
               "不符"] for c in view.failed_checks]
    passed = [[department, column, f"其余 {count:,} 项{column}核对（行、小计、合计）均相符", None, None, None, "",
               "通过"] for department, column, count in view.passed_checks_by_department if count]
    return failed + passed


def finding_rows(view: ReportView) -> Iterator[list]:
    """Grouped by department and spending unit; the location once, in 单元格, not again in 说明."""
    return ([f["department"] or "", f["spending_unit"], f["project"] or "", f["where"], f["label"], f["title"],
             f["text"]] for f in view.findings_grouped)


def change_rows(view: ReportView) -> list[list]:
    return [[c.category, c.change, c.department, c.spending_unit, c.project,
             title_of(c.item) if c.category == "问题" else c.item, c.old_value, c.new_value,
             num(c.old), num(c.new), num(c.difference), c.note] for c in view.changes.rows]


def file_rows(view: ReportView) -> list[list]:
    return [[i["file"], i["label"], i["reason"] or "", i["sha256"] or "", i["rows"]["read"], i["rows"]["used"],
             i["rows"]["ignored"], i["rows"]["rejected"]] for i in view.inputs]
