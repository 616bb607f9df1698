"""A snapshot as the history's rows: money as exact integer 分, finding parameters as sorted JSON."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.history.rows import INT64, from_fen, stored_params, to_fen


def test_an_amount_in_wan_yuan_is_stored_as_whole_fen_and_read_back_exactly():
    assert to_fen(Decimal("308.00")) == 308_000_000   # 1 万元 = 1,000,000 分
    assert to_fen(Decimal("0.01")) == 10_000        # 0.01 万元 = 100 元 = 10,000 分
    assert to_fen(Decimal("0.000001")) == 1         # 0.01 元: one 分
    assert to_fen(Decimal("-12.345678")) == -12_345_678
    for text in ("308.00", "0.000001", "-12.345678", "99999999.999999"):
        assert from_fen(to_fen(Decimal(text))) == Decimal(text)


def test_an_unknown_amount_stays_unknown_and_a_finer_one_is_refused():
    assert to_fen(None) is None and from_fen(None) is None
    with pytest.raises(ValueError, match="finer than one 分"):
        to_fen(Decimal("0.0000001"))


def test_beyond_sqlite_integers_the_exact_fen_are_kept_as_text():
    largest = Decimal(INT64) / Decimal(1_000_000)
    assert to_fen(largest) == INT64
    beyond = largest + Decimal("0.000001")
    assert to_fen(beyond) == str(INT64 + 1)
    assert from_fen(to_fen(beyond)) == beyond.quantize(Decimal("0.000001"))


def test_stored_parameters_come_back_sorted_and_a_row_without_them_says_so():
    assert stored_params('{"b": "2", "a": 1}') == (("a", 1), ("b", "2"))
    assert stored_params(None) is None
