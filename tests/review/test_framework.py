"""The indicator framework (review/framework.py): levels resolved by base and synonym, per framework, and what an
indicator's name says about its value."""

import pytest

from pipeline.review.framework import (example_value, framework_names, implies_number, is_rate, parent,
                                       resolve_level1, resolve_level2, says_what_it_counts, shown)


@pytest.mark.parametrize("name, framework, resolved", [
    ("1-产出指标", "2015", ("产出", False)), ("预期产出", "2015", ("产出", True)), ("项目效益", "2021", ("效益", True)),
    ("成本指标", "2015", (None, False)),        # 成本 is level 2 under 产出 in 2015
    ("成本指标", "2021", ("成本", False)), ("办公用品", "2015", (None, False))])
def test_resolve_level1(name, framework, resolved):
    assert resolve_level1(name, framework) == resolved


@pytest.mark.parametrize("name, framework, resolved", [
    ("22-社会效益", "2015", ("社会效益", False)), ("环境效益指标", "2015", ("生态效益", True)),
    ("经济成本指标", "2015", (None, False)), ("经济成本指标", "2021", ("经济成本", False))])
def test_resolve_level2(name, framework, resolved):
    assert resolve_level2(name, framework) == resolved


def test_the_parent_of_cost_moved_in_2021():
    assert (parent("成本", "2015"), parent("经济成本", "2021"), parent("数量", "2021")) == ("产出", "成本", "产出")
    assert parent("成本", "2021") is None


def test_levels_are_shown_as_the_sample_writes_them():
    assert (shown("产出"), shown("数量"), shown("社会效益")) == ("产出指标", "数量指标", "社会效益")
    assert framework_names("2015").startswith("产出指标（数量指标、质量指标、时效指标、成本指标）；效益指标（经济效益、")
    assert "成本指标（经济成本指标、社会成本指标、生态环境成本指标）" in framework_names("2021")


@pytest.mark.parametrize("name, number, counts, rate", [
    ("项目完成及时率", True, False, True), ("群众满意度指标", True, False, True), ("培训人次", False, True, False),
    ("上访纯人数", True, True, False), ("工程质量", False, False, False), ("服务能力", False, False, False)])
def test_what_a_name_says(name, number, counts, rate):
    assert (implies_number(name), says_what_it_counts(name), is_rate(name)) == (number, counts, rate)


@pytest.mark.parametrize("name, example", [("完成率", "≥95%"), ("满意度", "≥90%"), ("培训人数", "≥30人"),
                                           ("办结天数", "≤5天"), ("宣传活动", "≥15宗（写明运算符、数值和单位）")])
def test_example_value(name, example):
    assert example_value(name) == example
