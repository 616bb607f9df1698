"""Every finding code has a short Chinese name, so no report shows `row_sum_mismatch` to a clerk."""

import re

from pipeline.findings import CODES, TITLES, title_of


def test_every_code_has_a_chinese_title():
    assert set(TITLES) == set(CODES)
    for code, title in TITLES.items():
        assert re.fullmatch(r"[\u4e00-\u9fff（）]{2,14}", title), (code, title)


def test_titles_are_distinct():
    assert len(set(TITLES.values())) == len(TITLES)


def test_title_of():
    assert title_of("row_sum_mismatch") == "总计与分项不符"

