from decimal import Decimal

import pytest

from pipeline.money import BadAmount, fmt, parse_amount, parse_money_unit, to_wanyuan


@pytest.mark.parametrize("cell, expected", [
    (308.0, "308.0"), (0.1, "0.1"), (12, "12"), ("308.00", "308.00"), ("3,080,000.00", "3080000.00"),
    ("３０８．００", "308.00"), ("３，０８０，０００．００", "3080000.00"), (" 1 234.5 ", "1234.5"),
    ("1\u00a0234.50", "1234.50"), ("", "0"), (None, "0"), ("-", "0"), ("—", "0"), ("-5.5", "-5.5"),
    ("(1,234.00)", "-1234.00"),
])
def test_parse_amount_reads_numbers_and_text(cell, expected):
    assert parse_amount(cell) == Decimal(expected)


@pytest.mark.parametrize("cell", ["十万", "100万元", "1,23,4", "1.2.3", True, "abc", float("nan")])
def test_parse_amount_rejects_what_is_not_an_amount(cell):
    with pytest.raises(BadAmount):
        parse_amount(cell)


def test_float_noise_does_not_survive_normalisation():
    assert to_wanyuan(parse_amount(0.1 + 0.2), "万元") == Decimal("0.3")
    assert to_wanyuan(parse_amount(308.00000000000006), "万元") == Decimal("308")


@pytest.mark.parametrize("amount, unit, wanyuan", [
    ("3080000.00", "元", "308.000000"), ("1234.56", "元", "0.123456"), ("3080", "千元", "308.0"),
    ("308", "万元", "308"),
])
def test_units_normalise_to_wanyuan_exactly(amount, unit, wanyuan):
    assert to_wanyuan(Decimal(amount), unit) == Decimal(wanyuan)


def test_sums_are_exact_where_floats_are_not():
    cells = ["0.10"] * 3
    assert sum(to_wanyuan(parse_amount(c), "万元") for c in cells) == Decimal("0.3")


def test_fmt_rounds_half_up_to_two_decimals():
    assert fmt(Decimal("0.123456")) == "0.12"
    assert fmt(Decimal("0.125")) == "0.13"
    assert fmt(Decimal("308")) == "308.00"


@pytest.mark.parametrize("text, unit", [("单位：万元", "万元"), ("金额单位：元", "元"), ("单位:千元", "千元"),
                                         ("单位：人民币万元", "万元"), ("单位：美元", None), ("部门名称：某局", None)])
def test_money_unit_line(text, unit):
    assert parse_money_unit(text) == unit
