"""Every shape a department sends reads into the same normalised table, to the 分."""

from decimal import Decimal

import pytest

from builders import (TITLE, Dept, Proj, education_bureau, long_rows, published_rows, write_text, write_xls,
                      write_xlsx)
from checked import read_checked
from pipeline.money import fmt


def one_department(path):
    batch = read_checked([path])
    assert [i.status for i in batch.inputs] == ["ok"], batch.inputs
    (department,) = batch.departments
    return batch, department


def assert_education_bureau(batch, department):
    assert department.name == "某区教育局"
    assert [u.name for u in department.spending_units] == ["某区教育局机关", "某区第一中学"]
    assert [p.name for p in department.projects] == ["教师培训经费", "教研活动经费", "校舍维修经费"]
    assert [fmt(p.amounts.total) for p in department.projects] == ["120.50", "34.50", "100.00"]
    assert department.projects[2].amounts.special_account == Decimal("20")
    assert department.projects[1].amounts.other == Decimal("4.25")
    assert department.total == Decimal("255.00")
    assert department.declared_total.total == Decimal("255.00")
    assert len(department.indicators) == 9
    assert [c.code for c in batch.checks if not c.passed] == []
    assert [f.code for f in batch.findings] == []


def test_seed_text_reads_as_published(seed):
    batch, department = one_department(seed)
    assert department.name == "广州市荔湾区信访局"
    assert (len(department.spending_units), len(department.projects), len(department.indicators)) == (1, 10, 33)
    assert fmt(department.total) == fmt(department.declared_total.total) == "308.00"
    assert batch.findings == []
    first = department.projects[0]
    assert (first.name, first.source.row, first.source.cell) == ("信访维稳工作专项经费", 12, "A12")
    rows = batch.inputs[0].rows
    assert rows.read == rows.used + rows.ignored + rows.rejected == 24
    assert rows.rejected == 0


def test_bundled_sample_reads_like_the_seed(seed, sample):
    _, from_seed = one_department(seed)
    _, from_sample = one_department(sample)
    assert [(p.name, p.amounts, len(p.indicators)) for p in from_sample.projects] == \
           [(p.name, p.amounts, len(p.indicators)) for p in from_seed.projects]
    assert [(i.name, i.operator, i.target, i.unit) for i in from_sample.indicators] == \
           [(i.name, i.operator, i.target, i.unit) for i in from_seed.indicators]


def test_published_xlsx_with_merged_title_and_offset_table(tmp_path):
    dept = education_bureau()
    rows = published_rows(dept)
    path = write_xlsx(tmp_path / "教育局.xlsx", [{"name": "表1", "rows": rows, "start": (2, 1),
                                                   "merges": [(0, 0, 0, 6), (1, 0, 1, 5)]}])
    batch, department = one_department(path)
    assert_education_bureau(batch, department)
    assert department.sheet == "表1"
    # the table starts at B3: title B3, 部门名称 B4, header B5, 合计 B6, unit B7, first project B8
    assert department.projects[0].source.cell == "B8"


def test_old_xls(tmp_path):
    path = write_xls(tmp_path / "教育局.xls", published_rows(education_bureau()))
    assert_education_bureau(*one_department(path))


def test_ods(tmp_path):
    import pandas as pd

    rows = published_rows(education_bureau())
    path = tmp_path / "教育局.ods"
    width = max(map(len, rows))
    pd.DataFrame([r + [""] * (width - len(r)) for r in rows]).to_excel(path, engine="odf", header=False, index=False)
    assert_education_bureau(*one_department(path))


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8", "utf-8-sig"])
@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_text_in_any_encoding_and_delimiter(tmp_path, encoding, delimiter):
    path = write_text(tmp_path / "教育局.csv", published_rows(education_bureau()), encoding=encoding,
                      delimiter=delimiter)
    assert_education_bureau(*one_department(path))


def test_amounts_in_yuan_as_text_with_thousands_separators(tmp_path):
    dept = education_bureau()
    dept.money_unit = "元"
    rows = published_rows(dept, style="thousands")
    assert rows[3][1] == "2,550,000.00"
    path = write_xlsx(tmp_path / "教育局.xlsx", [{"name": "Sheet1", "rows": rows}])
    batch, department = one_department(path)
    assert department.unit == "元"
    assert_education_bureau(batch, department)


