"""review/rows.py: a project's and an indicator's facts flattened once, and every public table, report
and history row takes them from there."""

from decimal import Decimal

from pipeline.history.snapshot import snapshot_of
from pipeline.model import Amounts, Department, Indicator, Project, Source, SpendingUnit
from pipeline.read.batch import Batch
from pipeline.report.record import indicator_rows, project_rows, run_record
from pipeline.report.view import build_view
from pipeline.findings import Finding
from pipeline.review.reconcile import Check
from pipeline.review.rows import department_lines, indicator_lines, project_lines


def indicator(seq: int, source: Source) -> Indicator:
    return Indicator(seq, "1", "产出指标", "11", "数量指标", f"培训人次{seq}", "≥100人次", "≥120人次", "≥",
                     Decimal("120"), "人次", "quantitative", source, level1_framework="产出指标",
                     level2_framework="数量指标")


def batch() -> Batch:
    """A table row with an unreadable 财政拨款 and a per-project form, in two departments."""
    row = Project("教育局", "第一中学", "教师培训", Amounts(Decimal("12.3456"), None, Decimal("0"), Decimal("2")),
                  "培训教师。", Source("教育局.xlsx", "Sheet1", 7, 1), {},
                  [indicator(1, Source("教育局.xlsx", "Sheet1", 7, 8))])
    form = Project("卫生局", "卫生局", "疫苗接种", Amounts(Decimal("5"), Decimal("5")), "接种。",
                   Source("卫生局/申报表.xlsx", "表1", 4, 2), {}, [indicator(1, Source("卫生局/申报表.xlsx", "表1", 12, 2)),
                                                                 indicator(2, Source("卫生局/申报表.xlsx", "表1", 13, 2))],
                   layout="form", period_total=Decimal("15"), period_start="2026-01", period_end="2028-12",
                   period_goal="三年接种。", form_range="A1:H30")
    departments = [Department(name, project.source.file, project.source.sheet, "万元", None, None, {},
                              [SpendingUnit(project.spending_unit, None, None, [project])], layout=project.layout)
                   for name, project in (("教育局", row), ("卫生局", form))]
    return Batch(departments=departments)


def test_a_project_line_takes_every_fact_from_the_project():
    table, form = project_lines(batch())
    a = table.amounts
    assert (a.total, a.fiscal, a.special_account, a.other) == (Decimal("12.3456"), None, 0, 2)
    assert table.unknown == ("fiscal",) and table.unknown_labels == "财政拨款"
    assert (table.where, table.layout, len(table.indicators)) == ("教育局.xlsx!Sheet1!B7", "table", 1)
    assert form.where == "卫生局/申报表.xlsx!表1!A1:H30"       # a form: its whole range
    assert (form.layout, form.period_total, form.period_start, form.period_end, form.period_goal) == (
        "form", Decimal("15"), "2026-01", "2028-12", "三年接种。")
    assert form.unknown == () and form.unknown_labels == ""


def test_an_indicator_line_is_its_projects_line_and_the_indicator():
    lines = list(indicator_lines(batch()))
    assert [(p.department, p.name, i.seq, p.layout) for p, i in lines] == [
        ("教育局", "教师培训", 1, "table"), ("卫生局", "疫苗接种", 1, "form"), ("卫生局", "疫苗接种", 2, "form")]
    assert lines[1].project is lines[2].project            # one line per project, shared by its indicators
    assert lines[1].indicator.source.cell == "C12"


def test_the_tables_the_reports_and_the_history_say_the_same_of_a_project():
    b = batch()
    record = run_record(b, "2026-11", "2026-11-30T18:00:00+08:00")
    csv = list(project_rows(b))
    view = build_view(b, record).projects
    history = snapshot_of(b, record).projects
    assert [r["unreadable"] for r in csv] == ["fiscal", ""]
    assert [p.unreadable for p in view] == ["财政拨款", ""]
    assert [(p.fiscal, p.total) for p in history] == [(None, Decimal("12.3456")), (Decimal("5"), Decimal("5"))]
    assert [r["total"] for r in csv] == ["12.35", "5.00"] and [p.total for p in view] == [Decimal("12.3456"), 5]
    assert [p.where for p in view] == ["教育局.xlsx!Sheet1!B7", "卫生局/申报表.xlsx!表1!A1:H30"]
    assert [r["source_range"] for r in csv] == ["", "A1:H30"] and [p.layout for p in history] == ["table", "form"]
    assert [r["layout"] for r in indicator_rows(b)] == ["table", "form", "form"]


def test_a_department_line_decides_once_whether_it_reconciled():
    b = batch()                                    # 教育局 has an unreadable 财政拨款: not reconciled
    b.departments.append(Department("民政局", "民政局.xlsx", "Sheet1", "万元", Amounts(Decimal("7")), None, {}))
    b.departments.append(Department("财政局", "财政局.xlsx", "Sheet1", "万元", Amounts(None), None, {}))
    b.control_totals = {"卫生局": Decimal("5.0001")}
    b.checks = [Check("卫生局", "合计", Decimal("5"), Decimal("5"), "卫生局/申报表.xlsx", "表1", "C4", True, "x")]
    b.findings = [Finding("implausible_amount", "warning", "民政局.xlsx", "Sheet1", "B5", "民政局", None, "…")]
    lines = list(department_lines(b))
    assert [(line.department.name, line.declared, line.control, line.reconciled) for line in lines] == [
        ("教育局", None, None, False), ("卫生局", None, Decimal("5.0001"), True),
        ("民政局", Decimal("7"), None, False), ("财政局", None, None, True)]
    b.checks.append(Check("卫生局", "合计", Decimal("5"), Decimal("6"), "卫生局/申报表.xlsx", "表1", "C4", False, "x"))
    assert not list(department_lines(b))[1].reconciled
    record = run_record(b, "2026-11", "2026-11-30T18:00:00+08:00")
    assert [d["reconciled"] for d in record["departments"]] == [False, False, False, True]
    assert [d.reconciled for d in snapshot_of(b, record).departments] == [False, False, False, True]
