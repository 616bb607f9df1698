"""Formula cells: read from their cached value; without one, or with a cached error, a finding on the
cell, never an amount of 0."""

from decimal import Decimal

import pytest

from builders import Formula, education_bureau, published_rows, write_formula_xlsx, write_ods
from checked import read_checked
from pipeline.read.formulas import formula_cells

# education_bureau() laid out by published_rows: 合计 row 4, 机关 5, its projects 6 and 7, 第一中学 8, its project 9
AMOUNT_COLUMNS = "BCDE"


def with_formulas(rows, cells: dict[str, Formula]):
    """Replace the cells named like `B6` by formulas."""
    for ref, formula in cells.items():
        rows[int(ref[1:]) - 1]["ABCDEFG".index(ref[0])] = formula
    return rows


def codes_and_cells(batch, severity="error"):
    return sorted((f.code, f.cell) for f in batch.findings if f.severity == severity)


def test_a_table_whose_every_amount_is_an_uncached_formula_fails_cell_by_cell(tmp_path):
    rows = published_rows(education_bureau())
    every = {f"{col}{r}": Formula(repr(rows[r - 1][AMOUNT_COLUMNS.index(col) + 1]))
             for r in range(4, 10) for col in AMOUNT_COLUMNS}
    path = write_formula_xlsx(tmp_path / "生成.xlsx", with_formulas(rows, every))
    assert formula_cells(path)["Sheet1"][(3, 1)] == ""          # B4 stored as <f>255.0</f><v/>
    batch = read_checked([path])
    assert not batch.ok
    assert codes_and_cells(batch) == sorted(("formula_without_value", ref) for ref in every)
    first = next(f for f in batch.findings if f.cell == "B6")
    assert first.project == "教师培训经费" and first.department == "某区教育局"
    assert first.message.startswith("项目「教师培训经费」的「总计」单元格 B6 是公式，但文件中没有保存公式的计算结果")
    assert "请用 Excel 或 WPS 打开该文件并保存一次，或把公式改为数值" in first.message
    assert "生成.xlsx!Sheet1!B6" in first.message
    assert batch.checks == []                       # nothing reconciled at 0.00 = 0.00
    assert all(not p.amounts_ok for p in batch.departments[0].projects)


def test_uncached_row_totals_are_reported_and_do_not_raise_row_sum_mismatches(tmp_path):
    rows = published_rows(education_bureau())
    totals = {f"B{r}": Formula(f"SUM(C{r}:E{r})") for r in (6, 7, 9)}
    batch = read_checked([write_formula_xlsx(tmp_path / "a.xlsx", with_formulas(rows, totals))])
    assert codes_and_cells(batch) == [("formula_without_value", "B6"), ("formula_without_value", "B7"),
                                      ("formula_without_value", "B9")]
    codes = {f.code for f in batch.findings}
    assert not codes & {"row_sum_mismatch", "subtotal_mismatch", "total_mismatch"}
    (department,) = batch.departments
    assert [p.amounts.fiscal for p in department.projects] == [Decimal("120.5"), Decimal("30.25"), Decimal("80")]


@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#DIV/0!", "#VALUE!"])
def test_a_cached_error_is_a_finding_on_its_cell_and_cached_values_read_normally(tmp_path, error):
    rows = published_rows(education_bureau())
    cells = {"C7": Formula("Sheet2!A1", error),                       # 教研活动经费 财政拨款
             "B6": Formula("SUM(C6:E6)", 120.5), "B9": Formula("C9+D9+E9", 100.0)}
    batch = read_checked([write_formula_xlsx(tmp_path / "a.xlsx", with_formulas(rows, cells))])
    assert codes_and_cells(batch) == [("formula_error", "C7")]
    (f,) = [f for f in batch.findings if f.severity == "error"]
    assert f.message.startswith(f"项目「教研活动经费」的「财政拨款」单元格 C7 是公式，计算结果为错误值「{error}」，此金额按无法读取处理，未计入任何合计。")
    assert f.project == "教研活动经费"
    (department,) = batch.departments
    assert [p.amounts_ok for p in department.projects] == [True, False, True]
    assert department.projects[0].amounts.total == Decimal("120.5")  # cached 120.5 read as the amount
    assert department.projects[2].amounts.total == Decimal("100")
    failed = {c.code for c in batch.checks if not c.passed}
    assert failed == set()                                            # no mismatch blamed on correct cells


