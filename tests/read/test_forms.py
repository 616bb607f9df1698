"""Per-project forms (申报表) in every variant of shared/forms.md: every field, every indicator, every cell."""

from decimal import Decimal

import pytest

from builders import Dept, Proj, long_rows, published_rows, write_text, write_xlsx
from form_builders import (DONGGUAN, INSTRUCTIONS, Form, dongguan_rows, only_project, stacked, write_form_ods,
                           write_form_xls, write_form_xlsx, yueyang_rows)
from pipeline.read.batch import read_batch
from pipeline.read.forms import find_forms
from pipeline.read.sheets import read_sheets

D = Decimal


def facts(project) -> dict:
    """What a form gave, with cells, in one comparable dict."""
    a = project.amounts
    return {
        "layout": project.layout, "department": project.department, "unit": project.spending_unit,
        "name": project.name, "amounts": (a.total, a.fiscal, a.special_account, a.other),
        "period_total": project.period_total, "period": (project.period_start, project.period_end),
        "goal": project.goal, "period_goal": project.period_goal, "attributes": project.attributes,
        "cells": {k: v.cell for k, v in project.cells.items()}, "range": project.form_range,
        "source": (project.source.file, project.source.sheet, project.source.cell),
    }


def indicators(project) -> list[tuple]:
    return [(i.seq, i.level1, i.level2, i.name, i.period_value, i.annual_value, i.operator, i.target, i.unit,
             i.kind, i.source.cell) for i in project.indicators]