def test_full_width_digits(tmp_path):
    rows = published_rows(education_bureau(), style="fullwidth")
    assert rows[3][1] == "２５５．００"
    path = write_text(tmp_path / "教育局.csv", rows, encoding="gb18030")
    assert_education_bureau(*one_department(path))


def test_cent_precision_in_yuan(tmp_path):
    dept = Dept("某局", [("某局", [Proj("甲", fiscal="0.012345"), Proj("乙", fiscal="0.000001")])], money_unit="元")
    path = write_text(tmp_path / "a.csv", published_rows(dept, style="text"))
    batch, department = one_department(path)
    assert department.projects[0].amounts.total == Decimal("0.012345")
    assert department.total == Decimal("0.012346")
    assert batch.findings == []


def test_long_layout_with_merged_project_cells(tmp_path):
    rows, merges = long_rows(education_bureau())
    path = write_xlsx(tmp_path / "教育局.xlsx", [{"name": "Sheet1", "rows": rows, "merges": merges}])
    batch, department = one_department(path)
    assert_education_bureau(batch, department)
    indicator = department.projects[0].indicators[1]
    assert (indicator.level1_code, indicator.level1, indicator.level2_code, indicator.level2) == \
           ("2", "效益指标", "22", "社会效益")
    assert (indicator.name, indicator.operator, indicator.target, indicator.unit) == ("政策知晓率", "≥", 90, "%")
    assert indicator.source.row == 7  # title, dept, header, 合计, unit, project row 6, second indicator row 7


def test_long_layout_with_blank_project_cells_in_text(tmp_path):
    rows, _ = long_rows(education_bureau())
    path = write_text(tmp_path / "教育局.csv", rows, encoding="gb18030")
    assert_education_bureau(*one_department(path))


def test_long_layout_repeating_project_cells_in_text(tmp_path):
    rows, _ = long_rows(education_bureau(), blank_repeats=False)
    path = write_text(tmp_path / "教育局.csv", rows)
    assert_education_bureau(*one_department(path))


def test_two_departments_in_one_workbook_beside_a_hidden_notes_sheet(tmp_path):
    other = Dept("某区卫健局", [("某区卫健局", [Proj("疫苗接种经费", fiscal="50.00")])])
    path = write_xlsx(tmp_path / "汇总.xlsx", [
        {"name": "填表说明", "rows": [["填表说明"], ["1. 金额单位为万元"]], "hidden": True},
        {"name": "教育局", "rows": published_rows(education_bureau())},
        {"name": "卫健局", "rows": published_rows(other)},
    ])
    batch = read_checked([path])
    assert [d.name for d in batch.departments] == ["某区教育局", "某区卫健局"]
    assert [d.sheet for d in batch.departments] == ["教育局", "卫健局"]
    assert batch.total == Decimal("305.00")
    (note,) = batch.findings
    assert (note.code, note.severity, note.sheet) == ("sheet_without_table", "info", "填表说明")
    assert "隐藏" in note.message


def test_department_name_falls_back_to_first_unit_with_a_finding(tmp_path):
    rows = published_rows(education_bureau(), department_line=False)
    path = write_text(tmp_path / "教育局.csv", rows)
    batch = read_checked([path])
    (department,) = batch.departments
    assert department.name == "某区教育局机关"
    assert [f.code for f in batch.findings] == ["missing_department_name"]


def test_department_name_in_its_own_cell_and_unit_at_the_right_end(tmp_path):
    rows = published_rows(education_bureau())
    rows[1] = ["部门名称：", "某区教育局", "", "", "", "", "单位：万元"]
    path = write_xlsx(tmp_path / "a.xlsx", [{"name": "S", "rows": rows}])
    _, department = one_department(path)
    assert (department.name, department.unit) == ("某区教育局", "万元")


def test_header_synonyms_spaces_and_brackets(tmp_path):
    rows = published_rows(education_bureau())
    rows[2] = ["项目名称 (资金使用单位)", "金额合计", "一般公共预算拨款", "财政专户管理资金", "其他资金", "年度绩效目标",
               "绩效 指标"]
    assert_education_bureau(*one_department(write_text(tmp_path / "a.csv", rows)))


