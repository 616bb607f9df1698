"""Label → value reading: synonyms, codes in brackets, money text with units, project periods."""

from decimal import Decimal

import pytest

from form_builders import write_form_xlsx
from pipeline.read.batch import read_batch
from pipeline.read.form_header import read_money, read_period, split_unit_code
from pipeline.vocabulary import form_field

D = Decimal


@pytest.mark.parametrize("text, expected", [
    ("2023.07-2024.01", ("2023-07", "2024-01")), ("202001-202012", ("2020-01", "2020-12")),
    ("2020年-2022年", ("2020-01", "2022-12")), ("2023年1月1日-2023年12月31日", ("2023-01", "2023-12")),
    ("2022-2024", ("2022-01", "2024-12")), ("明年", None), ("2023.07", None)])
def test_project_periods(text, expected):
    assert read_period(text) == expected


@pytest.mark.parametrize("text, amount, own_unit", [
    ("10000万元", D("10000"), True), ("250万", D("250"), True), ("854万(高标准农田建设400万元,…)", D("854"), True),
    ("300元", D("0.03"), True), ("1,234.5", D("1234.5"), False), (282.92, D("282.92"), False), ("", D("0"), False),
    ("854万854万(…)", None, True), ("十万", None, False)])
def test_money_values_with_their_units(text, amount, own_unit):
    money = read_money(text, "万元")
    assert (money.amount, money.unit_written) == (amount, own_unit)
    assert bool(money.problem) == (amount is None)


def test_codes_in_brackets_are_kept_apart_from_the_name():
    assert split_unit_code("[015001]岳阳县农业农村局") == ("015001", "岳阳县农业农村局")
    assert split_unit_code("【610001】农田建设服务中心") == ("610001", "农田建设服务中心")
    assert split_unit_code("岳阳县农业农村局") == ("", "岳阳县农业农村局")


@pytest.mark.parametrize("label, field", [
    ("项目 名称", "name"), ("项目支出名称", "name"), ("资金名称", "name"), ("主管部门及编码", "department"),
    ("省级业务主管部门", "department"), ("项目执行单位", "spending_unit"), ("项目起止时间", "period"),
    ("实施周期", "period"), ("资金情况（单位:万元）", "money_block"), ("年度预算申请(万元)", "money_block"),
    ("当年资金总额", "total"), ("年度本级预算金额", "total"), ("资金总额", "period_total"),
    ("中期财政规划预算", "period_total"), ("其中：当年财政拨款", "fiscal"), ("(一)财政拨款小计", "fiscal"),
    ("该项目支出上级资金", "fiscal"), ("国有资本经营预算", "fiscal_item"), ("财政专户管理资金", "special_account"),
    ("(二)自有资金小计", "other"), ("(三)其他收入", "other"), ("上年结转资金", "other"), ("经营性收入", "other_item"),
    ("本年度绩效目标", "goal"), ("中期滚动目标", "period_goal"), ("实施周期总目标(2022年--2024年)", "period_goal"),
    ("财政部门支出股室初审意见", "sign_off"), ("注：本表金额为万元", "sign_off"), ("一级指标", None)])
def test_label_synonyms(label, field):
    assert form_field(label) == field


