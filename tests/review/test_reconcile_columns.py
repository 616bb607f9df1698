"""Every money column is added down, and an amount that could not be read stays unknown in every output."""

import csv
import json
from decimal import Decimal

import openpyxl

from builders import Dept, Proj, education_bureau, published_rows, write_text, write_xlsx
from checked import read_checked
from pipeline.history.store import open_history
from pipeline.report.text import summary_lines
from pipeline.run import run


def findings(batch, *codes):
    return [(f.code, f.cell, f.message) for f in batch.findings if f.code in codes]


# --- every money column ----------------------------------------------------------------------------

def moved_between_columns() -> list[list]:
    """教师培训经费 (row 6): 10.00 万元 moved from 财政拨款 to 其他资金; the row still adds up across."""
    rows = published_rows(education_bureau())
    assert rows[5][0] == "教师培训经费" and rows[5][1:5] == [120.5, 120.5, 0.0, 0.0]
    rows[5][2], rows[5][4] = 110.5, 10.0
    return rows


def test_money_moved_between_columns_fails_the_unit_row_of_each_column(tmp_path):
    batch = read_checked([write_xlsx(tmp_path / "t.xlsx", [{"name": "S", "rows": moved_between_columns()}])])
    assert not [f for f in batch.findings if f.code == "row_sum_mismatch"]
    assert findings(batch, "subtotal_mismatch", "total_mismatch") == [
        ("subtotal_mismatch", "C5", "资金使用单位「某区教育局机关」的财政拨款与其各项目财政拨款之和不符：应为 140.75 万元，"
         "实际填报 150.75 万元，相差 10.00 万元（单元格 C5）。单位行的财政拨款应等于其下各项目财政拨款之和，"
         "请核对单位行或项目金额。（位置：t.xlsx!S!C5）"),
        ("subtotal_mismatch", "E5", "资金使用单位「某区教育局机关」的其他资金与其各项目其他资金之和不符：应为 14.25 万元，"
         "实际填报 4.25 万元，相差 -10.00 万元（单元格 E5）。单位行的其他资金应等于其下各项目其他资金之和，"
         "请核对单位行或项目金额。（位置：t.xlsx!S!E5）"),
    ]
    failed = [(c.column, c.column_label, c.expected, c.actual, c.difference, c.cell) for c in batch.checks if not c.passed]
    assert failed == [("fiscal", "财政拨款", Decimal("140.75"), Decimal("150.75"), Decimal("10.00"), "C5"),
                      ("other", "其他资金", Decimal("14.25"), Decimal("4.25"), Decimal("-10.00"), "E5")]
    assert not batch.ok


def test_money_moved_between_columns_fails_the_total_row_without_unit_rows(tmp_path):
    dept = Dept("某局", [("某局", [Proj("甲", fiscal="100.00"), Proj("乙", fiscal="50.00")])])
    rows = published_rows(dept)
    del rows[4]                                     # projects straight under 合计
    rows[4][2], rows[4][4] = 90.0, 10.0             # 甲: 10.00 from 财政拨款 to 其他资金
    batch = read_checked([write_xlsx(tmp_path / "t.xlsx", [{"name": "S", "rows": rows}])])
    assert [(code, cell) for code, cell, _ in findings(batch, "subtotal_mismatch", "total_mismatch", "row_sum_mismatch")] \
        == [("total_mismatch", "C4"), ("total_mismatch", "E4")]
    messages = [m for _, _, m in findings(batch, "total_mismatch")]
    assert messages[0].startswith("合计行的财政拨款与各资金使用单位财政拨款之和不符：应为 140.00 万元，实际填报 150.00 万元，"
                                  "相差 10.00 万元（单元格 C4）")
    assert messages[1].startswith("合计行的其他资金与各资金使用单位其他资金之和不符：应为 10.00 万元，实际填报 0.00 万元，"
                                  "相差 -10.00 万元（单元格 E4）")


