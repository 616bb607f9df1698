"""changes.compare: what changed between two snapshots (the view of it: tests/report/test_changes_view.py)."""

from decimal import Decimal

import pytest

from dataclasses import replace

from pipeline.history.changes import compare, finding_key, legacy_finding_key, same_value
from pipeline.report.changes_view import changes_view
from snapshots import BASE, EDU, OFFICE, SCHOOL, found, indicator, problem, project, snapshot


def test_without_an_earlier_period_nothing_is_compared():
    changes = compare(None, snapshot("2026-10", BASE)).as_dict()
    assert changes == {
        "period": "2026-10", "previous_period": None, "total": None,
        "departments": {"added": [], "removed": [], "changed": []},
        "projects": {"added": [], "removed": [], "changed": []},
        "indicators": {"added": [], "removed": [], "changed": [], "with_added_projects": 0,
                       "with_removed_projects": 0},
        "findings": {"new": [], "resolved": []}}


def test_the_same_tables_twice_change_nothing():
    one = snapshot("2026-10", BASE, [indicator("教师培训经费", "培训人次", "≥100人次")], [problem("x", "m")])
    two = snapshot("2026-11", BASE, [indicator("教师培训经费", "培训人次", "≥100人次")], [problem("x", "m")])
    changes = compare(one, two).as_dict()
    assert changes["total"] == {"old": "255.00", "new": "255.00", "difference": "0.00"}
    assert all(not items for group in ("departments", "projects", "indicators", "findings")
               for items in changes[group].values())


def test_projects_added_removed_and_changed_by_project_and_by_department():
    before = snapshot("2026-10", [*BASE, project("课后服务经费", "10.00")])
    after = snapshot("2026-11", [project("教师培训经费", "150.00"), *BASE[1:], project("心理健康教育经费", "8.00")])
    changes = compare(before, after).as_dict()
    assert changes["previous_period"] == "2026-10" and changes["period"] == "2026-11"
    assert changes["total"] == {"old": "265.00", "new": "292.50", "difference": "27.50"}
    assert changes["departments"] == {"added": [], "removed": [], "changed": [
        {"department": EDU, "old": "265.00", "new": "292.50", "difference": "27.50"}]}
    assert changes["projects"] == {
        "added": [{"department": EDU, "spending_unit": OFFICE, "project": "心理健康教育经费", "old": None, "new": "8.00",
                   "difference": "8.00"}],
        "removed": [{"department": EDU, "spending_unit": OFFICE, "project": "课后服务经费", "old": "10.00", "new": None,
                     "difference": "-10.00"}],
        "changed": [{"department": EDU, "spending_unit": OFFICE, "project": "教师培训经费", "old": "120.50",
                     "new": "150.00", "difference": "29.50"}]}


def test_a_department_added_or_removed_is_listed_once_not_its_projects():
    health = [project("疫苗接种经费", "200.00", department="某区卫生健康局", unit="某区卫生健康局")]
    justice = [project("法律援助经费", "1.23", department="某区司法局", unit="某区司法局")]
    new_error = problem("row_sum_mismatch", "总计与分项之和不符", department="某区卫生健康局", severity="error")
    changes = compare(snapshot("2026-10", [*BASE, *justice]),
                      snapshot("2026-11", [*BASE, *health], findings=[new_error])).as_dict()
    assert changes["departments"]["added"] == [
        {"department": "某区卫生健康局", "old": None, "new": "200.00", "difference": "200.00"}]
    assert changes["departments"]["removed"] == [
        {"department": "某区司法局", "old": "1.23", "new": None, "difference": "-1.23"}]
    assert changes["departments"]["changed"] == [] and changes["projects"] == {"added": [], "removed": [], "changed": []}
    assert [f["code"] for f in changes["findings"]["new"]] == ["row_sum_mismatch"]   # its errors are news


def test_a_project_moved_to_another_spending_unit_is_removed_there_and_added_here():
    changes = compare(snapshot("2026-10", BASE),
                      snapshot("2026-11", [*BASE[:2], project("校舍维修经费", "100.00")])).as_dict()
    assert [(p["spending_unit"], p["old"], p["new"]) for p in changes["projects"]["added"]] == [(OFFICE, None, "100.00")]
    assert [(p["spending_unit"], p["old"], p["new"]) for p in changes["projects"]["removed"]] == [(SCHOOL, "100.00", None)]
    assert changes["departments"]["changed"] == []


def test_amounts_are_compared_exactly_to_the_fen():
    before = snapshot("2026-10", [project("法律援助经费", "1.234567")])
    after = snapshot("2026-11", [project("法律援助经费", "1.234568")])
    (changed,) = compare(before, after).as_dict()["projects"]["changed"]
    assert (changed["old"], changed["new"], changed["difference"]) == ("1.234567", "1.234568", "0.000001")


