"""A sheet's extent measured from its XML (read/grid.py), before a reader builds it: content, not formatting."""

import io
import re
import zipfile

import pytest

from hostile import ods_of
from pipeline.read.grid import scan_part
from pipeline.read.sheet_bytes import NeedsExact


SHEETS = {   # worksheet XML -> (rows, cols, merged) of the grid a reader builds
    "formatting only at XFD1048576":
        (b'<worksheet><dimension ref="A1:XFD1048576"/><sheetData><row r="2"><c r="B2" t="s"><v>0</v></c>'
         b'<c r="C2" s="1"></c><c r="H2" s="1"/></row><row r="3"><c r="C3"><is><t>x</t></is></c></row>'
         b'<row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData><mergeCells><mergeCell ref="A1:XFD1"/>'
         b'<mergeCell ref="Z9:Z10"/></mergeCells><extLst><ext><xm:f>Sheet1!A1</xm:f></ext></extLst></worksheet>',
         (3, 3, 2 + 1)),         # A1:C1 inside the grid fills 2 cells; Z9:Z10 outside counts 1
    "cells without r, a comment and a PI":
        (b'<?xml version="1.0"?><!-- a comment --><?pi x?><worksheet><sheetData><row r="2"><c t="s"><v>0</v></c>'
         b'<c><v>1</v></c><c s="1"/></row><row><c><f>A1</f></c></row></sheetData></worksheet>', (3, 2, 0)),
    "a prefixed worksheet with the far cell":
        (b'<x:worksheet xmlns:x="urn:x"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
         b'<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>',
         (1_048_576, 16_384, 0)),
    "mergeCell named in a cell's text before the ranges":
        (b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>see mergeCell ref="A1:Z99"</t></is></c>'
         b'</row><row r="2"><c r="C2"><v>1</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:C1"/>'
         b'</mergeCells></worksheet>', (2, 3, 2)),
    "a cell tag broken over lines":
        (b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c><c\n r="D7"><v>1</v></c></row></sheetData>'
         b'</worksheet>', (7, 4, 0)),
}


@pytest.mark.parametrize("name", SHEETS)
def test_a_sheet_is_measured_by_its_content_not_its_formatting(name):
    xml, expected = SHEETS[name]
    (exact,) = scan_part(io.BytesIO(xml), "sheet1.xml", exact=True)
    assert (exact.rows, exact.cols, exact.merged) == expected
    try:
        (fast,) = scan_part(io.BytesIO(xml), "sheet1.xml")
    except NeedsExact:
        assert re.search(rb"<c[\t\r\n/>]|:c[\s/>]", xml)  # the byte scan vouches only for <c r="...">
    else:
        assert fast == exact


def test_the_byte_scan_agrees_with_expat_across_its_buffer_cuts():
    cells = "".join(f'<c r="B{r}" s="1"/><c r="C{r}" s="1"></c><c r="{"D" if r % 7 else "AB"}{r}"><v>{r}</v></c>'
                    for r in range(1, 60_000))
    xml = f'<worksheet><sheetData>{cells}<c r="Q70000" s="2"/></sheetData></worksheet>'.encode()
    assert len(xml) > 3 << 20                                # several megabyte buffers
    (fast,), (exact,) = scan_part(io.BytesIO(xml), "s"), scan_part(io.BytesIO(xml), "s", exact=True)
    assert fast == exact and (fast.rows, fast.cols) == (59_999, 28)


def test_an_ods_is_measured_with_its_repeats_but_not_its_blank_tail(tmp_path):
    cell = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
    blank = '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    rows = (f'<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="2"/>'
            f'{cell}<table:table-cell table:number-columns-repeated="4">'
            f'<text:p>y</text:p></table:table-cell></table:table-row>{blank}')
    path = ods_of(tmp_path / "t.ods", rows)
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
        (extent,) = scan_part(stream, "content.xml")
    assert (extent.sheet, extent.rows, extent.cols) == ("Sheet1", 3, 7)