def test_a_form_with_codes_a_period_range_long_and_annual_blocks_and_a_note(tmp_path):
    rows = [
        ["绩效目标表"],
        ["项目名称", "2023年农村饮水安全", "主管部门及编码", "[015001]岳阳县水利局"],
        ["项目执行单位", "[610001]农村供水中心", "项目起止时间", "202301-202312"],
        ["年度预算申请(万元)", "年度本级预算金额", "250万", ""],
        ["", "其中:上级资金", "200万", ""],
        ["", "上年结转资金", "50万", ""],
        ["本年度绩效目标", "完成 20 处供水工程", "中期目标", "巩固农村供水保障"],
        ["一级指标", "二级指标", "三级指标", "指标值(长期)", "二级指标", "三级指标", "指标值(年度)"],
        ["项目完成指标", "数量指标", "供水工程处数", "≥60处", "数量指标", "供水工程处数", "≥20处"],
        ["", "时效指标", "完工时间", "2025年底前", "时效指标", "完工时间", "2023年11月底前"],
        ["项目效益指标", "社会效益指标", "受益人口", "≥3万人", "社会效益指标", "受益人口", "≥1万人"],
        ["社会公众或服务对象满意度指标", "", "群众满意度", "≥90%", "", "群众满意度", "≥90%"],
        ["注：金额单位为万元。"],
    ]
    batch = read_batch([write_form_xlsx(tmp_path / "饮水.xlsx", [("S", rows, [])])])
    [department] = batch.departments
    [project] = department.projects
    assert (department.name, department.code, project.spending_unit) == ("岳阳县水利局", "015001", "农村供水中心")
    a = project.amounts
    assert (a.total, a.fiscal, a.special_account, a.other) == (D("250"), D("200"), D("0"), D("50"))
    assert (project.period_start, project.period_end) == ("2023-01", "2023-12")
    assert (project.goal, project.period_goal) == ("完成 20 处供水工程", "巩固农村供水保障")
    assert project.attributes == {"实施单位编码": "610001"}
    assert {k: v.cell for k, v in project.cells.items()} == {
        "name": "B2", "department": "D2", "spending_unit": "B3", "period": "D3", "total": "C4", "fiscal": "C5",
        "other": "C6", "goal": "B7", "period_goal": "D7"}
    assert [(i.level1, i.level2, i.name, i.period_value, i.annual_value, i.source.cell) for i in project.indicators] == [
        ("项目完成指标", "数量指标", "供水工程处数", "≥60处", "≥20处", "F9"),
        ("项目完成指标", "时效指标", "完工时间", "2025年底前", "2023年11月底前", "F10"),
        ("项目效益指标", "社会效益指标", "受益人口", "≥3万人", "≥1万人", "F11"),
        ("社会公众或服务对象满意度指标", "", "群众满意度", "≥90%", "≥90%", "F12")]   # no 二级 carried across 一级
    rows = batch.inputs[0].rows
    assert (rows.read, rows.used, rows.ignored_as) == (13, 11, {"title": 1, "sign_off": 1})
    assert [f.code for f in batch.findings] == []


def test_a_contact_line_inside_the_header_is_an_attribute_not_the_end_of_the_form(tmp_path):
    rows = [["项目支出绩效目标申报表"],
            ["项目名称", "社区养老服务", "项目负责人", "王五", "联系电话", "0730-1112223"],
            ["主管部门", "某区民政局", "资金情况(万元)", "年度资金总额", 50, ""],
            ["年度目标", "服务老人 500 人", "", "", "", ""],
            ["一级指标", "二级指标", "三级指标", "指标值", "", ""],
            ["产出指标", "数量指标", "服务人数", "≥500人", "", ""],
            ["填表人:赵六", "", "联系电话:0730-9998887", "", "", ""]]
    batch = read_batch([write_form_xlsx(tmp_path / "养老.xlsx", [("S", rows, [])])])
    [project] = batch.departments[0].projects
    assert project.attributes == {"项目负责人": "王五", "联系电话": "0730-1112223"}
    assert (project.amounts.total, project.amounts.fiscal, len(project.indicators)) == (D("50"), D("50"), 1)
    assert batch.inputs[0].rows.ignored_as == {"title": 1, "sign_off": 1}


def test_a_budget_unit_under_its_department(tmp_path):
    rows = [["预算单位:某区第一中学"],
            ["项目名称", "校舍维修", "主管部门", "某区教育局"],
            ["资金情况(万元)", "年度资金总额", 80, ""],
            ["年度目标", "完成维修 2 栋", "", ""],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "维修栋数", "2栋"]]
    [department] = read_batch([write_form_xlsx(tmp_path / "中学.xlsx", [("S", rows, [])])]).departments
    [project] = department.projects
    assert (department.name, project.spending_unit) == ("某区教育局", "某区第一中学")
    assert (project.cells["department"].cell, project.cells["spending_unit"].cell) == ("D2", "A1")