def test_indicator_targets_added_removed_and_changed():
    before = snapshot("2026-10", BASE, [indicator("教师培训经费", "培训人次", "≥100人次"),
                                        indicator("教师培训经费", "群众满意度", "≥85%", seq=2),
                                        indicator("教师培训经费", "培训天数", "5天", seq=3)])
    after = snapshot("2026-11", BASE, [indicator("教师培训经费", "培训人次", "≥ 100 人次"),   # only spaces differ
                                       indicator("教师培训经费", "群众满意度", "≥90%", seq=2),
                                       indicator("教师培训经费", "合格率", "≥95%", seq=3)])
    indicators = compare(before, after).as_dict()["indicators"]
    where = {"department": EDU, "spending_unit": OFFICE, "project": "教师培训经费"}
    assert indicators == {
        "added": [{**where, "indicator": "合格率", "old": None, "new": "≥95%"}],
        "removed": [{**where, "indicator": "培训天数", "old": "5天", "new": None}],
        "changed": [{**where, "indicator": "群众满意度", "old": "≥85%", "new": "≥90%"}],
        "with_added_projects": 0, "with_removed_projects": 0}


def test_the_indicators_of_a_new_project_come_with_it():
    before = snapshot("2026-10", BASE)
    after = snapshot("2026-11", [*BASE, project("新项目", "1.00")], [indicator("新项目", "培训人次", "≥100人次")])
    changes = compare(before, after).as_dict()
    assert [p["project"] for p in changes["projects"]["added"]] == ["新项目"]
    assert changes["indicators"] == {"added": [], "removed": [], "changed": [], "with_added_projects": 1,
                                     "with_removed_projects": 0}


@pytest.mark.parametrize("old, new, same", [
    ("≥90%", "≥ 90 %", True), ("≥90%", "≥９０％", True), ("及时", "及时", True),
    ("≥90%", "≥95%", False), ("≥90%", ">90%", False), ("及时", "按时", False),
])
def test_indicator_values_compare_ignoring_spaces_and_full_width_forms(old, new, same):
    assert same_value(old, new) is same


def test_a_finding_that_moved_with_its_row_is_the_same_finding():
    before = found("empty_goal", cell="F9", project_name="校舍维修经费", variant="repeats_name", goal="校舍维修经费")
    moved = found("empty_goal", cell="F10", project_name="校舍维修经费", variant="repeats_name", goal="校舍维修经费")
    row = found("unrecognised_row", cell="A30", variant="table", row=30, text="填表人：张三")
    row_moved = found("unrecognised_row", cell="A31", variant="table", row=31, text="填表人：张三")
    assert before.message != moved.message and row.message != row_moved.message    # the cell is in the text
    assert finding_key(before) == finding_key(moved) and finding_key(row) == finding_key(row_moved)
    changes = compare(snapshot("2026-10", BASE, findings=[before, row]),
                      snapshot("2026-11", BASE, findings=[moved, row_moved])).as_dict()
    assert changes["findings"] == {"new": [], "resolved": []}


def test_a_check_whose_cells_moved_is_the_same_finding_but_new_figures_make_a_new_one():
    def mismatch(cell, actual):
        expected = Decimal("255.00")
        return found("total_mismatch", cell=cell, what="合计行的总计与各资金使用单位总计之和", column="total",
                     expected=expected, actual=actual, difference=actual - expected, unit="万元")

    october, moved = mismatch("B4", Decimal("1.00")), mismatch("B5", Decimal("1.00"))
    assert finding_key(october) == finding_key(moved)
    # a figure read as 1.000000 (a 元 table) is the same figure as 1.00
    assert finding_key(october) == finding_key(mismatch("B4", Decimal("1.000000")))
    changed = mismatch("B4", Decimal("2.00"))
    assert finding_key(changed) != finding_key(october)
    changes = compare(snapshot("2026-10", BASE, findings=[october]), snapshot("2026-11", BASE, findings=[changed]))
    assert (changes.findings_new, changes.findings_resolved) == ((changed,), (october,))


def test_findings_new_and_resolved():
    fixed = found("empty_goal", project_name="校舍维修经费", variant="empty")
    kept, other = (found("missing_unit", project_name="教师培训经费", indicator="培训人次", value_label="指标值",
                         value=value, operator="≥", target=Decimal(value[1:]), units="")
                   for value in ("≥100", "≥200"))
    changes = compare(snapshot("2026-10", BASE, findings=[fixed, kept]),
                      snapshot("2026-11", BASE, findings=[kept, other])).as_dict()
    assert changes["findings"] == {"new": [other.as_dict()], "resolved": [fixed.as_dict()]}
    assert changes["findings"]["new"][0]["params"]["value"] == "≥200"


