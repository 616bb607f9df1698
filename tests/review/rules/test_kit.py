"""What every rule needs (review/rules/kit.py): an indicator's group, its levels as the framework names them,
its written values and targets, and where findings go."""

from decimal import Decimal

import pytest

from pipeline.model import Amounts, Indicator, Project, Source
from pipeline.read.indicators import parse_target
from pipeline.review.rules.kit import (group_of, indicator_finding, map_levels, period_target, project_cell,
                                       written_values)
from pipeline.settings import Settings

SOURCE = Source("a.xlsx", "Sheet1", 6, 0)


def indicator(level1="产出指标", level2="数量指标", *, level1_code="", period="≥100人次", annual="≥100人次",
              **more) -> Indicator:
    t = parse_target(annual)
    return Indicator(1, level1_code, level1, "", level2, "培训人次", period, annual, t.operator, t.target, t.unit,
                     t.kind, SOURCE, **more)


@pytest.mark.parametrize("made, framework, group", [
    (dict(), "2015", "产出"),
    (dict(level1="", level2="社会效益指标"), "2015", "效益"),              # from its level 2's parent
    (dict(level1="?", level2="?", level1_code="3"), "2015", "满意度"),     # from the code map
    (dict(level1="产出指标", level2="成本指标"), "2021", "产出"),
    (dict(level1="", level2="成本指标"), "2021", "成本"),                  # a 2015-style cost under 2021
    (dict(level1="其他", level2="其他"), "2015", None)])
def test_group_of(made, framework, group):
    assert group_of(indicator(**made), Settings(framework=framework)) == group


def test_map_levels_names_levels_through_the_synonyms():
    project = Project("局", "局", "项目", Amounts(Decimal("1")), "目标", SOURCE, {},
                      [indicator("预期产出", "社会公众或服务对象满意度指标"), indicator("其他", "其他")])
    map_levels([project], Settings())
    assert [(i.level1_framework, i.level2_framework) for i in project.indicators] == [
        ("产出指标", "服务对象满意度"), ("", "")]


def test_one_value_when_both_agree_two_when_they_differ_none_when_empty():
    assert [(v.label, v.text) for v in written_values(indicator())] == [("指标值", "≥100人次")]
    two = written_values(indicator(period="≥300人次", annual_col=7, period_col=6))
    assert [(v.label, v.text, v.target.target, v.cell) for v in two] == [
        ("年度指标值", "≥100人次", Decimal("100"), "H6"), ("实施周期指标值", "≥300人次", Decimal("300"), "G6")]
    assert written_values(indicator(period="", annual="")) == []


def test_the_period_value_is_completed_as_the_annual_one_was():
    completed = indicator(period="300", annual="100")         # the long layout added ≥ and 人 from its columns
    completed.operator, completed.unit = "≥", "人"
    target = period_target(completed)
    assert (target.operator, target.target, target.unit) == ("≥", Decimal("300"), "人")


def test_findings_go_to_the_packed_cell_or_the_indicators_own_cell():
    project = Project("局", "局", "项目", Amounts(Decimal("1")), "目标", SOURCE, {"indicators": 6})
    assert project_cell(project) == "G6"
    assert project_cell(Project("局", "局", "项目", Amounts(Decimal("1")), "目标", SOURCE, {})) == "A6"
    f = indicator_finding("duplicate_indicator", project, indicator(), first_seq=1, seq=2)
    assert (f.cell, f.project, f.department, f.file) == ("A6", "项目", "局", "a.xlsx") and "培训人次" in f.message
