"""message_formats.FORMATS: how a raw parameter is shown in a message."""

from decimal import Decimal

import pytest

from pipeline.message_formats import FORMATS


def shown(spec: str, value, **params) -> str:
    kind, _, rest = spec.partition("=")
    return FORMATS[kind](value, rest, params)


@pytest.mark.parametrize("spec, value, params, text", [
    ("exact", Decimal("-254.000000"), {}, "-254.00"),
    ("exact", Decimal("0.0001"), {}, "0.0001"),
    ("show", Decimal("1234567.891"), {}, "1,234,567.89"),
    ("abs_exact", Decimal("-34.5"), {}, "34.50"),
    ("direction", Decimal("-1"), {}, "少于"),
    ("direction", Decimal("0.01"), {}, "超出"),
    ("in_unit", Decimal("173.18"), {"unit": "元"}, "1,731,800.00 元（173.18 万元）"),
    ("in_unit", Decimal("0.0001"), {"unit": "万元"}, "0.0001 万元"),
    ("in_unit_cents", Decimal("0.0001"), {"unit": "万元"}, "0.00 万元"),
    ("thousands", 32767, {}, "32,767"),
    ("column", "special_account", {}, "财政专户拨款"),
    ("form_part", "special_account", {}, "财政专户资金"),
    ("row_label", "unit", {"row_name": "某局机关"}, "资金使用单位「某局机关」"),
    ("row_label", "total", {"row_name": None}, "合计行"),
    ("where", "G7", {}, "单元格 G7"),
    ("where", None, {}, ""),
    ("paren_where", "G7", {}, "（单元格 G7）"),
    ("if=隐藏的|", 1, {}, "隐藏的"),
    ("if=隐藏的|", 0, {}, ""),
    ("q_or=未写", "", {}, "未写"),
    ("qs_or=未填写", "  ", {}, "未填写"),
    ("qs_or=未填写", "效益", {}, "「效益」"),
    ("q_like=（写明单位）", None, {}, "（写明单位）"),
    ("q_like=（写明单位）", "≥95%", {}, "，如「≥95%」"),
    ("rank", 2, {}, "二"),
    ("operator", "=", {}, ""),
    ("clip40", "长" * 41, {}, "长" * 40 + "…"),
    ("suggest", "天个次", {"operator": "≥", "target": Decimal("3")}, "，如「≥3天」、「≥3个」或「≥3次」"),
    ("suggest", "%", {"operator": "=", "target": Decimal("90")}, "，如「90%」"),
    ("suggest", "", {"operator": "=", "target": Decimal("90")}, ""),
    ("misread", "92", {}, "；如原意是「≥92%」，是「≥」被误录成了「2」"),
    ("degenerate", ">", {}, "不可能达到"),
    ("cells", "E7", {"annual_cell": "E7"}, ""),
    ("cells", "E7", {"annual_cell": "F7"}, "（实施周期指标值在单元格 E7，年度指标值在单元格 F7）"),
    ("agreed", None, {}, "：请把两处改为同一个带单位、可达到的目标值"),
])
def test_each_format(spec, value, params, text):
    assert shown(spec, value, **params) == text


def test_level_problems_lists_each_problem_in_order():
    params = {"level1": "效益指标", "level1_code": "2", "level2": "数量指标", "level2_code": "11",
              "mapped1": None, "mapped2": "质量指标"}
    assert shown("level_problems", "产出指标", **params) == (
        "二级指标「11-数量指标」不属于一级指标「2-效益指标」，应归入产出指标；"
        "二级指标编码 11 在编码表中是「质量指标」，表中却写作「数量指标」")
    assert shown("level_problems", None, **{**params, "level2_code": "", "mapped2": None, "mapped1": "产出指标"}) == (
        "一级指标编码 2 在编码表中是「产出指标」，表中却写作「效益指标」")


def test_a_sheet_copy_is_described_by_its_differences_or_as_the_same():
    same = {"kept_sheet": "Sheet1", "copy_total": Decimal("308"), "copy_projects": 10, "extra_projects": None,
            "missing_projects": None, "changed_projects": None}
    assert shown("sheet_differences", Decimal("308.00"), **same) == "10 个项目及其金额与「Sheet1」完全相同"
    other = {**same, "copy_total": Decimal("358"), "changed_projects": "「信访维稳工作专项经费」"}
    assert shown("sheet_differences", Decimal("308.00"), **other) == (
        "与「Sheet1」相比，项目合计 358.00 万元（「Sheet1」为 308.00 万元，相差 50.00 万元）；金额不同的项目「信访维稳工作专项经费」")
