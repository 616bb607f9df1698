"""The ".xls" that is an HTML page (read/html_table.py): spans as merged cells, tables stacked, encodings, limits."""

import pytest

from exports import html_bytes, write
from pipeline.read.html_table import read_html
from pipeline.read.sheets import ReadError


def test_two_tables_are_stacked_with_a_blank_row_between():
    page = (b"<html><body><table><tr><td>\xe6\xa0\x87\xe9\xa2\x98</td></tr></table><p>x</p>"
            b"<table><tr><th>a</th><td>1</td></tr></table></body></html>")
    (sheet,) = read_html(page, None)
    assert sheet.rows == [["标题", ""], ["", ""], ["a", "1"]]


def test_a_gbk_page_is_read_by_its_meta_charset():
    data = html_bytes([["信访局", "308.00"]], encoding="gbk", meta=True)
    (sheet,) = read_html(data, None)
    assert sheet.rows == [["信访局", "308.00"]]


@pytest.mark.parametrize("page, said", [(b"<html><body><p>no table</p></body></html>", "没有表格"),
                                        (b"<table>" + b"<td>x</td>" * 1_000_001 + b"</table>", "疑似异常文件")])
def test_a_page_without_a_table_or_with_too_many_cells_is_refused(page, said):
    with pytest.raises(ReadError) as caught:
        read_html(page, "utf-8")
    assert said in str(caught.value)


def test_html_rowspan_and_colspan_fill_the_covered_cells_like_merged_cells(tmp_path):
    from pipeline.read.sheets import read_sheets

    rows = [["标题", "", ""], ["甲", "1", "x<y & z"], ["", "2", "第一行\n第二行"]]
    path = write(tmp_path / "t.xls", html_bytes(rows, merges=[(0, 0, 0, 2), (1, 0, 2, 0)]))
    (sheet,) = read_sheets(path)
    assert sheet.rows == [["标题", "标题", "标题"], ["甲", "1", "x<y & z"], ["甲", "2", "第一行\n第二行"]]
    assert sheet.merged_from == {(0, 1): (0, 0), (0, 2): (0, 0), (2, 0): (1, 0)}