YUEYANG_INDICATORS = [
    (1, "产出指标", "数量指标", "脱贫村村内道路硬化里程", "≥100公里", "≥100公里", "≥", D("100"), "公里", "quantitative", "D11"),
    (2, "产出指标", "时效指标", "项目(工程)完成及时率", "≥100%", "≥100%", "≥", D("100"), "%", "quantitative", "D12"),
    (3, "效益指标", "社会效益指标", "受益群众人数", "≥5000人", "≥5000人", "≥", D("5000"), "人", "quantitative", "D13"),
    (4, "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "≥90%", "≥", D("90"), "%", "quantitative", "D14"),
]


def yueyang_facts(file: str, sheet: str, cells=None, **changes) -> dict:
    expected = {
        "layout": "form", "department": "岳阳县农业农村局", "unit": "农田建设服务中心",
        "name": "岳阳县2022年高标准农田建设项目", "amounts": (D("854"), D("854"), D("0"), D("0")),
        "period_total": None, "period": ("2022-01", "2022-12"), "goal": "完成项目主体工程70%", "period_goal": "",
        "attributes": {"项目负责人及电话": "张三 0730-1234567", "项目属性": "新增项目"},
        "cells": cells or {"name": "B3", "department": "B4", "spending_unit": "D4", "period": "B5", "total": "C6",
                           "fiscal": "C7", "other": "B8", "goal": "C9"},
        "range": "A1:E17", "source": (file, sheet, "B3"),
    }
    expected.update(changes)
    return expected


def test_a_form_in_its_own_xlsx_is_read_field_by_field(tmp_path):
    path = write_form_xlsx(tmp_path / "农田.xlsx", [("申报表", *yueyang_rows(Form()))])
    batch = read_batch([path])
    project = only_project(batch)
    assert facts(project) == yueyang_facts("农田.xlsx", "申报表")
    assert indicators(project) == YUEYANG_INDICATORS
    department = batch.departments[0]
    assert (department.layout, department.declared_total, department.total) == ("form", None, D("854"))
    rows = batch.inputs[0].rows
    # 2 title rows, 8 header rows, the grid header, 4 indicators, 1 unused template row, 2 sign-off rows
    assert (rows.read, rows.used, rows.ignored, rows.rejected) == (17, 12, 5, 0)
    assert rows.ignored_as == {"title": 2, "template_row": 1, "sign_off": 2}
    assert [f.code for f in batch.findings] == []


@pytest.mark.parametrize("suffix", [".xls", ".ods", ".csv"])
def test_the_same_form_as_xls_ods_and_csv_with_repeated_levels(tmp_path, suffix):
    rows, _ = yueyang_rows(Form(), merge_levels=False)
    writer = {".xls": write_form_xls, ".ods": write_form_ods, ".csv": write_text}[suffix]
    path = writer(tmp_path / f"农田{suffix}", rows)
    batch = read_batch([path])
    project = only_project(batch)
    sheet = read_sheets(path)[0].name
    expected = yueyang_facts(f"农田{suffix}", sheet)
    if suffix == ".ods":   # pandas writes the ods without the trailing blank columns of the money lines
        expected["range"] = project.form_range
    assert facts(project) == expected
    assert indicators(project) == YUEYANG_INDICATORS
    assert batch.inputs[0].rows.rejected == 0


def test_a_legacy_xls_form_with_merged_cells(tmp_path):
    path = write_form_xls(tmp_path / "农田.xls", *yueyang_rows(Form()))
    batch = read_batch([path])
    assert facts(only_project(batch)) == yueyang_facts("农田.xls", "申报表")
    assert indicators(only_project(batch)) == YUEYANG_INDICATORS
    assert batch.inputs[0].rows.ignored_as == {"title": 2, "template_row": 1, "sign_off": 2}


def test_label_colon_value_cells(tmp_path):
    path = write_form_xlsx(tmp_path / "a.xlsx", [("S", *yueyang_rows(Form(), colon_cells=True))])
    project = only_project(read_batch([path]))
    assert facts(project) == yueyang_facts("a.xlsx", "S", cells={
        "name": "A3", "department": "A4", "spending_unit": "C4", "period": "B5", "total": "C6", "fiscal": "C7",
        "other": "B8", "goal": "C9"}, source=("a.xlsx", "S", "A3"))
    assert indicators(project) == YUEYANG_INDICATORS


def test_one_form_per_sheet_beside_an_instruction_sheet(tmp_path):
    path = write_form_xlsx(tmp_path / "局.xlsx", [
        ("填报说明", INSTRUCTIONS, []), ("项目1", *yueyang_rows(Form())),
        ("项目2", *yueyang_rows(Form(name="农村公路养护", unit="农业农村局机关", total=120, fiscal=100, other=20)))])
    batch = read_batch([path])
    [department] = batch.departments
    assert [u.name for u in department.spending_units] == ["农田建设服务中心", "农业农村局机关"]
    first, second = department.projects
    assert facts(first) == yueyang_facts("局.xlsx", "项目1")
    assert facts(second) == yueyang_facts("局.xlsx", "项目2", name="农村公路养护", unit="农业农村局机关",
                                          amounts=(D("120"), D("100"), D("0"), D("20")),
                                          cells=dict(yueyang_facts("", "")["cells"], other="C8"))
    assert department.total == D("974")
    assert [f.code for f in batch.findings] == ["sheet_without_table"]
    assert batch.inputs[0].rows.read == 34          # the instruction sheet's rows are not read


def test_two_forms_stacked_on_one_sheet(tmp_path):
    rows, merges = stacked(yueyang_rows(Form()), yueyang_rows(Form(name="第二个项目", total=10, fiscal=10)))
    path = write_form_xlsx(tmp_path / "a.xlsx", [("S", rows, merges)])
    batch = read_batch([path])
    first, second = batch.departments[0].projects
    assert facts(first) == yueyang_facts("a.xlsx", "S", range="A1:E19")   # the gap rows close the first form
    shifted = {k: f"{v[0]}{int(v[1:]) + 19}" for k, v in yueyang_facts("", "")["cells"].items()}
    assert facts(second) == yueyang_facts("a.xlsx", "S", name="第二个项目", amounts=(D(10), D(10), D(0), D(0)),
                                          cells=shifted, range="A20:E36", source=("a.xlsx", "S", "B22"))
    assert [i[-1] for i in indicators(second)] == ["D30", "D31", "D32", "D33"]
    rows = batch.inputs[0].rows
    assert (rows.read, rows.used + rows.ignored, rows.rejected) == (36, 36, 0)
    assert rows.ignored_as["blank"] == 2


def test_banner_and_offset_start_with_every_cell_text_and_two_blocks(tmp_path):
    rows, merges = dongguan_rows(DONGGUAN, text_cells=True)
    rows = [["系统导出 2022-03-01"]] + rows
    merges = [(r0 + 1, c0, r1 + 1, c1) for r0, c0, r1, c1 in merges]
    path = write_form_xlsx(tmp_path / "展览馆.xlsx", [("Sheet1", rows, merges)], start=(0, 1))
    batch = read_batch([path])
    project = only_project(batch)
    assert facts(project) == {
        "layout": "form", "department": "东莞展览馆", "unit": "东莞展览馆", "name": "物业管理费支出",
        "amounts": (D("282.92"), D("282.92"), D("0"), D("0")), "period_total": D("848.76"),
        "period": ("2022-01", "2024-12"), "goal": "保障展馆日常运转", "period_goal": "三年保障展馆运转",
        "attributes": {"项目类别": "经常性项目"},
        "cells": {"name": "C3", "department": "B2", "spending_unit": "I3", "total": "E3", "period_total": "G3",
                  "goal": "F6", "period_goal": "C6", "start": "C4", "end": "E4"},
        "range": "A1:I10", "source": ("展览馆.xlsx", "Sheet1", "C3")}
    assert indicators(project) == [
        (1, "产出指标", "质量指标", "物业管理保障工作合格率", "100%", "100%", "=", D("100"), "%", "quantitative", "H8"),
        (2, "效益指标", "社会效益指标", "展馆开放天数", "≥900天", "≥300天", "≥", D("300"), "天", "quantitative", "H9"),
        (3, "满意度指标", "服务对象满意度指标", "参展单位满意度", "≥90%", "≥90%", "≥", D("90"), "%", "quantitative",
         "H10")]
    assert batch.inputs[0].rows.ignored_as == {"title": 1}
    assert [f.code for f in batch.findings] == []


def test_a_published_table_is_never_a_form_and_a_form_never_a_table(tmp_path, sample):
    long, merges = long_rows(Dept("某局", [("某局", [Proj("培训", fiscal="10")])]))
    published = published_rows(Dept("另一局", [("另一局", [Proj("培训", fiscal="10")])]))
    path = write_xlsx(tmp_path / "t.xlsx", [{"name": "长表", "rows": long, "merges": merges},
                                            {"name": "发布表", "rows": published}])
    assert all(find_forms(sheet) == [] for sheet in read_sheets(path) + read_sheets(sample))
    # the form's 项目名称 row holds 资金总额, a 总计 synonym: still a form, not a one-row table
    rows, merges = dongguan_rows(DONGGUAN)
    batch = read_batch([write_form_xlsx(tmp_path / "f.xlsx", [("S", rows, merges)]), path])
    assert sorted((d.layout, len(d.projects)) for d in batch.departments) == [("form", 1), ("table", 1), ("table", 1)]


def test_a_grid_without_a_header_block_is_no_form(tmp_path):
    rows = [["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "培训人次", "≥100人次"]]
    path = write_form_xlsx(tmp_path / "a.xlsx", [("S", rows, [])])
    assert find_forms(read_sheets(path)[0]) == []
    assert [f.code for f in read_batch([path]).findings] == ["no_table"]


def test_a_long_table_with_a_two_row_header_is_a_table(tmp_path):
    rows = [["项目支出绩效目标表"], ["部门名称：某局", "", "", "", "", "", "", "", "单位：万元"],
            ["项目名称", "总计", "财政拨款", "其他资金", "绩效目标", "绩效指标", "", "", ""],
            ["", "", "", "", "", "一级指标", "二级指标", "三级指标", "指标值"],
            ["合计", 10, 10, 0, "", "", "", "", ""],
            ["培训", 10, 10, 0, "培训 100 人次", "产出指标", "数量指标", "培训人次", "≥100人次"]]
    path = write_xlsx(tmp_path / "t.xlsx", [{"name": "S", "rows": rows}])
    assert find_forms(read_sheets(path)[0]) == []
    [department] = read_batch([path]).departments
    assert (department.layout, [p.name for p in department.projects]) == ("table", ["培训"])


def test_forms_stacked_without_blank_rows_between(tmp_path):
    rows, merges = stacked(yueyang_rows(Form(), sign_off=False), yueyang_rows(Form(name="第二个项目"), title=False),
                           yueyang_rows(Form(name="第三个项目"), colon_cells=True), gap=0)
    batch = read_batch([write_form_xlsx(tmp_path / "a.xlsx", [("S", rows, merges)])])
    projects = batch.departments[0].projects
    assert [(p.name, p.form_range, p.source.cell, len(p.indicators)) for p in projects] == [
        ("岳阳县2022年高标准农田建设项目", "A1:E15", "B3", 4), ("第二个项目", "A16:E30", "B16", 4),
        ("第三个项目", "A31:E47", "A33", 4)]
    counts = batch.inputs[0].rows
    assert (counts.read, counts.used, counts.rejected) == (47, 36, 0)
    assert counts.ignored_as == {"title": 4, "template_row": 3, "sign_off": 4}
    assert batch.findings == []