def test_header_texts_no_label_takes(tmp_path):
    rows = [["项目名称", "校舍维修", "项目编码", "440103-001"],
            ["主管部门", "某区教育局", "资金情况(万元)", ""],
            ["年度资金总额", 80, "备用", ""],
            ["一段说明文字"],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "维修栋数", "2栋"]]
    batch = read_batch([write_form_xlsx(tmp_path / "a.xlsx", [("S", rows, [])])])
    [project] = batch.departments[0].projects
    assert project.attributes == {"项目编码": "440103-001"}
    assert sorted((f.code, f.cell) for f in batch.findings) == [("form_unread_cell", "C3"), ("unrecognised_row", "A4")]
    counts = batch.inputs[0].rows
    assert (counts.read, counts.used, counts.rejected) == (6, 5, 1)


def test_a_money_formula_without_its_value_is_unknown_never_0(tmp_path):
    from builders import Formula, write_formula_xlsx

    rows = [["项目名称", "校舍维修", "主管部门", "某区教育局"],
            ["资金情况(万元)", "年度资金总额", Formula("C3+C4"), ""],
            ["", "其中:财政拨款", 60, ""],
            ["", "其他资金", 20, ""],
            ["年度目标", "完成维修 2 栋", "", ""],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "维修栋数", "2栋"]]
    batch = read_batch([write_formula_xlsx(tmp_path / "生成.xlsx", rows)])
    [project] = batch.departments[0].projects
    assert (project.amounts.total, project.amounts.fiscal, project.amounts.other) == (None, D("60"), D("20"))
    [formula] = [f for f in batch.findings if f.code == "formula_without_value"]
    assert formula.cell == "C2" and "年度资金总额" in formula.message


def test_a_form_without_a_project_name_is_named_after_its_place(tmp_path):
    rows = [["项目支出绩效目标申报表"],
            ["项目名称", "", "主管部门", "某区教育局"],
            ["资金情况(万元)", "年度资金总额", 80, ""],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "维修栋数", "2栋"]]
    batch = read_batch([write_form_xlsx(tmp_path / "维修.xlsx", [("S", rows, [])])])
    [project] = batch.departments[0].projects
    assert (project.name, project.source.cell) == ("维修（S第1行）", "A2")
    [missing] = [f for f in batch.findings if f.code == "form_missing_name"]
    assert (missing.cell, missing.department, missing.project) == ("A2", "某区教育局", "维修（S第1行）")


def test_a_money_block_of_sub_labels_with_the_values_below(tmp_path):
    rows = [["项目名称", "智慧社区建设", "主管部门", "某区民政局", ""],
            ["资金情况(万元)", "资金总额", "当年资金总额", "其中:当年财政拨款", "当年其他资金"],
            ["", 300, 100, 80, 20],
            ["项目起止时间", "2023年-2025年", "", "", ""],
            ["总体目标", "实施期目标", "年度目标", "", ""],
            ["", "建成 10 个智慧社区", "建成 4 个智慧社区", "", ""],
            ["一级指标", "二级指标", "三级指标", "指标值", ""],
            ["产出指标", "数量指标", "建成社区数", "4个", ""]]
    merges = [(1, 0, 2, 0), (4, 0, 5, 0)]
    batch = read_batch([write_form_xlsx(tmp_path / "社区.xlsx", [("S", rows, merges)])])
    [project] = batch.departments[0].projects
    a = project.amounts
    assert (a.total, a.fiscal, a.special_account, a.other, project.period_total) == (
        D("100"), D("80"), D("0"), D("20"), D("300"))
    assert (project.period_start, project.period_end) == ("2023-01", "2025-12")
    assert (project.goal, project.period_goal) == ("建成 4 个智慧社区", "建成 10 个智慧社区")
    assert {k: project.cells[k].cell for k in ("period_total", "total", "fiscal", "other", "goal", "period_goal")} == {
        "period_total": "B3", "total": "C3", "fiscal": "D3", "other": "E3", "goal": "C6", "period_goal": "B6"}
    assert batch.findings == [] and batch.inputs[0].rows.used == 8
