"""Money that does not add up is reported with the right code, amounts, difference and cell."""

from decimal import Decimal

from builders import Dept, Proj, education_bureau, published_rows, write_text, write_xlsx
from checked import read_checked


def findings_of(tmp_path, dept, **kwargs):
    path = write_xlsx(tmp_path / "t.xlsx", [{"name": "S", "rows": published_rows(dept, **kwargs)}])
    batch = read_checked([path])
    return batch, [(f.code, f.cell, f.project) for f in batch.findings]


def test_a_table_that_adds_up_passes_every_check(tmp_path):
    batch, found = findings_of(tmp_path, education_bureau())
    assert found == []
    # 合计 row sum, 2 unit row sums, 3 project row sums; in each of the 4 columns 2 subtotals and 1 total
    assert len(batch.checks) == 6 + 4 * 3 and all(c.passed for c in batch.checks)
    assert {c.column for c in batch.checks if c.code == "total_mismatch"} == {"total", "fiscal", "special_account",
                                                                             "other"}


def test_row_sum_mismatch_names_the_project_the_amounts_and_the_total_cell(tmp_path):
    dept = education_bureau()
    dept.units[0][1][0].total = "125.50"           # 教师培训经费: 总计 125.50 but parts 120.50
    dept.unit_totals = {"某区教育局机关": "160.00"}    # keep the unit row consistent with its projects
    dept.declared = "260.00"
    batch, found = findings_of(tmp_path, dept)
    assert ("row_sum_mismatch", "B6", "教师培训经费") in found
    (f,) = [f for f in batch.findings if f.code == "row_sum_mismatch" and f.project == "教师培训经费"]
    assert "应为 120.50 万元" in f.message and "实际填报 125.50 万元" in f.message and "相差 5.00 万元" in f.message


def test_subtotal_mismatch_on_the_unit_row(tmp_path):
    dept = education_bureau()
    dept.unit_totals = {"某区第一中学": "90.00"}     # projects sum to 100.00
    dept.declared = "245.00"
    batch, found = findings_of(tmp_path, dept)
    subtotal = [f for f in batch.findings if f.code == "subtotal_mismatch"]
    assert [(f.cell, f.severity) for f in subtotal] == [("B8", "error")]
    assert "应为 100.00 万元，实际填报 90.00 万元，相差 -10.00 万元" in subtotal[0].message
    # the unit row's own 总计 also disagrees with its parts: reported once, on the same row
    assert ("row_sum_mismatch", "B8", None) in found
    assert not any(code == "total_mismatch" for code, _, _ in found)


def test_total_mismatch_on_the_declared_total(tmp_path):
    dept = education_bureau()
    dept.declared = "300.00"
    batch, found = findings_of(tmp_path, dept)
    assert ("total_mismatch", "B4", None) in found
    (f,) = [f for f in batch.findings if f.code == "total_mismatch"]
    assert "应为 255.00 万元，实际填报 300.00 万元，相差 45.00 万元" in f.message
    (department,) = batch.departments
    assert department.total == Decimal("255.00")      # the computed total is the sum of the projects


def test_bad_amount_is_reported_once_and_its_row_not_rechecked(tmp_path):
    rows = published_rows(education_bureau(), style="text")
    rows[5][2] = "一百二十万"                          # 教师培训经费 财政拨款
    batch = read_checked([write_text(tmp_path / "t.csv", rows)])
    assert [(f.code, f.cell, f.project) for f in batch.findings if f.severity == "error"][0] == \
           ("bad_amount", "C6", "教师培训经费")
    assert "「一百二十万」" in batch.findings[0].message
    assert not [f for f in batch.findings if f.code == "row_sum_mismatch"]


def test_a_cent_off_in_yuan_is_caught(tmp_path):
    dept = Dept("某局", [("某局", [Proj("甲", fiscal="1.000000", total="1.000001")])], money_unit="元",
                declared="1.000001")
    dept.unit_totals = {"某局": "1.000001"}
    batch, found = findings_of(tmp_path, dept, style="text")
    # 0.01 元 too much on the 合计, unit and project rows (written in 元 as 10000.01)
    assert sorted(found) == [("row_sum_mismatch", "B4", None), ("row_sum_mismatch", "B5", None),
                             ("row_sum_mismatch", "B6", "甲")]
    # the message quotes the cells as the 元 table shows them, then in 万元
    assert ("应为 10,000.00 元（1.00 万元），实际填报 10,000.01 元（1.000001 万元），相差 0.01 元（0.000001 万元）"
            in batch.findings[0].message)


def test_a_yuan_table_is_quoted_as_its_cells_show_then_in_wanyuan(tmp_path):
    dept = Dept("某局", [("某局", [Proj("甲", fiscal="173.17", total="173.18")])], money_unit="元",
                declared="173.18")
    dept.unit_totals = {"某局": "173.18"}
    batch, found = findings_of(tmp_path, dept, style="thousands")
    (f,) = [f for f in batch.findings if f.code == "row_sum_mismatch" and f.project == "甲"]
    assert ("项目「甲」的总计与分项之和不符：应为 1,731,700.00 元（173.17 万元），实际填报 1,731,800.00 元（173.18 万元），"
            "相差 100.00 元（0.01 万元）（单元格 B6）") in f.message


def test_a_bad_amount_in_a_thousand_yuan_table_names_the_unit(tmp_path):
    rows = published_rows(Dept("某局", [("某局", [Proj("甲", fiscal="1.00")])], money_unit="千元"), style="text")
    rows[5][2] = "十千元"
    batch = read_checked([write_text(tmp_path / "t.csv", rows)])
    (f,) = [f for f in batch.findings if f.code == "bad_amount"]
    assert f.cell == "C6" and "内容为「十千元」，不是金额（本表金额单位：千元）" in f.message
