"""What one Excel cell holds: `fit_cell` / `fit_row` shorten what is over 32,767 characters; the packed 绩效指标 cell."""

from types import SimpleNamespace

import pytest

from pipeline.excel_cell import EXCEL_CELL_CHARS, SHORTENED, coded, fit_cell, fit_row, pack_indicators


@pytest.mark.parametrize("text, kept", [("短", "短"), ("x" * EXCEL_CELL_CHARS, "x" * EXCEL_CELL_CHARS), (12, 12)])
def test_fit_cell_leaves_what_fits(text, kept):
    assert fit_cell(text) == kept


def test_fit_cell_without_a_boundary_cuts_at_the_limit():
    written = fit_cell("字" * 40_000)
    assert len(written) == EXCEL_CELL_CHARS and written.endswith(SHORTENED)


def test_fit_cell_cuts_at_the_end_of_an_indicator_near_the_limit():
    indicator = "1、产出指标；数量指标；名称；实施周期指标值:10个；年度指标值:10个。"
    text = indicator * (EXCEL_CELL_CHARS // len(indicator) + 5)
    written = fit_cell(text)
    kept = written[:-len(SHORTENED)]
    assert len(written) <= EXCEL_CELL_CHARS and kept.endswith("。")
    assert kept == indicator * (len(kept) // len(indicator))          # whole indicators only


def test_fit_row_copies_only_when_a_text_is_too_long():
    row = ["甲", 3, None]
    assert fit_row(row) is row
    long_row = ["甲", "x" * (EXCEL_CELL_CHARS + 1)]
    fitted = fit_row(long_row)
    assert fitted[0] == "甲" and fitted[1].endswith(SHORTENED) and long_row[1] == "x" * (EXCEL_CELL_CHARS + 1)


def test_pack_indicators_numbers_and_codes_each_indicator():
    indicators = [SimpleNamespace(level1_code="1", level1="产出指标", level2_code="11", level2="数量指标", name="场次",
                                  period_value="10场", annual_value="5场"),
                  SimpleNamespace(level1_code="", level1="效益指标", level2_code="", level2="社会效益", name="满意",
                                  period_value="", annual_value="≥90%")]
    assert pack_indicators(indicators) == (
        "1、1-产出指标；11-数量指标；场次；实施周期指标值:10场；年度指标值:5场。"
        "2、效益指标；社会效益；满意；实施周期指标值:；年度指标值:≥90%。")
    assert coded("", "名称") == "名称" and coded("3", "满意度指标") == "3-满意度指标"