def test_ods_formulas_without_value_and_with_an_error(tmp_path):
    rows = published_rows(education_bureau())
    cells = {"B6": Formula("[.C6]+[.D6]+[.E6]"), "C9": Formula("1/0", "#DIV/0!"), "B7": Formula("[.C7]+[.E7]", 34.5)}
    path = write_ods(tmp_path / "a.ods", with_formulas(rows, cells))
    assert formula_cells(path) == {"Sheet1": {(5, 1): "", (8, 2): "#DIV/0!"}}
    batch = read_checked([path])
    assert codes_and_cells(batch) == [("formula_error", "C9"), ("formula_without_value", "B6")]
    assert batch.departments[0].projects[1].amounts.total == Decimal("34.5")


def test_a_file_that_is_not_a_zip_workbook_has_no_formula_cells(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"not a zip")
    assert formula_cells(tmp_path / "a.xlsx") == {}


def test_the_scan_refuses_entities(tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
                         '<workbook><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>')
    assert formula_cells(path) == {}


@pytest.mark.parametrize("xml, hinted", [(b'<c r="A1"><f>A2</f><v/></c>', True), (b'<x:c r="A1"><x:f>A2</x:f></x:c>', True),
                                          (b'<c r="B2"><f t="shared" si="0"/></c>', True), (b'<c r="A1" t="e"><v>#N/A</v></c>', True),
                                          (b'<rPr><family val="2"/><font/></rPr><c r="A1"><v>1</v></c>', False)])
def test_the_quick_search_for_formulas_skips_only_sheets_without_any(xml, hinted):
    from pipeline.read.formulas import _xlsx_hint

    assert _xlsx_hint(xml) is hinted


def test_uncached_formulas_are_unknown_in_the_model_and_the_outputs_not_zero(tmp_path):
    import csv

    from pipeline.run import run

    rows = published_rows(education_bureau())
    every = {f"{col}{r}": Formula(repr(rows[r - 1][AMOUNT_COLUMNS.index(col) + 1]))
             for r in range(4, 10) for col in AMOUNT_COLUMNS}
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_formula_xlsx(inputs / "生成.xlsx", with_formulas(rows, every))
    result = run(inputs, tmp_path / "out", "2026-11")
    record = result.record
    assert record["status"] == "failed"
    (entry,) = record["departments"]
    assert (entry["reconciled"], entry["total_unknown"], entry["unknown_amounts"]) == (False, 3, 12)
    with (result.folder / "projects.csv").open(encoding="utf-8-sig", newline="") as handle:
        projects = list(csv.DictReader(handle))
    assert [(p["total"], p["fiscal"], p["unreadable"]) for p in projects] == \
           [("", "", "total fiscal special_account other")] * 3


def _one_sheet_xlsx(path, sheet_xml: bytes):
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
                         '2006/relationships"><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" '
                         'Target="worksheets/sheet1.xml"/></Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


@pytest.mark.parametrize("shift", range(-4, 3))
def test_a_formula_tag_across_the_boundary_of_two_read_chunks_is_found(tmp_path, shift):
    from pipeline.read.formulas import CHUNK

    head = b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    tail = b'</t></is></c><c r="B1">'
    padding = b"x" * (CHUNK + shift - len(head) - len(tail))      # <f> starts `shift` bytes from the boundary
    xml = head + padding + tail + b"<f>A1*2</f></c></row></sheetData></worksheet>"
    assert xml.index(b"<f>") == CHUNK + shift
    assert formula_cells(_one_sheet_xlsx(tmp_path / "a.xlsx", xml)) == {"S": {(0, 1): ""}}


def test_a_sheet_without_any_formula_is_never_parsed_and_one_with_a_formula_is(tmp_path, monkeypatch):
    from pipeline.read import formulas

    parsed = []
    real = formulas._xlsx_sheet
    monkeypatch.setattr(formulas, "_xlsx_sheet", lambda *args: parsed.append(args[1]) or real(*args))
    plain = b'<worksheet><sheetData><row r="1"><c r="A1"><v>3</v></c><c r="B1" s="1"><v>4</v></c></row></sheetData></worksheet>'
    assert formula_cells(_one_sheet_xlsx(tmp_path / "plain.xlsx", plain)) == {} and parsed == []
    with_formula = plain.replace(b'<v>4</v>', b'<f>A1+1</f>')
    assert formula_cells(_one_sheet_xlsx(tmp_path / "f.xlsx", with_formula)) == {"S": {(0, 1): ""}}
    assert parsed == ["xl/worksheets/sheet1.xml"]
