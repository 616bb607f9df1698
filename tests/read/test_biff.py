"""Cached formula errors of an .xls (read/biff.py), which calamine reads as blank: found, bounded, damage tolerated."""

from decimal import Decimal

import pytest

from builders import Dept, Formula, Proj, education_bureau, published_rows, write_xls
from checked import read_checked
from pipeline.read.biff import OLE_MAGIC, BiffError, biff_errors
from pipeline.read.formulas import formula_cells
from read.test_formulas import codes_and_cells, with_formulas


def test_biff_errors_stops_at_its_budget(tmp_path):
    cells = {"C7": Formula("1/0", "#DIV/0!"), "B9": Formula("C9+D9", "#REF!"), "D7": Formula("NA()", "#N/A")}
    data = write_xls(tmp_path / "a.xls", with_formulas(published_rows(education_bureau()), cells)).read_bytes()
    assert biff_errors(data, 10) == {"Sheet1": {(6, 2): "#DIV/0!", (6, 3): "#N/A", (8, 1): "#REF!"}}
    assert sum(len(c) for c in biff_errors(data, 2).values()) == 2


def test_bytes_that_are_no_compound_file_are_a_biff_error():
    with pytest.raises(BiffError):
        biff_errors(b"PK\x03\x04" + bytes(600), 10)


def test_xls_cached_errors_are_found_and_cached_numbers_read(tmp_path):
    rows = published_rows(education_bureau())
    cells = {"C7": Formula("1/0", "#DIV/0!"), "B9": Formula("C9+D9", "#REF!"), "B6": Formula("C6+D6+E6", 120.5)}
    path = write_xls(tmp_path / "a.xls", with_formulas(rows, cells))
    assert formula_cells(path) == {"Sheet1": {(6, 2): "#DIV/0!", (8, 1): "#REF!"}}
    batch = read_checked([path])
    assert codes_and_cells(batch) == [("formula_error", "B9"), ("formula_error", "C7")]
    assert batch.departments[0].projects[0].amounts.total == Decimal("120.5")


def test_a_large_xls_outside_the_mini_stream_is_scanned_too(tmp_path):
    dept = Dept("某局", [("某局", [Proj(f"项目{n}", fiscal="1") for n in range(400)])])
    rows = published_rows(dept)
    rows[-1][2] = Formula("1/0", "#N/A")
    path = write_xls(tmp_path / "big.xls", rows)
    assert path.stat().st_size > 4096 * 8
    assert formula_cells(path) == {"Sheet1": {(len(rows) - 1, 2): "#N/A"}}


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_damaged_xls_has_no_formula_cells_and_is_left_to_the_reader(tmp_path, damage):
    good = write_xls(tmp_path / "a.xls", with_formulas(published_rows(education_bureau()), {"C7": Formula("1/0", "#DIV/0!")}))
    data = good.read_bytes()
    bad = tmp_path / "b.xls"
    bad.write_bytes(data[:1500] if damage == "truncated" else OLE_MAGIC + bytes(range(256)) * 40)
    assert formula_cells(bad) == {}