def test_blank_and_separator_rows_are_ignored_and_counted(tmp_path):
    rows = published_rows(education_bureau())
    rows.insert(5, [])
    rows.insert(6, ["------", "------", "--", "--"])
    rows.append(["=====", "====="])
    path = write_text(tmp_path / "a.csv", rows)
    batch, department = one_department(path)
    assert_education_bureau(batch, department)
    counts = batch.inputs[0].rows
    # used: 部门名称 line, 合计, 2 units, 3 projects; ignored: title, header, blank, 2 separators
    assert (counts.read, counts.used, counts.ignored, counts.rejected) == (12, 7, 5, 0)


def test_two_row_header_with_group_titles_over_money_and_indicator_columns(tmp_path):
    rows, merges = long_rows(education_bureau())
    header = rows[2]
    rows[2:3] = [["项目名称", "资金来源", "", "", "", "绩效目标", "绩效指标", "", "", "", ""],
                 ["", *header[1:5], "", *header[6:]]]
    merges = [(r0 + 1, c0, r1 + 1, c1) for r0, c0, r1, c1 in merges]
    merges += [(2, 0, 3, 0), (2, 1, 2, 4), (2, 5, 3, 5), (2, 6, 2, 10)]
    path = write_xlsx(tmp_path / "二行表头.xlsx", [{"name": "S", "rows": rows, "merges": merges}])
    batch, department = one_department(path)
    assert_education_bureau(batch, department)
    counts = batch.inputs[0].rows
    assert counts.ignored == 3  # title and the two header rows


def test_header_repeated_on_a_later_page_is_ignored(tmp_path):
    rows = published_rows(education_bureau())
    rows.insert(7, list(rows[2]))                      # before the second unit, as a printed page 2
    batch, department = one_department(write_text(tmp_path / "a.csv", rows))
    assert_education_bureau(batch, department)
    assert batch.inputs[0].rows.ignored == 3           # title, header, repeated header


# --- layouts found in review: each would otherwise lose or mis-sum money -------------------------

def test_without_a_total_column_the_total_is_the_sum_of_the_sources(tmp_path):
    rows = published_rows(education_bureau())
    rows = [[r[0], *r[2:]] if i >= 2 else r for i, r in enumerate(rows)]   # drop 总计
    batch, department = one_department(write_xlsx(tmp_path / "a.xlsx", [{"name": "S", "rows": rows}]))
    assert department.total == department.declared_total.total == Decimal("255.00")
    assert [fmt(p.amounts.total) for p in department.projects] == ["120.50", "34.50", "100.00"]


@pytest.mark.parametrize("title, unit, codes", [("金额", "万元", ["unknown_money_unit"]), ("预算金额（万元）", "万元", []),
                                                ("总计(单位:万元)", "万元", []), ("总计（单位：元）", "元", [])])
def test_amount_titles_with_a_unit_inside(tmp_path, title, unit, codes):
    dept = education_bureau()
    dept.money_unit = unit
    rows = published_rows(dept)
    rows[1] = [f"部门名称：{dept.name}"]                # no 单位 line: the title says it
    rows[2][1] = title
    batch, department = one_department(write_xlsx(tmp_path / "a.xlsx", [{"name": "S", "rows": rows}]))
    assert (department.unit, department.total) == (unit, Decimal("255.00"))
    assert [f.code for f in batch.findings] == codes        # 金额 alone names no unit: 万元 assumed, said


def test_a_unit_line_that_contradicts_the_column_title_is_reported(tmp_path):
    dept = education_bureau()
    dept.money_unit = "元"
    rows = published_rows(dept)
    rows[1] = [f"部门名称：{dept.name}", "", "", "", "", "", "单位：万元"]
    rows[2][1] = "总计（元）"
    batch, department = one_department(write_xlsx(tmp_path / "a.xlsx", [{"name": "S", "rows": rows}]))
    assert department.unit == "元" and department.total == Decimal("255.00")
    assert [f.code for f in batch.findings] == ["money_unit_conflict"]


def test_a_header_without_amount_columns_is_an_error(tmp_path):
    rows = [[TITLE], ["部门名称：某局"], ["项目名称", "绩效目标", "绩效指标"], ["甲项目", "目标", "1、产出指标；数量指标；人次；指标值:1人"]]
    batch = read_checked([write_text(tmp_path / "a.csv", rows)])
    assert [f.code for f in batch.findings if f.severity == "error"] == ["no_amount_columns"]


