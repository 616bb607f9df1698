"""One department is counted once: copies of it on other sheets of the same workbook and resubmissions
whose names differ only by invisible characters are recognised."""

import os
from decimal import Decimal

import pytest

from builders import education_bureau, published_rows, write_text, write_xlsx
from checked import read_checked


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", " ", "\u3000"])
def test_a_resubmission_is_recognised_whatever_invisible_characters_or_spaces_the_name_holds(tmp_path, invisible):
    old, new = education_bureau(), education_bureau()
    new.name = f"某区{invisible}教育局"
    write_text(tmp_path / "a.csv", published_rows(old))
    write_text(tmp_path / "b.csv", published_rows(new))
    os.utime(tmp_path / "a.csv", (1_700_000_000, 1_700_000_000))
    os.utime(tmp_path / "b.csv", (1_700_000_100, 1_700_000_100))
    batch = read_checked([tmp_path])
    assert [d.file for d in batch.departments] == ["b.csv"]
    assert batch.total == Decimal("255.00")
    (f,) = batch.findings
    assert (f.code, f.file) == ("duplicate_department", "b.csv")
    assert {i.file: i.status for i in batch.inputs} == {"a.csv": "skipped", "b.csv": "ok"}


# --- a department copied onto another sheet of the same workbook --------------------------------

def sample_rows(sample, first_project_fiscal=None):
    """The bundled sample's sheet as rows of values (merged cells left to their top-left cell); with
    `first_project_fiscal`, an older draft in which the first project (and so every total) differs."""
    from pipeline.read.sheets import read_sheets

    (sheet,) = read_sheets(sample)
    rows = [["" if (r, c) in sheet.merged_from else v for c, v in enumerate(row)] for r, row in enumerate(sheet.rows)]
    if first_project_fiscal is not None:
        extra = first_project_fiscal - rows[5][1]
        for r in (3, 4):                     # 合计 and the spending-unit row
            rows[r][1] += extra
            rows[r][2] += extra
        rows[5][1] = rows[5][2] = first_project_fiscal
    return rows


def run_check(path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    return CliRunner().invoke(app, ["check", str(path)])


@pytest.mark.parametrize("backup_first", [False, True])
def test_a_hidden_backup_with_an_older_draft_is_not_added(tmp_path, sample, backup_first):
    sheets = [{"name": "项目支出绩效目标表", "rows": sample_rows(sample)},
              {"name": "备份", "rows": sample_rows(sample, first_project_fiscal=150.0), "hidden": True}]
    path = write_xlsx(tmp_path / "信访局.xlsx", sheets[::-1] if backup_first else sheets)
    batch = read_checked([path])
    (department,) = batch.departments
    assert (department.sheet, str(department.total), len(department.projects)) == ("项目支出绩效目标表", "308.000000", 10)
    assert batch.total == Decimal("308.00")
    (copy,) = [f for f in batch.findings if f.code == "duplicate_sheet"]
    assert (copy.severity, copy.sheet, copy.department, copy.cell) == ("warning", "备份", "广州市荔湾区信访局", None)
    assert copy.message.startswith(
        "隐藏的工作表「备份」重复了工作表「项目支出绩效目标表」中的部门「广州市荔湾区信访局」，未计入（可见工作表优先于隐藏工作表）："
        "与「项目支出绩效目标表」相比，项目合计 358.00 万元（「项目支出绩效目标表」为 308.00 万元，相差 50.00 万元）；"
        "金额不同的项目「信访维稳工作专项经费」。")
    rows = batch.inputs[0].rows
    assert rows.ignored_as["copy"] == 15 and rows.read == rows.used + rows.ignored + rows.rejected == 30
    assert [f.code for f in batch.findings if f.sheet == "备份"] == ["duplicate_sheet"]
    result = run_check(path)
    assert result.exit_code == 0
    assert "合计 308.00 万元" in result.output and "666.00" not in result.output


def test_a_visible_copy_sheet1_2_is_not_added(tmp_path, sample):
    path = write_xlsx(tmp_path / "信访局.xlsx", [{"name": "Sheet1", "rows": sample_rows(sample)},
                                                  {"name": "Sheet1 (2)", "rows": sample_rows(sample)}])
    batch = read_checked([path])
    assert [(d.sheet, str(d.total)) for d in batch.departments] == [("Sheet1", "308.000000")]
    assert batch.total == Decimal("308.00")
    (copy,) = [f for f in batch.findings if f.code == "duplicate_sheet"]
    assert copy.sheet == "Sheet1 (2)"
    assert copy.message.startswith("工作表「Sheet1 (2)」重复了工作表「Sheet1」中的部门「广州市荔湾区信访局」，未计入"
                                   "（保留工作簿中靠前的一张）：10 个项目及其金额与「Sheet1」完全相同。")
    result = run_check(path)
    assert result.exit_code == 0 and "616.00" not in result.output and "合计 308.00 万元" in result.output


def test_a_copy_whose_department_name_holds_an_invisible_character_is_still_a_copy(tmp_path, sample):
    copy = sample_rows(sample)
    copy[1][0] = "部门名称：广州市荔湾区\u200b信访局\u00ad"
    path = write_xlsx(tmp_path / "信访局.xlsx", [{"name": "S", "rows": sample_rows(sample)}, {"name": "S (2)", "rows": copy}])
    batch = read_checked([path])
    assert batch.total == Decimal("308.00")
    assert [f.sheet for f in batch.findings if f.code == "duplicate_sheet"] == ["S (2)"]


def test_a_department_spread_over_two_sheets_with_different_projects_is_read_as_parts(tmp_path):
    first, second = education_bureau(), education_bureau()
    first.units, second.units = first.units[:1], second.units[1:]
    path = write_xlsx(tmp_path / "教育局.xlsx", [{"name": "第1页", "rows": published_rows(first)},
                                                  {"name": "第2页", "rows": published_rows(second), "hidden": True}])
    batch = read_checked([path])
    assert [d.sheet for d in batch.departments] == ["第1页", "第2页"]
    assert batch.total == Decimal("255.00")
    assert "duplicate_sheet" not in [f.code for f in batch.findings]
