"""The words of the tables and forms: level names, form labels, grid titles, statuses."""

import pytest

from pipeline.vocabulary import (FAILED, OK, WARNINGS, base, form_field, form_label_core, grid_field,
                                 known_level_name, status_label, status_of, unknown_note)


@pytest.mark.parametrize("name, core", [("1-产出指标", "产出"), ("产出指标", "产出"), (" 产 出 ", "产出"),
                                        ("11.数量指标；", "数量"), ("指标", "指标")])
def test_base_drops_code_spaces_and_trailing_zhibiao(name, core):
    assert base(name) == core


def test_known_level_name_knows_both_levels_and_not_a_made_up_name():
    assert known_level_name("1-产出指标") and known_level_name("社会效益指标") and known_level_name("服务对象满意度")
    assert not known_level_name("办公用品")


@pytest.mark.parametrize("label, core", [("(一)财政拨款小计", ("财政拨款小计", "")),
                                         ("资金情况(万元)", ("资金情况", "万元")),
                                         ("其中:当年财政拨款", ("当年财政拨款", "")),
                                         ("项目名称：", ("项目名称", ""))])
def test_form_label_core(label, core):
    assert form_label_core(label) == core


@pytest.mark.parametrize("label, field", [("项目名称", "name"), ("（一）财政拨款小计", "fiscal"),
                                          ("年度资金总额(万元)", "total"), ("中期财政规划预算", "period_total"),
                                          ("注：本表由单位填写", "sign_off"), ("二级指标", None), ("办公用品", None)])
def test_form_field(label, field):
    assert form_field(label) == field


def test_grid_field_keeps_the_bracket_that_names_the_block():
    assert grid_field("指标值(长期)") == "period_value" and grid_field("指标值（年度）") == "annual_value"
    assert grid_field("三级指标：") == "level3" and grid_field("项目名称") is None


def test_status_of_error_beats_warning():
    assert (status_of(0, 0), status_of(0, 2), status_of(1, 5)) == (OK, WARNINGS, FAILED)
    assert [status_label(s) for s in (OK, WARNINGS, FAILED, "other")] == ["通过", "有警告", "未通过", "other"]


def test_unknown_note_only_when_an_amount_is_missing():
    assert unknown_note(0) == "" and unknown_note(2) == "（另有 2 个金额无法读取，未计入）"
