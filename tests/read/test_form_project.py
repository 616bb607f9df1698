"""A form's project built from its header and grid (read/form_project.py): indicators and their cells, the two
blocks compared, every row of the form counted."""

from form_builders import DONGGUAN, Form, dongguan_rows, only_project, write_form_xlsx, yueyang_rows
from pipeline.read.batch import read_batch


def test_blocks_listing_different_indicators_on_a_row(tmp_path):
    rows, merges = dongguan_rows(DONGGUAN)
    rows[7][6] = "展馆开放时长"
    batch = read_batch([write_form_xlsx(tmp_path / "a.xlsx", [("S", rows, merges)])])
    [differ] = [f for f in batch.findings if f.code == "form_blocks_differ"]
    assert differ.cell == "G8"
    rows, merges = dongguan_rows(DONGGUAN)
    rows[8][5:8] = ["", "", ""]                  # the third indicator only in the period block
    batch = read_batch([write_form_xlsx(tmp_path / "b.xlsx", [("S", rows, merges)])])
    [differ] = [f for f in batch.findings if f.code == "form_blocks_differ"]
    assert differ.cell == "D9" and "「参展单位满意度」只填在一栏中，当年度一栏为空" in differ.message
    assert only_project(batch).indicators[2].annual_value == "≥90%"     # the period block's value, as written


def test_findings_on_a_value_point_at_the_value_cell(tmp_path):
    rows, merges = dongguan_rows(DONGGUAN)
    rows[7][7] = "≥300"                          # the annual value without its unit
    batch = read_batch([write_form_xlsx(tmp_path / "a.xlsx", [("S", rows, merges)])])
    indicator = only_project(batch).indicators[1]
    assert (indicator.source.cell, indicator.annual_cell, indicator.period_cell) == ("G8", "H8", "E8")


def test_a_grid_header_repeated_inside_the_form_is_no_indicator(tmp_path):
    rows, merges = yueyang_rows(Form(), sign_off=False)
    rows.append(["", "一级指标", "二级指标", "三级指标", "指标值"])
    rows.append(["", "效益指标", "可持续影响指标", "设施使用年限", "≥10年"])
    batch = read_batch([write_form_xlsx(tmp_path / "a.xlsx", [("S", rows, merges)])])
    project = only_project(batch)
    assert [i.name for i in project.indicators][-2:] == ["群众满意度", "设施使用年限"]
    assert batch.inputs[0].rows.ignored_as == {"title": 2, "template_row": 1, "header": 1}
