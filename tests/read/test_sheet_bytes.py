"""The byte scan measures a worksheet written the usual way, and says when it cannot vouch for one."""

import io

import pytest

from pipeline.read.sheet_bytes import FAST_CHUNK, NeedsExact, measure_bytes


def measured(body: bytes, start: bytes = b""):
    (extent,) = measure_bytes(io.BytesIO(body), "sheet1.xml", start)
    return extent.rows, extent.cols, extent.merged


def test_cells_with_content_count_and_empty_formatted_ones_do_not():
    body = (b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="AB1" s="3"/><c r="Z1" s="2"> </c></row>'
            b'<row r="40"><c r="c40"><f>1+1</f></c></row></sheetData></worksheet>')
    assert measured(body) == (40, 3, 0)                  # AB1 and Z1 are formatting only; c40 is column C


def test_the_widest_column_is_the_one_with_most_letters_then_the_last_in_the_alphabet():
    body = b'<c r="Z2"><v>1</v></c><c r="AA1"><v>1</v></c><c r="Y9"><v>1</v></c>'
    assert measured(body) == (9, 27, 0)


def test_merged_ranges_are_counted_after_a_text_naming_them():
    body = (b'<c r="A1" t="inlineStr"><is><t>mergeCell</t></is></c><c r="C2"><v>1</v></c>'
            b'<mergeCells><mergeCell ref="A1:C1"/><x:mergeCell ref="A2:B2"/></mergeCells>')
    assert measured(body) == (2, 3, 2 + 1)


def test_the_start_given_and_the_stream_are_one_body():
    assert measured(b'<v>1</v></c><c r="B3"><v>2</v></c>', start=b'<c r="D1">') == (3, 4, 0)


@pytest.mark.parametrize("body", [
    b'<c r="A1"><v>1</v></c><x:c r="XFD1048576"><x:v>1</x:v></x:c>',      # a prefixed cell
    b'<c><v>1</v></c>',                                                    # no reference
    b'<c\n r="A1"><v>1</v></c>',                                           # the reference on the next line
    b"<c s='1' r='A1'><v>1</v></c>",                                       # r not first, single quotes
])
def test_any_other_form_of_cell_tag_needs_the_exact_measure(body):
    with pytest.raises(NeedsExact):
        measure_bytes(io.BytesIO(body), "sheet1.xml", b"")


def test_megabytes_without_a_tag_need_the_exact_measure():
    body = b'<c r="A1" t="inlineStr"><is><t>' + b"x" * (5 * FAST_CHUNK) + b"</t></is></c>"
    with pytest.raises(NeedsExact):
        measure_bytes(io.BytesIO(body), "sheet1.xml", b"")
