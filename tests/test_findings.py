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



def test_a_findings_text_is_its_message_without_the_location_suffix_it_was_given():
    from pipeline.findings import finding

    placed = finding("sheet_without_table", file="a.xlsx", sheet="说明", hidden=False, row_count=4)
    assert placed.message == placed.text + "（位置：a.xlsx!说明）"
    assert "位置" not in placed.text and placed.text.startswith("工作表「说明」")
    named = finding("no_table", file="b.xlsx", reason="没有找到表头")   # names its file: no suffix to leave off
    assert named.text == named.message == "文件「b.xlsx」：没有找到表头。"