def test_the_run_fails_and_the_check_sheet_and_html_show_the_columns(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_xlsx(inputs / "t.xlsx", [{"name": "S", "rows": moved_between_columns()}])
    result = run(inputs, tmp_path / "out", "2026-11")
    assert result.record["status"] == "failed" and not result.record["departments"][0]["reconciled"]
    sheet = openpyxl.load_workbook(result.folder / "report.xlsx")["核对"]
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert {r[1] for r in rows} == {"总计", "财政拨款", "财政专户拨款", "其他资金"}
    assert [(r[1], r[3], r[4], r[5], r[6][-2:], r[7]) for r in rows if r[7] == "不符"] == [
        ("财政拨款", 140.75, 150.75, 10.0, "C5", "不符"), ("其他资金", 14.25, 4.25, -10.0, "E5", "不符")]
    page = (result.folder / "report.html").read_text(encoding="utf-8")
    assert ("<td>某区教育局</td><td>财政拨款</td><td>资金使用单位「某区教育局机关」的财政拨款与其各项目财政拨款之和</td>"
            '<td class="num">140.75</td><td class="num">150.75</td><td class="num">10.00</td>') in page
    assert '<td>其他资金</td>' in page


# --- unknown is not zero ---------------------------------------------------------------------------

def unreadable_department() -> list[list]:
    """308.00 万元 in four projects; the 10.00 万元 project's 总计 and 财政拨款 read 壹佰万元 (row 9)."""
    dept = Dept("某区信访局", [("某区信访局", [Proj("信访维稳经费", fiscal="100.00"), Proj("接访经费", fiscal="98.00"),
                                             Proj("办公经费", fiscal="100.00"), Proj("购置经费", fiscal="10.00")])])
    rows = published_rows(dept, style="text")
    assert rows[8][0] == "购置经费"
    rows[8][1] = rows[8][2] = "壹佰万元"
    return rows


def test_an_unreadable_amount_is_unknown_in_the_model_and_the_totals(tmp_path):
    batch = read_checked([write_text(tmp_path / "t.csv", unreadable_department())])
    (department,) = batch.departments
    project = department.projects[3]
    assert (project.amounts.total, project.amounts.fiscal, project.amounts.other) == (None, None, Decimal(0))
    assert project.amounts.unknown == ("total", "fiscal")
    assert (department.total, department.total_sum.unknown, department.incomplete, department.unknown_amounts) == (
        Decimal("298"), 1, True, 2)
    assert [(code, cell) for code, cell, _ in findings(batch, "bad_amount")] == [("bad_amount", "B9"), ("bad_amount", "C9")]
    assert "「壹佰万元」，不是金额（本表金额单位：万元），此金额按无法读取处理，未计入任何合计" in batch.findings[0].message
    # no check that needs the unknown amounts is made, so none fails on a 0 that nobody typed
    assert [f.code for f in batch.findings] == ["bad_amount", "bad_amount"]
    assert "合计 298.00 万元（另有 1 个金额无法读取，未计入）（各部门合计行申报 308.00 万元）" in summary_lines(batch)


def test_an_unreadable_amount_is_blank_and_marked_in_every_output(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_text(inputs / "t.csv", unreadable_department())
    result = run(inputs, tmp_path / "out", "2026-11")
    folder, record = result.folder, result.record
    (entry,) = record["departments"]
    assert (record["total"], record["total_unknown"], record["unknown_amounts"]) == ("298.00", 1, 2)
    assert (entry["total"], entry["total_unknown"], entry["unknown_amounts"], entry["reconciled"]) == (
        "298.00", 1, 2, False)
    with (folder / "projects.csv").open(encoding="utf-8-sig", newline="") as handle:
        row = [r for r in csv.DictReader(handle) if r["project"] == "购置经费"][0]
    assert (row["total"], row["fiscal"], row["special_account"], row["other"], row["unreadable"]) == (
        "", "", "0.00", "0.00", "total fiscal")
    sheet = openpyxl.load_workbook(folder / "report.xlsx")["项目"]
    (cells,) = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] == "购置经费"]
    assert cells[3:7] == [None, None, 0, 0] and cells[11] == "总计、财政拨款"
    summary = openpyxl.load_workbook(folder / "report.xlsx")["汇总"]
    assert [summary.cell(7, c).value for c in (5, 7, 9)] == [298, None, 1]
    (published,) = (folder / "departments").iterdir()
    ws = openpyxl.load_workbook(published).active
    (line,) = [r for r in ws.iter_rows(min_row=4) if r[0].value == "购置经费"]
    assert [c.value for c in line[1:5]] == [None, None, 0, 0]
    assert line[1].comment is not None and "无法读取" in line[1].comment.text
    page = (folder / "report.html").read_text(encoding="utf-8")
    (project_row,) = [r for r in page.split("<tr>") if ">购置经费</a>" in r]
    assert project_row.count('<span class="unknown" data-unknown="1">无法读取</span>') == 2
    assert "0.00" not in project_row.split("</td>")[2] + project_row.split("</td>")[3]
    assert "298.00（另有 1 个金额无法读取，未计入）" in page
    for name in ("projects.csv", "report.html", "summary.html"):   # the unknown 总计 is nowhere 10.00 or 0.00
        text = (folder / name).read_text(encoding="utf-8-sig")
        assert "10.00" not in text, name
    assert json.loads((folder / "run.json").read_text(encoding="utf-8"))["total"] == "298.00"
    with open_history(tmp_path / "out" / "history.sqlite") as history:
        stored = history.connection.execute(
            "SELECT total_fen, fiscal_fen, other_fen FROM projects WHERE name = '购置经费'").fetchone()
        (department,) = history.snapshot("2026-11").departments
    assert stored == (None, None, 0)                       # unknown is NULL in the history, not 0
    assert (department.total, department.total_unknown, department.unknown_amounts, department.reconciled) == (
        Decimal("298"), 1, 2, False)