@pytest.mark.parametrize("line", [["部门：某区教育局"], ["编制单位：某区教育局"], ["部门名称", "某区教育局"],
                                  ["预算单位：某区教育局", "", "", "", "", "", "单位：万元"]])
def test_department_line_forms(tmp_path, line):
    rows = published_rows(education_bureau())
    rows[1] = line
    batch, department = one_department(write_text(tmp_path / "a.csv", rows))
    assert department.name == "某区教育局"
    assert "missing_department_name" not in [f.code for f in batch.findings]


def test_one_department_over_two_sheets_of_one_file_keeps_both(tmp_path):
    first, second = education_bureau(), education_bureau()
    first.units, second.units = first.units[:1], second.units[1:]
    path = write_xlsx(tmp_path / "教育局.xlsx", [{"name": "第1页", "rows": published_rows(first)},
                                                  {"name": "第2页", "rows": published_rows(second)}])
    batch = read_checked([path])
    assert [(d.name, d.sheet) for d in batch.departments] == [("某区教育局", "第1页"), ("某区教育局", "第2页")]
    assert batch.total == Decimal("255.00")
    assert "duplicate_department" not in [f.code for f in batch.findings]


def test_two_tables_stacked_on_one_sheet(tmp_path):
    other = Dept("某区卫健局", [("某区卫健局", [Proj("疫苗接种经费", fiscal="50.00")])])
    rows = published_rows(education_bureau()) + [[], []] + published_rows(other)
    batch = read_checked([write_xlsx(tmp_path / "汇总.xlsx", [{"name": "S", "rows": rows}])])
    assert [d.name for d in batch.departments] == ["某区教育局", "某区卫健局"]
    assert [len(d.projects) for d in batch.departments] == [3, 1]
    assert batch.total == Decimal("305.00") and batch.findings == []
    counts = batch.inputs[0].rows
    assert (counts.read, counts.rejected) == (len(rows), 0)
    assert counts.read == counts.used + counts.ignored


def test_subtotal_rows_are_checked_against_the_projects_above(tmp_path):
    rows = published_rows(education_bureau())
    rows.insert(7, ["小计", 155.00, 150.75, 0.0, 4.25, "", ""])   # after the 机关's two projects: right
    rows.append(["小计", 90.00, 80.00, 20.00, 0.0, "", ""])       # after the school's project: 10.00 short
    batch, department = one_department(write_xlsx(tmp_path / "a.xlsx", [{"name": "S", "rows": rows}]))
    assert department.total == Decimal("255.00")
    found = [(f.code, f.cell) for f in batch.findings]
    assert ("subtotal_mismatch", "B11") in found
    assert not any(cell == "B8" for _, cell in found)
    assert batch.inputs[0].rows.rejected == 0


def test_a_second_total_row_is_checked_not_dropped(tmp_path):
    rows = published_rows(education_bureau())
    rows.append(["部门合计：", 250.00, 250.00, 0.0, 0.0, "", ""])
    batch, _ = one_department(write_xlsx(tmp_path / "a.xlsx", [{"name": "S", "rows": rows}]))
    assert ("total_mismatch", "B10") in [(f.code, f.cell) for f in batch.findings]


def test_long_layout_repeating_only_the_project_name(tmp_path):
    rows, _ = long_rows(education_bureau(), blank_repeats=False)
    seen = set()  # blank the money and goal on every repeated project row, keeping the name
    for row in rows:
        if row[0] in ("教师培训经费", "教研活动经费", "校舍维修经费"):
            if row[0] in seen:
                row[1:6] = [""] * 5
            seen.add(row[0])
    assert_education_bureau(*one_department(write_text(tmp_path / "a.csv", rows)))


def test_tab_export_with_thousands_separators_and_commas_in_text(tmp_path):
    dept = education_bureau()
    dept.money_unit = "元"
    for _, projects in dept.units:
        for project in projects:
            project.goal = "Goals, in English, with commas: train, teach, serve, support, report, review, audit, plan."
    rows = published_rows(dept, style="thousands")
    path = write_text(tmp_path / "export.txt", rows, delimiter="\t")
    assert path.read_text(encoding="utf-8").count(",") > path.read_text(encoding="utf-8").count("\t")
    assert_education_bureau(*one_department(path))


# --- found by the second review -------------------------------------------------------------------

