"""Findings on an indicator value point at the cell holding the value, in both layouts, and their
advice never proposes a value another rule rejects nor drops a unit."""

import pytest

from builders import Dept, Proj, long_rows, published_rows, write_xlsx
from checked import read_checked
from pipeline.review.rules.project import review
from pipeline.settings import Settings
from review.rules.test_project import BEN, OUT, SAT, findings, make

# long_rows: A 项目名称 … F 绩效目标, G 一级指标, H 二级指标, I 三级指标, J 实施周期指标值, K 年度指标值;
# title 1, 部门名称 2, header 3, 合计 4, unit 5, the project's indicator rows from 6
RATE = ("1-产出指标", "12-质量指标", "培训合格率")


def reviewed(tmp_path, indicators, *, long=True):
    dept = Dept("某区教育局", [("某区教育局机关", [Proj("教师培训经费", fiscal="10", indicators=indicators)])])
    if long:
        rows, merges = long_rows(dept)
    else:
        rows, merges = published_rows(dept), []
    batch = read_checked([write_xlsx(tmp_path / "a.xlsx", [{"name": "S", "rows": rows, "merges": merges}])])
    (department,) = batch.departments
    return department, review(batch.departments, Settings())


@pytest.mark.parametrize("period, annual, code, cell", [
    ("≥187%", "≥187%", "percent_out_of_range", "K6"),        # one value for both: the 年度 cell
    ("≥90%", "≥187%", "percent_out_of_range", "K6"),
    ("≥187%", "≥90%", "percent_out_of_range", "J6"),         # the 实施周期 value is the wrong one
    ("≥100", "≥100", "missing_unit", "K6"),
    ("及时", "及时", "vague_target", "K6"),
    ("≥**%", "≥90%", "template_leftover", "J6"),
    ("≥100%", "≥100%", "degenerate_rate", "K6"),
])
def test_value_findings_in_the_long_layout_point_at_the_value_cell(tmp_path, period, annual, code, cell):
    department, found = reviewed(tmp_path, [(*RATE, period, annual), BEN[:3] + ("≥90%", "≥90%"), SAT])
    indicator = department.projects[0].indicators[0]
    assert (indicator.source.cell, indicator.annual_cell, indicator.period_cell) == ("I6", "K6", "J6")
    (f,) = [f for f in found if f.code == code]
    assert f.cell == cell
    assert f"（单元格 {cell}）" in f.message and f"a.xlsx!S!{cell}" in f.message


def test_value_findings_in_the_packed_layout_point_at_the_packed_cell(tmp_path):
    department, found = reviewed(tmp_path, [(*RATE, "≥90%", "≥187%"), BEN, SAT], long=False)
    (f,) = [f for f in found if f.code == "percent_out_of_range"]
    assert f.cell == "G6" == department.projects[0].indicators[0].annual_cell


def test_a_missing_value_in_the_long_layout_is_reported_at_the_value_cell(tmp_path):
    dept = Dept("某区教育局", [("某区教育局机关", [Proj("教师培训经费", fiscal="10", indicators=[OUT, BEN, SAT])])])
    rows, merges = long_rows(dept)
    rows[6][9] = rows[6][10] = ""                            # the second indicator's values, row 7
    batch = read_checked([write_xlsx(tmp_path / "a.xlsx", [{"name": "S", "rows": rows, "merges": merges}])])
    (f,) = batch.findings
    assert (f.code, f.cell) == ("bad_indicator", "K7")


def test_period_annual_conflict_points_at_the_annual_cell_and_names_both(tmp_path):
    _, found = reviewed(tmp_path, [(*RATE, "≥90%", "≥95%"), BEN, SAT])
    (f,) = [f for f in found if f.code == "period_annual_conflict"]
    assert f.cell == "K6"
    assert "（实施周期指标值在单元格 J6，年度指标值在单元格 K6）" in f.message


def conflict_advice(period, annual, name="培训合格率"):
    project = make([("1-产出指标", "12-质量指标", name, period, annual), BEN, SAT])
    (f,) = [f for f in findings(project) if f.code == "period_annual_conflict"]
    return f.message


def test_conflict_advice_never_proposes_an_out_of_range_value():
    message = conflict_advice("≥87%", "≥187%")               # the annual value is itself rejected
    assert "如都写「≥87%」" in message and "如都写「≥187%」" not in message


def test_conflict_advice_never_drops_the_unit():
    message = conflict_advice("≥90%", "≥90")
    assert "如都写「≥90%」" in message
    assert "如都写「≥90」" not in message
    message = conflict_advice("≥200人次", "≤100", name="培训人次")
    assert "如都写「≥200人次」" in message


def test_conflict_advice_without_an_acceptable_value_proposes_none():
    message = conflict_advice("≥187%", "≥190")
    assert "如都写" not in message and "请把两处改为同一个带单位、可达到的目标值" in message


def test_missing_unit_advice_never_proposes_an_out_of_range_percentage():
    project = make([("1-产出指标", "12-质量指标", "培训合格率", "187", "187"), BEN, SAT])
    (f,) = [f for f in findings(project) if f.code == "missing_unit"]
    assert "187%" not in f.message and f.message.count("请写明单位。") == 1
    project = make([("1-产出指标", "12-质量指标", "培训合格率", "≥95", "≥95"), BEN, SAT])
    (f,) = [f for f in findings(project) if f.code == "missing_unit"]
    assert "请写明单位，如「≥95%」。" in f.message
