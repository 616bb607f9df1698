"""Money is exact: cells become `Decimal` here and nowhere is a float summed.

Amounts are normalised to 万元 and kept to the 分 (0.000001 万元), so 元 tables convert exactly and
a spreadsheet's float noise (308.00000000000006) cannot make a total disagree.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from pipeline.text import compact
from pipeline.vocabulary import MONEY_UNIT_NAMES

ZERO = Decimal("0")
FEN = Decimal("0.000001")          # one 分 expressed in 万元
CENT_WANYUAN = Decimal("0.01")     # display precision of 万元 amounts

UNIT_FACTORS = {"万元": Decimal("1"), "千元": Decimal("0.1"), "元": Decimal("0.0001")}
# No figure of a budget reaches this (10^10 万元 is 100 万亿元, beyond a whole country's budget): a
# command-line or control figure above it is a typing error, and the ceiling setting may not exceed it.
MAX_FIGURE = Decimal(10) ** 10
# Arithmetic on amounts never rounds or overflows: a cell may hold a pasted 30-digit ID number, which
# the default context (28 digits) could not quantize to the 分. Every operation below uses this one.
EXACT = Context(prec=100, Emax=10 ** 6, Emin=-(10 ** 6))

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_DASHES = {"-", "—", "–", "－", "/", "——"}
# spaces of every width, NBSP and the thin spaces that pasted numbers carry


class BadAmount(ValueError):
    """The cell holds something that is not an amount; the text is kept for the message."""


def parse_amount(value: object) -> Decimal:
    """Read one amount cell, in the unit the table is written in.

    Accepts numbers, and text with thousands separators, full-width digits, spaces or NBSP; blank
    and a lone dash mean zero. Anything else raises `BadAmount`.
    """
    if value is None or value == "":
        return ZERO
    if isinstance(value, bool):
        raise BadAmount(str(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise BadAmount(str(value))
        # repr() is the shortest text that round-trips: what the clerk typed, not the binary noise
        return Decimal(repr(value))
    if not isinstance(value, str):
        raise BadAmount(str(value))
    text = compact(value)
    if text == "" or text in _DASHES:
        return ZERO
    negative = text.startswith("(") and text.endswith(")")  # accounting negative (1,234.00)
    if negative:
        text = text[1:-1]
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        raise BadAmount(value)
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid decimals
        raise BadAmount(value) from exc
    return -amount if negative else amount


def to_wanyuan(amount: Decimal, unit: str) -> Decimal:
    """Convert an amount written in `unit` to 万元, exact to the 分 (whatever its size)."""
    return EXACT.multiply(amount, UNIT_FACTORS[unit]).quantize(FEN, rounding=ROUND_HALF_UP, context=EXACT)


def in_unit(amount: Decimal, unit: str) -> Decimal:
    """A 万元 amount back in the unit the table was written in (exact: amounts are kept to the 分)."""
    return EXACT.divide(amount, UNIT_FACTORS[unit])


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT_WANYUAN, rounding=ROUND_HALF_UP, context=EXACT)


def _exact(amount: Decimal) -> Decimal:
    """Two decimals, or as many as the amount has below 0.01 (down to the 分 of 万元)."""
    if amount == _cents(amount):
        return _cents(amount)
    return amount.quantize(FEN, rounding=ROUND_HALF_UP, context=EXACT).normalize(context=EXACT)


# Machine formats: run.json, the CSV files and the history keep plain decimals ("1234.56").

def fmt(amount: Decimal | None) -> str:
    """万元 with two decimals, plain (machine format of run.json and the CSV files); "" for None."""
    if amount is None:
        return ""
    return format(_cents(amount), "f")


def fmt_exact(amount: Decimal) -> str:
    """Two decimals, or as many as needed to show a difference smaller than 0.01 万元 (down to the 分)."""
    return format(_exact(amount), "f")


# People's format: every amount a person reads (CLI, reports, e-mail, finding messages) has 千分位 and
# two decimals ("1,234.56"), more only for a difference below 0.01 ("0.0001").

def show(amount: Decimal | None) -> str:
    """`1,234.56`: an amount as people read it; "" for None."""
    if amount is None:
        return ""
    return format(_cents(amount), ",f")


def show_exact(amount: Decimal) -> str:
    """`1,234.56`, or `0.0001` for a difference below 0.01: never 0.00 for what is not zero."""
    return format(_exact(amount), ",f")


def show_in_unit(amount: Decimal, unit: str, exact: bool = False) -> str:
    """A 万元 amount as the cell of a table in `unit` shows it, then in 万元:
    `1,731,800.00 元（173.18 万元）`; a 万元 table's amount is just `173.18 万元`."""
    shown = show_exact if exact else show
    if unit == "万元" or unit not in UNIT_FACTORS:
        return f"{shown(amount)} 万元"
    return f"{show_exact(in_unit(amount, unit))} {unit}（{shown(amount)} 万元）"


def parse_money_unit(text: str) -> str | None:
    """`单位：万元` / `金额单位：元` -> the unit, or None when no known unit is named."""
    norm = compact(text)
    match = re.search(rf"单位[:：]?(?:人民币)?({MONEY_UNIT_NAMES})", norm)
    return match.group(1) if match else None


def parse_decimal(text: str) -> Decimal:
    """A plain amount typed by the clerk (command-line options, control files)."""
    return parse_amount(text)


def implausible_figure(amount: Decimal) -> bool:
    """A figure typed by the clerk (--expect-total, a control figure) that no budget reaches."""
    return abs(amount) > MAX_FIGURE