@pytest.mark.parametrize("page_two", [[[TITLE]], [[TITLE], ["部门名称：某区教育局", "", "", "", "", "", "单位：元"]]])
def test_a_page_repeating_title_and_header_is_the_same_table(tmp_path, page_two):
    dept = education_bureau()
    dept.money_unit = "元"
    rows = published_rows(dept)
    rows[7:7] = [[], *page_two, list(rows[2])]            # before the school: a printed page 2
    batch, department = one_department(write_xlsx(tmp_path / "a.xlsx", [{"name": "S", "rows": rows}]))
    assert_education_bureau(batch, department)
    assert department.unit == "元"
    assert batch.inputs[0].rows.rejected == 0


def test_a_second_table_far_below_the_first_is_still_read(tmp_path):
    other = Dept("某区卫健局", [("某区卫健局", [Proj("疫苗接种经费", fiscal="50.00")])])
    rows = published_rows(education_bureau()) + [[]] * 70 + published_rows(other)
    batch = read_checked([write_xlsx(tmp_path / "a.xlsx", [{"name": "S", "rows": rows}])])
    assert [d.name for d in batch.departments] == ["某区教育局", "某区卫健局"]
    assert batch.inputs[0].rows.read == len(rows)


def test_a_footer_naming_the_table_above_does_not_rename_the_table_below(tmp_path):
    other = Dept("某区卫健局", [("某区卫健局", [Proj("疫苗接种经费", fiscal="50.00")])])
    rows = published_rows(education_bureau()) + [["编制单位：某区教育局", "", "", "", "填报日期：2026-11-01"], []]
    rows += published_rows(other)
    batch = read_checked([write_xlsx(tmp_path / "a.xlsx", [{"name": "S", "rows": rows}])])
    assert [d.name for d in batch.departments] == ["某区教育局", "某区卫健局"]


@pytest.mark.parametrize("line", ["编制单位：元氏县教育局", "预算单位：元谋县教育局"])
def test_a_county_named_yuan_is_not_the_money_unit(tmp_path, line):
    rows = published_rows(education_bureau())
    rows[1] = [line, "", "", "", "", "", "单位：万元"]
    batch, department = one_department(write_text(tmp_path / "a.csv", rows))
    assert (department.name, department.unit, department.total) == (line[5:], "万元", Decimal("255.00"))


def test_department_name_with_a_bracketed_unit(tmp_path):
    rows = published_rows(education_bureau())
    rows[1] = ["部门名称：某区教育局（单位：万元）"]
    _, department = one_department(write_text(tmp_path / "a.csv", rows))
    assert (department.name, department.unit) == ("某区教育局", "万元")


def test_tab_export_with_one_indicator_per_line_in_a_cell(tmp_path):
    dept = education_bureau()
    rows = published_rows(dept)
    for row in rows[5:]:
        if len(row) > 6 and row[6]:
            row[6] = row[6].replace("。", "。\n")
    assert_education_bureau(*one_department(write_text(tmp_path / "a.txt", rows, delimiter="\t")))


def test_a_subtotal_right_under_its_unit_sums_the_projects_below(tmp_path):
    rows = published_rows(education_bureau())
    rows.insert(5, ["小计", 155.00, 150.75, 0.0, 4.25, "", ""])     # under the 机关 row, before its projects
    batch, _ = one_department(write_xlsx(tmp_path / "a.xlsx", [{"name": "S", "rows": rows}]))
    assert [c.code for c in batch.checks if not c.passed] == []
    # two units and the 小计, in each of the four money columns
    assert sum(1 for c in batch.checks if c.code == "subtotal_mismatch") == 3 * 4


def test_a_page_total_is_checked_against_the_projects_of_its_page(tmp_path):
    rows = published_rows(education_bureau())
    rows.insert(7, ["本页合计", 155.00, 150.75, 0.0, 4.25, "", ""])   # after the 机关's projects: right
    rows.append(["本页合计", 99.00, 80.00, 20.00, 0.0, "", ""])        # the school's 100.00: 1.00 short
    batch, department = one_department(write_xlsx(tmp_path / "a.xlsx", [{"name": "S", "rows": rows}]))
    assert [u.name for u in department.spending_units] == ["某区教育局机关", "某区第一中学"]
    assert [(c.code, c.cell) for c in batch.checks if not c.passed] == [("subtotal_mismatch", "B11")]
    assert batch.inputs[0].rows.rejected == 0
