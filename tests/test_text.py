"""`compact`: how cell text is compared (full width folded, every space and invisible character gone)."""

import sys
import unicodedata

import pytest

from pipeline.model import department_key
from pipeline.text import compact


def test_compact_removes_every_invisible_format_character():
    format_chars = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"} <= set(format_chars)
    assert [c for c in format_chars if compact(f"甲{c}乙") != "甲乙"] == []
    assert department_key("广州市荔湾区\u200b信访局\ufeff") == department_key("广州市荔湾区 信访局") == "广州市荔湾区信访局"


@pytest.mark.parametrize("text, compared", [
    ("项目名称（资金使用单位）", "项目名称(资金使用单位)"),      # full-width brackets folded
    ("项目名称 (资金使用单位)", "项目名称(资金使用单位)"),
    ("１２３．５０", "123.50"),                                   # full-width digits
    ("广州市\u3000荔湾区\u00a0信访局\n", "广州市荔湾区信访局"),    # ideographic space, NBSP, newline
    (None, ""),
    ("", ""),
])
def test_compact_folds_width_and_drops_spaces(text, compared):
    assert compact(text) == compared


def test_compact_keeps_visible_punctuation_and_letters():
    assert compact("1-产出指标；a/b") == "1-产出指标;a/b"
