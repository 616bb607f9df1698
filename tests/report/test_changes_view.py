"""The view every report and `pipeline diff` show of what changed since the last period (report/changes_view.py)."""

from decimal import Decimal

import pytest

from pipeline.findings import TITLES
from pipeline.history.changes import compare
from pipeline.report.changes_view import change_lines, changes_view, signed
from snapshots import BASE, indicator, problem, project, snapshot


def known_changes():
    before = snapshot("2026-10", [*BASE, project("课后服务经费", "10.00")],
                      [indicator("教研活动经费", "群众满意度", "≥85%")],
                      [problem("empty_goal", "项目「校舍维修经费」的绩效目标为空。", project_name="校舍维修经费")])
    after = snapshot("2026-11", [project("教师培训经费", "150.00"), *BASE[1:], project("心理健康教育经费", "8.00")],
                     [indicator("教研活动经费", "群众满意度", "≥90%")])
    return compare(before, after)


def test_the_view_lists_each_change_once_in_a_fixed_order():
    view = changes_view(known_changes(), "2026-11")
    assert view.title == "与上期相比的变化（上期 2026-10，本期 2026-11）"
    assert [(r.category, r.change, r.project, r.item, r.old_value, r.new_value, r.old, r.new, r.difference)
            for r in view.rows] == [
        ("部门", "金额调整", "", "", "", "", Decimal("265.00"), Decimal("292.50"), Decimal("27.50")),
        ("项目", "新增", "心理健康教育经费", "", "", "", None, Decimal("8.00"), Decimal("8.00")),
        ("项目", "删除", "课后服务经费", "", "", "", Decimal("10.00"), None, Decimal("-10.00")),
        ("项目", "金额调整", "教师培训经费", "", "", "", Decimal("120.50"), Decimal("150.00"), Decimal("29.50")),
        ("指标", "目标值调整", "教研活动经费", "群众满意度", "≥85%", "≥90%", None, None, None),
        ("问题", "已解决", "校舍维修经费", TITLES["empty_goal"], "", "", None, None, None),
    ]
    assert view.rows[-1].note == "[警告] a.xlsx!Sheet1!G7：项目「校舍维修经费」的绩效目标为空。"


def test_the_headline_and_the_diff_lines_in_chinese():
    assert change_lines(changes_view(known_changes(), "2026-11")) == [
        "与上期 2026-10 相比：合计由 265.00 万元变为 292.50 万元，增加 27.50 万元。",
        "部门：新增 0 个，删除 0 个，金额调整 1 个。",
        "项目：新增 1 个，删除 1 个，金额调整 1 个。",
        "绩效指标：新增 0 条，删除 0 条，目标值调整 1 条。",
        "问题：新发现 0 个，已解决 1 个。",
        "  [部门 金额调整] 某区教育局：265.00 → 292.50 万元（+27.50）",
        "  [项目 新增] 某区教育局 / 某区教育局机关 / 心理健康教育经费：8.00 万元",
        "  [项目 删除] 某区教育局 / 某区教育局机关 / 课后服务经费：10.00 万元",
        "  [项目 金额调整] 某区教育局 / 某区教育局机关 / 教师培训经费：120.50 → 150.00 万元（+29.50）",
        "  [指标 目标值调整] 某区教育局 / 某区教育局机关 / 教研活动经费 / 群众满意度：≥85% → ≥90%",
        "  [问题 已解决] [警告] a.xlsx!Sheet1!G7：项目「校舍维修经费」的绩效目标为空。",
    ]


def test_without_an_earlier_period_the_view_says_so():
    for changes in (compare(None, snapshot("2026-10", BASE)), None):
        view = changes_view(changes, "2026-10")
        assert view.previous_period is None and view.rows == []
        assert view.headline == ["历史记录中没有早于 2026-10 的期间，本期是第一次记录，暂无可比较的上期。"]


def test_a_fall_is_said_as_a_fall():
    changes = compare(snapshot("2026-10", BASE), snapshot("2026-11", BASE[:2]))
    assert changes_view(changes, "2026-11").headline[0] == (
        "与上期 2026-10 相比：合计由 255.00 万元变为 155.00 万元，减少 100.00 万元。")


@pytest.mark.parametrize("amount, text", [(Decimal("29.5"), "+29.50"), (Decimal("-3"), "-3.00"), (Decimal(0), "0.00"),
                                          (Decimal("0.000001"), "+0.000001"), (None, "")])
def test_signed_differences(amount, text):
    assert signed(amount) == text