# --- LEGACY ROWS: periods recorded before the history kept parameters (schema 3) ---------------------

def test_legacy_rows_are_keyed_by_their_message_without_cells_rows_and_location():
    before = problem("empty_goal", "项目「校舍维修经费」的绩效目标（单元格 F9）只重复了项目名称。", project_name="校舍维修经费",
                     cell="F9")
    moved = problem("empty_goal", "项目「校舍维修经费」的绩效目标（单元格 F10）只重复了项目名称。", project_name="校舍维修经费",
                    cell="F10")
    row = problem("unrecognised_row", "第 30 行既不是合计…：「填表人：张三」")
    row_moved = problem("unrecognised_row", "第 31 行既不是合计…：「填表人：张三」")
    assert legacy_finding_key(before) == legacy_finding_key(moved)
    assert legacy_finding_key(row) == legacy_finding_key(row_moved)
    changes = compare(snapshot("2026-10", BASE, findings=[before, row]),
                      snapshot("2026-11", BASE, findings=[moved, row_moved])).as_dict()
    assert changes["findings"] == {"new": [], "resolved": []}


def test_a_legacy_period_compares_with_a_new_one_by_message():
    """The first run after the upgrade: last month's findings have no parameters, this month's have;
    both are keyed by their messages, so an unchanged finding is neither new nor resolved."""
    now = found("empty_goal", cell="F10", project_name="校舍维修经费", variant="empty")
    recorded = replace(found("empty_goal", cell="F9", project_name="校舍维修经费", variant="empty"), params=None)
    gone = problem("missing_unit", "指标值「≥100」只有数字，没有单位", project_name="教师培训经费")
    changes = compare(snapshot("2026-10", BASE, findings=[recorded, gone]), snapshot("2026-11", BASE, findings=[now]))
    assert (changes.findings_new, changes.findings_resolved) == ((), (gone,))


def test_names_given_twice_match_occurrence_by_occurrence():
    twice = [project("培训经费", "10.00"), project("培训经费", "20.00")]
    changes = compare(snapshot("2026-10", twice), snapshot("2026-11", [twice[0], project("培训经费", "25.00")]))
    assert [(p.old, p.new) for p in changes.projects_changed] == [(Decimal("20.00"), Decimal("25.00"))]
    same_finding = problem("duplicate_project", "项目「培训经费」出现了不止一次")
    changes = compare(snapshot("2026-10", twice, findings=[same_finding] * 2),
                      snapshot("2026-11", twice, findings=[same_finding]))
    assert changes.findings_resolved == (same_finding,) and changes.findings_new == ()



def test_a_finding_is_the_same_finding_whatever_file_its_location_names():
    november = found("duplicate_department", file="教育局_11月.xlsx", cell=None, older_files="「教育局_旧.xlsx」")
    december = found("duplicate_department", file="教育局_12月.xlsx", cell=None, older_files="「教育局_11月.xlsx」")
    assert "教育局_11月.xlsx" in november.message and "教育局_12月.xlsx" in december.message
    assert finding_key(november) == finding_key(december)
    assert legacy_finding_key(found("no_amount_columns", file="教育局_11月.xlsx", cell="B4")) == \
        legacy_finding_key(found("no_amount_columns", file="教育局_12月.xlsx", cell="B5"))


def test_indicators_that_went_with_their_project_are_counted_not_hidden():
    """A removed project's indicators are not listed one by one, but the headline never says 删除 0 条
    when they went with it; an added project's likewise."""
    before = snapshot("2026-10", [*BASE, project("课后服务经费", "10.00")],
                      [indicator("课后服务经费", "服务人次", "≥100人次"), indicator("课后服务经费", "满意度", "≥90%", seq=2)])
    after = snapshot("2026-11", [*BASE, project("心理健康教育经费", "8.00")],
                     [indicator("心理健康教育经费", "讲座场次", "≥4场")])
    changes = compare(before, after)
    assert (changes.indicators_removed, changes.indicators_added) == ((), ())
    assert (changes.indicators_with_removed, changes.indicators_with_added) == (2, 1)
    assert changes.as_dict()["indicators"]["with_removed_projects"] == 2
    assert changes_view(changes, "2026-11").headline[3] == (
        "绩效指标：新增 0 条（另有 1 条随新增的项目一并新增），删除 0 条（另有 2 条随删除的项目一并删除），目标值调整 0 条。")
