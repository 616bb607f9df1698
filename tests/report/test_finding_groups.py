"""report/finding_groups.py: the findings grouped, ordered and counted as every report lists them."""

from decimal import Decimal

from pipeline.model import Amounts, Source
from pipeline.report.finding_groups import (by_department, by_owner, by_spending_unit, counts_by_label,
                                            counts_by_project, problems_by_owner)
from pipeline.review.rows import ProjectLine


def finding(severity: str, department: str | None, *, file="a.xlsx", sheet="Sheet1", cell="B7", project=None,
            code="empty_goal", title="绩效目标为空") -> dict:
    where = "!".join(x for x in (file, sheet, cell) if x)
    return {"code": code, "severity": severity, "file": file, "sheet": sheet, "cell": cell,
            "department": department, "project": project, "where": where, "title": title,
            "message": f"项目「{project}」有问题。（位置：{where}）", "text": f"项目「{project}」有问题。"}


def line(name: str, unit: str, row: int, department: str = "教育局") -> ProjectLine:
    return ProjectLine(department, unit, name, Amounts(Decimal("1")), "", [], Source("a.xlsx", "Sheet1", row, 0),
                       "table", None, "", "", "", "")


def test_by_owner_puts_groups_with_errors_first_then_the_order_to_fix():
    findings = [finding("error", "卫生局"), finding("warning", "教育局"), finding("warning", None, file="坏.xlsx"),
                finding("warning", "卫生局")]
    groups = by_owner(findings, ["卫生局", "教育局"])
    assert [(owner, [f["severity"] for f in items]) for owner, items in groups] == [
        ("卫生局", ["error", "warning"]), ("教育局", ["warning"]), ("坏.xlsx", ["warning"])]


def test_by_spending_unit_names_the_unit_only_when_the_project_says_which():
    units = {("教育局", "办公经费"): {"第一中学", "第二中学"}, ("教育局", "培训"): {"第一中学"}}
    rows = by_spending_unit([finding("warning", "教育局", project="办公经费"), finding("error", "教育局", project="培训"),
                             finding("error", None, file="坏.xlsx")], units)
    assert [(r["department"], r["spending_unit"], r["severity"]) for r in rows] == [
        ("教育局", "", "warning"), ("教育局", "第一中学", "error"), (None, "", "error")]   # a file's own: last


def test_by_department_gives_each_departments_findings_in_order_and_leaves_a_files_own_out():
    findings = [finding("error", "教育局", project="培训"), finding("warning", None, file="坏.xlsx"),
                finding("warning", "教育局", project="办公")]
    grouped = by_department(findings)
    assert list(grouped) == ["教育局"]
    assert [f["project"] for f in grouped["教育局"]] == ["培训", "办公"]


def test_counts_by_label_in_severity_order_without_zeros():
    assert counts_by_label([finding("warning", "x"), finding("info", "x"), finding("warning", "x")]) == [
        ("警告", 2), ("提示", 1)]


def test_problems_by_owner_worst_kind_first_then_the_most_frequent():
    findings = [finding("warning", "教育局", title="指标过少"), finding("warning", "教育局", title="目标含糊"),
                finding("warning", "教育局", title="目标含糊"), finding("error", "教育局", title="金额不符"),
                finding("info", "教育局", title="提示而已")]
    assert problems_by_owner(findings) == {"教育局": [("金额不符", 1), ("目标含糊", 2), ("指标过少", 1)]}


def test_counts_by_project_tells_same_named_projects_apart_by_row():
    lines = [line("办公经费", "第一中学", 5), line("培训", "第一中学", 6), line("办公经费", "第二中学", 9)]
    findings = [finding("warning", "教育局", project="办公经费", cell="C10"),   # below row 9: the second
                finding("warning", "教育局", project="办公经费", cell="C5"),    # the first's own row
                finding("warning", "教育局", project="办公经费", cell=None),    # no cell: counts for both
                finding("warning", "教育局", project="培训", cell="G6")]
    assert counts_by_project(lines, findings) == [2, 1, 2]
