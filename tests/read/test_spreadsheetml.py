"""Excel 2003 XML (read/spreadsheetml.py): ss:Index gaps, merges filled, hidden sheets, a DOCTYPE refused."""

import pytest

from exports import spreadsheetml_bytes, write
from pipeline.read.sheets import ReadError
from pipeline.read.spreadsheetml import read_spreadsheetml


def test_every_worksheet_is_a_sheet_by_its_name():
    one = spreadsheetml_bytes([["甲", "1"]], sheet="表1")
    two = spreadsheetml_bytes([["乙", "2"]], sheet="表2")
    worksheet = two[two.index(b"<Worksheet"):two.index(b"</Worksheet>") + len(b"</Worksheet>")]
    both = one.replace(b"</Workbook>", worksheet + b"</Workbook>")
    assert [(s.name, s.rows) for s in read_spreadsheetml(both)] == [("表1", [["甲", "1"]]), ("表2", [["乙", "2"]])]


@pytest.mark.parametrize("damage, said", [(lambda d: d[:len(d) // 2], "XML 有误"),
                                          (lambda d: b'<!DOCTYPE x [<!ENTITY a "b">]>' + d, "DTD")])
def test_a_truncated_file_or_one_with_a_doctype_is_refused(damage, said):
    with pytest.raises(ReadError) as caught:
        read_spreadsheetml(damage(spreadsheetml_bytes([["甲", "1"]] * 20)))
    assert said in str(caught.value)


def test_spreadsheetml_index_and_merges(tmp_path):
    from pipeline.read.sheets import read_sheets

    rows = [["标题", "", ""], ["甲", "", "3.10"], ["", "乙", ""]]
    path = write(tmp_path / "t.xml.xls", spreadsheetml_bytes(rows, merges=[(0, 0, 0, 2), (1, 0, 2, 0)]))
    (sheet,) = read_sheets(path)
    assert sheet.name == "Sheet1"
    assert sheet.rows == [["标题", "标题", "标题"], ["甲", "", "3.10"], ["甲", "乙", ""]]
    assert sheet.merged_from == {(0, 1): (0, 0), (0, 2): (0, 0), (2, 0): (1, 0)}


def test_a_hidden_spreadsheetml_sheet_is_hidden(tmp_path):
    from pipeline.read.sheets import read_sheets

    data = spreadsheetml_bytes([["a"]]).replace(
        b"</Table>", b'</Table><WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel">'
                     b"<Visible>SheetHidden</Visible></WorksheetOptions>")
    (sheet,) = read_sheets(write(tmp_path / "h.xls", data))
    assert not sheet.visible
