"""A found table built into a `Department` (read/normalise.py): codes split, amounts exact, rows counted."""

from decimal import Decimal

import pytest

from builders import education_bureau, published_rows, write_xlsx
from pipeline.read.layout import find_tables
from pipeline.read.normalise import build_department, split_code
from pipeline.read.sheets import Sheet
from read.test_sheets import one_department


@pytest.mark.parametrize("text, parts", [("12-质量指标", ("12", "质量指标")), (" 1、产出指标 ", ("1", "产出指标")),
                                         ("3.满意度指标", ("3", "满意度指标")), ("21－经济效益", ("21", "经济效益")), ("质量指标 ", ("", "质量指标")),
                                         ("2022年目标", ("", "2022年目标"))])
def test_split_code(text, parts):
    assert split_code(text) == parts


def test_build_department_from_a_sheet_of_rows_counts_every_row():
    sheet = Sheet("S", published_rows(education_bureau()))
    (table,) = find_tables(sheet)
    result = build_department(sheet, table, "a.xlsx")
    department = result.department
    assert (department.name, department.total, department.file) == ("某区教育局", Decimal("255.00"), "a.xlsx")
    assert [(p.name, p.amounts.total, p.source.cell) for p in department.projects] == [
        ("教师培训经费", Decimal("120.50"), "A6"), ("教研活动经费", Decimal("34.50"), "A7"),
        ("校舍维修经费", Decimal("100.00"), "A9")]
    assert result.rows.read == result.rows.used + result.rows.ignored + result.rows.rejected
    assert result.rows.rejected == 0 and result.findings == []


def test_a_project_without_goal_or_indicators_is_not_taken_for_a_spending_unit(tmp_path):
    rows = published_rows(education_bureau())
    rows[6][5:7] = ["", ""]                               # 教研活动经费: money, but no goal, no indicators
    batch, department = one_department(write_xlsx(tmp_path / "a.xlsx", [{"name": "S", "rows": rows}]))
    assert [u.name for u in department.spending_units] == ["某区教育局机关", "某区第一中学"]
    assert [p.name for p in department.projects] == ["教师培训经费", "教研活动经费", "校舍维修经费"]
    assert department.projects[1].indicators == [] and department.total == Decimal("255.00")
    assert [c.code for c in batch.checks if not c.passed] == []
