"""The indicator grid of a form (read/form_grid.py): its header and blocks found, empty blocks, value columns."""

from decimal import Decimal

from form_builders import DONGGUAN, INDICATORS, Form, dongguan_rows, only_project, write_form_xlsx, yueyang_rows
from pipeline.read.batch import read_batch

D = Decimal


def test_an_empty_period_block(tmp_path):
    rows, merges = dongguan_rows(DONGGUAN, period_block_empty=True)
    batch = read_batch([write_form_xlsx(tmp_path / "a.xlsx", [("S", rows, merges)])])
    project = only_project(batch)
    assert [(i.name, i.period_value, i.annual_value, i.source.cell) for i in project.indicators] == [
        ("物业管理保障工作合格率", "", "100%", "G7"), ("展馆开放天数", "", "≥300天", "G8"),
        ("参展单位满意度", "", "≥90%", "G9")]
    [empty] = [f for f in batch.findings if f.code == "form_empty_block"]
    assert (empty.cell, "实施周期" in empty.message) == ("D6", True)


def test_an_empty_annual_block_takes_the_period_block(tmp_path):
    rows, merges = dongguan_rows(DONGGUAN, annual_block_empty=True)
    batch = read_batch([write_form_xlsx(tmp_path / "a.xlsx", [("S", rows, merges)])])
    project = only_project(batch)
    assert [(i.name, i.period_value, i.annual_value, i.source.cell) for i in project.indicators] == [
        ("物业管理保障工作合格率", "100%", "100%", "D7"), ("展馆开放天数", "≥900天", "≥900天", "D8"),
        ("参展单位满意度", "≥90%", "≥90%", "D9")]
    [empty] = [f for f in batch.findings if f.code == "form_empty_block"]
    assert (empty.cell, "当年度" in empty.message) == ("G6", True)


def test_value_columns_variants(tmp_path):
    rows, merges = yueyang_rows(Form(indicators=INDICATORS[:1]), sign_off=False)
    grid = next(r for r, row in enumerate(rows) if "一级指标" in row)
    for row in rows:
        row.extend([""] * 3)
    rows[grid][4:8] = ["指标值及单位", "指标性质", "度量单位", "分值"]
    rows[grid + 1][4:8] = ["100", "≥", "公里", "10"]
    batch = read_batch([write_form_xlsx(tmp_path / "a.xlsx", [("S", rows, merges)])])
    [indicator] = only_project(batch).indicators
    assert (indicator.annual_value, indicator.operator, indicator.target, indicator.unit) == ("100", "≥", D("100"), "公里")


def test_a_block_label_across_above_the_grid_header(tmp_path):
    rows, merges = yueyang_rows(Form(), sign_off=False)
    grid = next(r for r, row in enumerate(rows) if "一级指标" in row)
    rows.insert(grid, ["本年度绩效指标", "", "", "", ""])
    merges = [(r0 + (r0 >= grid), c0, r1 + (r1 >= grid), c1) for r0, c0, r1, c1 in merges] + [(grid, 0, grid, 4)]
    batch = read_batch([write_form_xlsx(tmp_path / "a.xlsx", [("S", rows, merges)])])
    project = only_project(batch)
    assert [i.source.cell for i in project.indicators] == ["D12", "D13", "D14", "D15"]
    assert batch.inputs[0].rows.rejected == 0 and batch.findings == []
