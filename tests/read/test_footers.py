"""Footers and deep headers: sign-off and note rows below a table are ignored with their reason, not
read as projects; the header is found however far down the sheet it stands."""

from decimal import Decimal

import pytest

from builders import TITLE, education_bureau, long_rows, published_rows, write_text, write_xlsx
from checked import read_checked
from read.test_sheets import assert_education_bureau, one_department

SIGN_OFF = ["单位负责人：张三", "", "财务负责人：李四", "", "填表人：王五", "", "填报日期：2026年11月1日"]


def test_sign_off_rows_and_a_merged_footnote_are_ignored_with_their_reason(tmp_path):
    rows = published_rows(education_bureau())           # 9 rows: the table ends on row 9
    rows += [[], SIGN_OFF, ["审核：", "赵六", "", "联系电话：", "020-12345678"],
             ["注：本表金额单位为万元，项目按资金使用单位排列。"], ["以上项目均经区财政局审核。"]]
    merges = [(12, 0, 12, 6), (13, 0, 13, 6)]             # both text rows merged across A:G
    path = write_xlsx(tmp_path / "教育局.xlsx", [{"name": "S", "rows": rows, "merges": merges}])
    batch, department = one_department(path)
    assert_education_bureau(batch, department)          # no finding at all: no fake project, no bad_amount
    counts = batch.inputs[0].rows
    assert (counts.read, counts.rejected) == (14, 0)
    assert (counts.ignored_as["footer"], counts.ignored_as["note"]) == (2, 2)
    assert counts.read == counts.used + counts.ignored


@pytest.mark.parametrize("row", [["", "", "", "", "", "填表人：张三"], ["填表人", "张三", "", "", "", "审核人", "李四"],
                                 ["注1：金额单位为万元"], ["（盖章）"], ["编制日期：", "2026-11-01"]])
def test_footer_rows_in_a_text_export(tmp_path, row):
    rows = published_rows(education_bureau()) + [row]
    batch, department = one_department(write_text(tmp_path / "a.csv", rows))
    assert_education_bureau(batch, department)
    assert batch.inputs[0].rows.rejected == 0


def test_a_lone_unmerged_sentence_is_still_rejected_with_a_finding(tmp_path):
    rows = published_rows(education_bureau()) + [["以上项目均经区财政局审核。"]]
    batch = read_checked([write_text(tmp_path / "a.csv", rows)])
    assert [(f.code, f.cell) for f in batch.findings] == [("unrecognised_row", "A10")]


def test_a_long_layout_table_with_a_footer(tmp_path):
    rows, merges = long_rows(education_bureau())
    rows += [SIGN_OFF + ["", "", "", ""]]
    batch, department = one_department(write_xlsx(tmp_path / "a.xlsx", [{"name": "S", "rows": rows, "merges": merges}]))
    assert_education_bureau(batch, department)
    assert batch.inputs[0].rows.ignored_as["footer"] == 1


def test_a_project_whose_name_starts_like_a_label_is_still_a_project(tmp_path):
    dept = education_bureau()
    dept.units[0][1][0].name = "审核服务费"
    dept.units[0][1][1].name = "注册登记经费"
    batch, department = one_department(write_text(tmp_path / "a.csv", published_rows(dept)))
    assert [p.name for p in department.projects][:2] == ["审核服务费", "注册登记经费"]
    assert department.total == Decimal("255.00") and batch.findings == []


@pytest.mark.parametrize("instructions", [75, 500])
def test_a_header_under_long_instructions_is_found(tmp_path, instructions):
    notes = [[TITLE]] + [[f"{n}. 填表说明第 {n} 条：金额以万元为单位，保留两位小数。"] for n in range(1, instructions)]
    rows = notes + published_rows(education_bureau())
    batch, department = one_department(write_xlsx(tmp_path / "a.xlsx", [{"name": "S", "rows": rows}]))
    assert_education_bureau(batch, department)          # no sheet_without_table, nothing dropped
    assert department.projects[0].source.row == instructions + 6
    counts = batch.inputs[0].rows
    assert counts.read == len(rows) and counts.ignored_as["title"] == instructions + 1
