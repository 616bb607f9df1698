"""The lines above a table's header: 部门名称 and 单位 read wherever they stand, and a header further down
told apart as another department's table or the same table's header on a new page."""

import pytest

from builders import Dept, Proj, published_rows
from pipeline.read.layout import Table, find_tables
from pipeline.read.preamble import line_department, next_table_start, own_texts, read_preamble
from pipeline.read.sheets import Sheet


@pytest.mark.parametrize("cells, expected", [
    (["部门名称：广州市荔湾区信访局"], ("广州市荔湾区信访局", 0)),
    (["", "部门名称", "广州市荔湾区信访局"], ("广州市荔湾区信访局", 1)),          # the name in the next cell
    (["部门名称：某局  单位：万元"], ("某局", 0)),                              # the unit line in the same cell
    (["部门（单位）名称：某局"], ("某局", 0)),                                 # full-width brackets
    (["编制单位：某区教育局"], ("某区教育局", 0)),
    (["单位：万元"], None),                                                  # a money unit names no department
    (["部门名称：", "单位：万元"], None),
    (["项目支出绩效目标表"], None),
])
def test_the_department_a_line_names(cells, expected):
    texts = [(col, text) for col, text in enumerate(cells) if text]
    assert line_department(texts) == expected


def test_a_merged_range_counts_once_among_a_rows_texts():
    sheet = Sheet("S", [["部门名称：某局", "部门名称：某局", " 单位：元 "]], merged_from={(0, 1): (0, 0)})
    assert own_texts(sheet, 0) == [(0, "部门名称：某局"), (2, "单位：元")]


def test_the_preamble_sets_department_and_unit_and_says_what_each_row_is():
    sheet = Sheet("S", [["某局项目支出绩效目标表"], [], ["部门名称：某局", "", "单位：元"], ["项目名称", "总计"]])
    table = Table(3, {"name": 0, "total": 1}, None, None, None, None)
    assert list(read_preamble(sheet, table)) == [(0, "ignored", "title"), (1, "ignored", "blank"), (2, "meta", "")]
    assert (table.department, table.department_cell, table.unit) == ("某局", (2, 0), "元")


def test_an_unknown_unit_is_kept_as_written():
    sheet = Sheet("S", [["单位：美元"], ["项目名称", "总计"]])
    table = Table(1, {"name": 0, "total": 1}, None, None, None, None)
    assert list(read_preamble(sheet, table)) == [(0, "ignored", "unit")]
    assert (table.unit, table.unit_text) == (None, "单位：美元")


def _stacked(second: str) -> Sheet:
    first = published_rows(Dept("甲局", [("甲局", [Proj("甲项目", fiscal="1")])]))
    return Sheet("S", first + published_rows(Dept(second, [(second, [Proj("乙项目", fiscal="2")])])))


def test_a_header_under_another_departments_preamble_starts_the_next_table():
    sheet = _stacked("乙局")
    first_height = len(published_rows(Dept("甲局", [("甲局", [Proj("甲项目", fiscal="1")])])))
    tables = find_tables(sheet)
    assert [t.department for t in tables] == ["甲局", "乙局"]
    assert tables[0].end == tables[1].start == first_height      # the second table starts at its title
    header = tables[1].header_row
    assert next_table_start(sheet, tables[0], header) == first_height


def test_the_same_departments_header_again_is_a_repeated_page_header():
    sheet = _stacked("甲局")
    tables = find_tables(sheet)
    assert len(tables) == 1 and tables[0].end == len(sheet.rows)
    repeated = [r for r in tables[0].rows if r.index >= len(sheet.rows) // 2 and r.kind == "ignored"]
    assert {r.reason for r in repeated} >= {"header", "title"}
