"""read/row_amounts.py: a table row's amounts in 万元, an unreadable cell unknown and reported, never 0."""

from decimal import Decimal

import pytest

from pipeline.model import Source
from pipeline.money import parse_amount, to_wanyuan
from pipeline.read.row_amounts import AmountReader
from pipeline.read.sheets import Sheet

COLUMNS = {"name": 0, "total": 1, "fiscal": 2, "special_account": 3, "other": 4}


def reader(rows, unit="万元", columns=COLUMNS, formulas=None):
    added = []

    def add(code, **params):
        added.append((code, params))

    sheet = Sheet("S", rows, formula_cells=formulas or {})
    return AmountReader(sheet, columns, unit, lambda r, c: Source("a.xlsx", "S", r + 1, c or 0), add), added


def test_amounts_are_converted_to_wanyuan_and_blanks_are_zero():
    amounts_reader, added = reader([["甲", 30000, 20000, None, "10000"]], unit="元")
    amounts, ok = amounts_reader.read(0, amounts_reader.sheet.rows[0], "project", "甲", project="甲")
    assert (amounts.total, amounts.fiscal, amounts.special_account, amounts.other) == (
        Decimal("3"), Decimal("2"), Decimal("0"), Decimal("1"))
    assert ok and added == []


def test_an_unreadable_amount_is_unknown_and_reported_with_its_raw_text():
    amounts_reader, added = reader([["乙", "三十", 30, 0, 0]])
    amounts, ok = amounts_reader.read(0, amounts_reader.sheet.rows[0], "unit", "乙")
    assert amounts.total is None and amounts.fiscal == Decimal("30") and not ok
    assert added == [("bad_amount", {"cell": "B1", "project": None, "row_kind": "unit", "row_name": "乙",
                                     "column": "total", "variant": "table", "raw": "三十", "unit": "万元"})]


def test_a_negative_amount_is_kept_and_reported_with_its_figure():
    amounts_reader, added = reader([["丙", -3, -3, 0, 0]])
    amounts, ok = amounts_reader.read(0, amounts_reader.sheet.rows[0], "project", "丙", project="丙")
    assert ok and amounts.total == Decimal("-3")
    assert [(code, params["column"], params["amount"]) for code, params in added] == [
        ("negative_amount", "total", Decimal("-3")), ("negative_amount", "fiscal", Decimal("-3"))]


def test_a_formula_without_its_value_is_unknown_never_zero():
    amounts_reader, added = reader([["丁", None, 5, 0, None]], formulas={(0, 1): "", (0, 4): "#REF!"})
    amounts, ok = amounts_reader.read(0, amounts_reader.sheet.rows[0], "total")
    assert amounts.total is None and amounts.other is None and not ok
    assert [(code, params.get("error")) for code, params in added] == [("formula_without_value", None),
                                                                        ("formula_error", "#REF!")]


def test_without_a_total_column_the_total_is_the_sum_of_the_sources():
    columns = {k: v for k, v in COLUMNS.items() if k != "total"}
    amounts_reader, _ = reader([["戊", None, "1.5", "2", None]], columns=columns)
    amounts, ok = amounts_reader.read(0, amounts_reader.sheet.rows[0], "project", "戊")
    assert ok and amounts.total == Decimal("3.5")


def test_a_blank_cell_reads_as_the_zero_a_written_zero_gives_to_the_fen():
    # blank cells skip parsing; the zero they get must be the one a typed 0 converts to (0.000000 万元)
    columns = {"name": 0, "total": 1, "fiscal": 2, "special_account": 3}      # no 其他 column at all
    for unit in ("万元", "千元", "元"):
        amounts_reader, added = reader([["己", 0, None, ""]], unit=unit, columns=columns)
        amounts, ok = amounts_reader.read(0, amounts_reader.sheet.rows[0], "project", "己")
        assert ok and added == []
        assert [str(v) for v in (amounts.total, amounts.fiscal, amounts.special_account, amounts.other)] == \
            ["0.000000"] * 4


def test_a_blank_cell_in_a_sheet_with_formulas_elsewhere_is_still_zero():
    amounts_reader, added = reader([["庚", None, None, 0, 0], ["辛", None, 1, 0, 0]], formulas={(1, 1): ""})
    amounts, ok = amounts_reader.read(0, amounts_reader.sheet.rows[0], "project", "庚")
    assert ok and amounts.total == 0 and added == []
    amounts, ok = amounts_reader.read(1, amounts_reader.sheet.rows[1], "project", "辛")
    assert not ok and amounts.total is None and [code for code, _ in added] == ["formula_without_value"]


def test_amount_text_read_directly_gives_exactly_what_parse_amount_gives():
    # the reader's shortcut for plain ASCII amounts must agree with money.parse_amount, digit for digit,
    # and leave everything else (and every failure) to it
    from pipeline.money import BadAmount, parse_amount

    texts = ["308.00", "0.00", "-0.00", "-12", "7", "3,080,000.00", "-1,234.5", "0,000", "1,23", "1234,567",
             "12.", ".5", "+5", " 308.00", "３０８.００", "(1,234.00)", "1 234.00", "3.0.0", "-", "1e3", "٣"]
    for text in texts:
        amounts_reader, added = reader([["甲", text, 0, 0, 0]])
        amounts, _ = amounts_reader.read(0, amounts_reader.sheet.rows[0], "project", "甲")
        try:
            expected = parse_amount(text)
        except BadAmount:
            assert amounts.total is None and [code for code, _ in added] == ["bad_amount"], text
            continue
        assert str(amounts.total) == str(expected.quantize(Decimal("0.000001"))), text


@pytest.mark.parametrize("unit", ["万元", "元", "千元"])
@pytest.mark.parametrize("raw", [0, 0.0, -0.0, "0", "0.0", "0.00", "-0", "0.000", 0.5, "12.30", 3])
def test_a_zero_cell_reads_as_exactly_what_parsing_it_gives(raw, unit):
    """Zero cells skip the parse (most amount cells of a table are blank or 0): the Decimal must be the
    parsed one to its sign and exponent, a negative zero kept as written."""
    amounts_reader, added = reader([["己", None, raw, None, None]], unit=unit)
    amounts, ok = amounts_reader.read(0, amounts_reader.sheet.rows[0], "project", "己")
    expected = to_wanyuan(parse_amount(raw), unit)
    assert ok and added == [] and amounts.fiscal.as_tuple() == expected.as_tuple()


def test_false_in_an_amount_cell_is_no_zero():
    amounts_reader, added = reader([["庚", None, False, None, None]])
    amounts, ok = amounts_reader.read(0, amounts_reader.sheet.rows[0], "project", "庚")
    assert amounts.fiscal is None and not ok and [code for code, _ in added] == ["bad_amount"]


def test_the_amounts_are_made_in_their_fields_order():
    from dataclasses import fields

    from pipeline.model import Amounts
    from pipeline.vocabulary import AMOUNT_FIELDS

    assert tuple(f.name for f in fields(Amounts)) == AMOUNT_FIELDS
