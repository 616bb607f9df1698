"""Money is exact: cells become `Decimal` here and nowhere is a float summed.

Amounts are normalised to 万元 and kept to the 分 (0.000001 万元), so 元 tables convert exactly and
a spreadsheet's float noise (308.00000000000006) cannot make a total disagree.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from pipeline.text import compact

ZERO = Decimal("0")
FEN = Decimal("0.000001")          # one 分 expressed in 万元
CENT_WANYUAN = Decimal("0.01")     # display precision of 万元 amounts

UNIT_FACTORS = {"万元": Decimal("1"), "千元": Decimal("0.1"), "元": Decimal("0.0001")}

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
    """Convert an amount written in `unit` to 万元, exact to the 分."""
    return (amount * UNIT_FACTORS[unit]).quantize(FEN, rounding=ROUND_HALF_UP)


def fmt(amount: Decimal | None) -> str:
    """万元 with two decimals, the public format of every amount in the outputs."""
    if amount is None:
        return ""
    return str(amount.quantize(CENT_WANYUAN, rounding=ROUND_HALF_UP))


def fmt_exact(amount: Decimal) -> str:
    """Two decimals, or as many as needed to show a difference smaller than 0.01 万元 (down to the 分)."""
    if amount == amount.quantize(CENT_WANYUAN):
        return fmt(amount)
    return format(amount.quantize(FEN).normalize(), "f")


def parse_money_unit(text: str) -> str | None:
    """`单位：万元` / `金额单位：元` -> the unit, or None when no known unit is named."""
    norm = compact(text)
    match = re.search(r"单位[:：]?(?:人民币)?(万元|千元|元)", norm)
    return match.group(1) if match else None


def parse_decimal(text: str) -> Decimal:
    """A plain amount typed by the clerk (command-line options, control files)."""
    return parse_amount(text)
