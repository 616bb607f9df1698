"""The plain-text summary the CLI prints and the e-mail carries (report/text.py)."""

from decimal import Decimal

import pytest

from builders import education_bureau, published_rows, write_text
from checked import read_checked
from pipeline.model import Sum
from pipeline.report.text import MAX_DEPARTMENTS, amount_text, next_step, summary_lines


@pytest.mark.parametrize("total, text", [(Sum(Decimal("1234567.8")), "1,234,567.80 万元"),
                                         (Sum(Decimal("0")), "0.00 万元")])
def test_amount_text_has_thousands_separators_and_two_places(total, text):
    assert amount_text(total) == text


def test_the_summary_of_one_department_names_its_projects_and_amounts(tmp_path):
    write_text(tmp_path / "教育局.csv", published_rows(education_bureau()))
    lines = summary_lines(read_checked([tmp_path]))
    assert "部门 1 个，资金使用单位 2 个，项目 3 个，绩效指标 9 条" in "\n".join(lines)
    assert any("某区教育局：项目 3 个，指标 9 条，计算 255.00 万元，申报 255.00 万元" in line for line in lines)


def test_the_next_step_depends_on_the_status_and_on_whether_the_reports_were_written():
    assert "pipeline run" in next_step("ok", wrote=False) and "pipeline run" in next_step("warnings", wrote=False)
    assert "告知相关部门" in next_step("failed", wrote=False)
    assert "pipeline email --dry-run" in next_step("ok", wrote=True) and "有警告" not in next_step("ok", wrote=True)
    assert "有警告的部门可按问题清单修改" in next_step("warnings", wrote=True)
    assert "departments/" in next_step("failed", wrote=True)


def test_a_city_batch_summary_stays_short(tmp_path):
    for n in range(MAX_DEPARTMENTS + 5):
        dept = education_bureau()
        dept.name = f"第{n:02d}局"
        write_text(tmp_path / f"{n:02d}.csv", published_rows(dept))
    lines = summary_lines(read_checked([tmp_path]))
    assert sum(1 for line in lines if line.startswith("  √ 第")) == MAX_DEPARTMENTS
    assert "  ……另有 5 个部门，见 report.xlsx 汇总表" in lines
