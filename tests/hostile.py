"""Hostile files, built in code: a ZIP bomb, an XML entity bomb, an encrypted workbook, and the cheap
files that cost a reader a lot (issue 12): a far cell, rows merged out to XFD, sheets reaching row
1,048,576, an ODS row repeated a million times, a CSV of newlines, a sparse 20 GiB file, a DTD hidden
behind a long comment or in an upper-case part name.

Each `ATTACKS` entry builds its file from a good workbook (the bundled sample) in milliseconds and
says how the pipeline must answer: the finding code and words of the reason. benchmarks/hostile.py
and the soak test build the same files.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

CHUNK = 16 << 20


def zip_bomb(path: Path, inflated: int = 2 << 30) -> Path:
    """An .xlsx-named ZIP whose one sheet inflates to `inflated` bytes of zeros (2 GB: ~2 MB on disk).

    The deflate stream is real (it does inflate to that size); it is built from one compressed 16 MB
    block repeated, so making it takes milliseconds. The CRC is not computed: the file must be
    refused from its directory alone, before anything is inflated.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b"\0" * CHUNK) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = inflated // CHUNK
    data = block * count + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    name = b"xl/worksheets/sheet1.xml"
    size = count * CHUNK
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, 0, len(data), size, len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, 0, len(data), size,
                          len(name), 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    path.write_bytes(local + data + central + end)
    return path


def with_entry_replaced(source: Path, target: Path, name: str, content: bytes, extra: dict | None = None) -> Path:
    """Copy a workbook, replacing one entry of its ZIP (and adding the `extra` entries)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, content if item.filename == name else old.read(item.filename))
        for extra_name, extra_content in (extra or {}).items():
            new.writestr(extra_name, extra_content)
    target.write_bytes(buffer.getvalue())
    return target


SHEET = "xl/worksheets/sheet1.xml"


def _sheet_of(good: Path) -> bytes:
    with zipfile.ZipFile(good) as archive:
        return archive.read(SHEET)


def _with_sheet(good: Path, target: Path, edit) -> Path:
    return with_entry_replaced(good, target, SHEET, edit(_sheet_of(good)))


def far_cell(good: Path, target: Path, cell: str = "XFD1048576") -> Path:
    """The sample plus one value at XFD1048576 (9 KB): calamine would allocate 512 GiB and abort."""
    row = "".join(ch for ch in cell if ch.isdigit())
    return _with_sheet(good, target, lambda xml: xml.replace(
        b"</sheetData>", f'<row r="{row}"><c r="{cell}"><v>1</v></c></row></sheetData>'.encode()))


def empty_far_cell(good: Path, target: Path) -> Path:
    """The sample plus an empty formatted cell at XFD1048576 and a dimension to match: a harmless file."""
    return _with_sheet(good, target, lambda xml: xml.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData>').replace(
        b'<dimension ref="A1:G15"/>', b'<dimension ref="A1:XFD1048576"/>'))


def merged_rows(good: Path, target: Path, rows: int = 1200) -> Path:
    """The sample with `rows` empty rows below it, each merged A:XFD, and a note under them (26 KB): the
    reader once filled every merged row out to column XFD (20 million cells). Department renamed 信访办."""
    def edit(xml: bytes) -> bytes:
        last = 16 + rows
        note = f'<row r="{last}"><c r="A{last}" t="inlineStr"><is><t>填表人：张三</t></is></c></row>'
        merges = "".join(f'<mergeCell ref="A{r}:XFD{r}"/>' for r in range(16, last))
        xml = xml.replace(b"</sheetData>", note.encode() + b"</sheetData>")
        return xml.replace(b'<mergeCells count="3">', f'<mergeCells count="{rows + 3}">{merges}'.encode())
    buffer = io.BytesIO()
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == SHEET:
                data = edit(data)
            elif item.filename == "xl/sharedStrings.xml":
                data = data.replace("信访局".encode(), "信访办".encode())
            new.writestr(item.filename, data)
    target.write_bytes(buffer.getvalue())
    return target


def overlapping_merges(good: Path, target: Path, count: int = 20_000) -> Path:
    """The sample's whole table merged over and over (A1:G15, `count` times): each range is filled again."""
    merges = ('<mergeCell ref="A1:G15"/>' * count).encode()
    return _with_sheet(good, target, lambda xml: xml.replace(b'<mergeCells count="3">', b'<mergeCells count="3">' + merges))


def far_sheets(target: Path, sheets: int = 20, cell: tuple[int, int] = (1_048_575, 9)) -> Path:
    """`sheets` sheets, each with one value at J1048576 (15 KB): ten million cells a sheet."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(target))
    for n in range(sheets):
        workbook.add_worksheet(f"Sheet{n + 1}").write_number(*cell, 1)
    workbook.close()
    return target


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">{rows}</table:table>
</office:spreadsheet></office:body></office:document-content>"""
ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"""


def ods_of(target: Path, rows: str) -> Path:
    """An .ods whose one table holds `rows` (table:table-row elements, as text)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        archive.writestr("content.xml", ODS_CONTENT.format(rows=rows))
    return target


def ods_repeated_row(target: Path, repeat: int = 1_048_576, cells: int = 7) -> Path:
    """An .ods with one row of `cells` values repeated `repeat` times (a few KB)."""
    cell = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
    return ods_of(target, f'<table:table-row table:number-rows-repeated="{repeat}">{cell * cells}</table:table-row>')


def newlines_csv(target: Path, size: int = 40_000_000) -> Path:
    """A .csv of `size` newlines (40 MB): forty million empty rows."""
    with target.open("wb") as out:
        for _ in range(size // CHUNK):
            out.write(b"\n" * CHUNK)
        out.write(b"\n" * (size % CHUNK))
    return target


def sparse(target: Path, size: int = 20 << 30) -> Path:
    """A sparse file of `size` bytes (20 GiB) that takes no disk: only `stat` can afford to measure it."""
    with target.open("wb") as out:
        out.truncate(size)
    return target


def dtd_after_comment(good: Path, target: Path, comment: int = 5000) -> Path:
    """The entity bomb behind a comment of `comment` bytes: a DTD past the first 4 KB."""
    head, _, rest = BILLION_LAUGHS.partition(b"\n")
    return with_entry_replaced(good, target, SHEET, head + b"<!--" + b"x" * comment + b"-->\n" + rest)


def dtd_in_upper_case_part(good: Path, target: Path) -> Path:
    """The entity bomb in an extra part named sheet2.XML."""
    return with_entry_replaced(good, target, SHEET, _sheet_of(good), {"xl/worksheets/sheet2.XML": BILLION_LAUGHS})


def long_prologue(good: Path, target: Path, size: int = 2 << 20) -> Path:
    """Two megabytes of comments (random text, so the ratio is plausible) before the sheet's root element."""
    import random

    head, _, rest = _sheet_of(good).partition(b"?>")
    padding = random.Random(12).randbytes(size // 2).hex().encode()
    return with_entry_replaced(good, target, SHEET, head + b"?><!--" + padding + b"-->" + rest)


# name -> (how to build it from the good workbook into a folder, expected status, code, words of the reason)
ATTACKS = {
    "far_cell.xlsx": (far_cell, "rejected", "unsafe_file", "XFD1048576"),
    "merged_rows.xlsx": (merged_rows, "ok", None, None),
    "overlapping_merges.xlsx": (overlapping_merges, "rejected", "unsafe_file", "合并单元格过多"),
    "far_sheets.xlsx": (lambda good, target: far_sheets(target), "rejected", "unsafe_file", "J1048576"),
    "repeated_row.ods": (lambda good, target: ods_repeated_row(target), "rejected", "unsafe_file", "1,048,576 行"),
    "newlines.csv": (lambda good, target: newlines_csv(target), "rejected", "unsafe_file", "40,000,001 行"),
    "sparse.xlsx": (lambda good, target: sparse(target), "rejected", "unsafe_file", "20,480 MB"),
    "comment_dtd.xlsx": (dtd_after_comment, "rejected", "unsafe_file", "DTD"),
    "upper_dtd.xlsx": (dtd_in_upper_case_part, "rejected", "unsafe_file", "sheet2.XML"),
    "long_prologue.xlsx": (long_prologue, "rejected", "unsafe_file", "1 MB"),
}


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">
<c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>"""


def entity_bomb(good_xlsx: Path, target: Path) -> Path:
    return with_entry_replaced(good_xlsx, target, "xl/worksheets/sheet1.xml", BILLION_LAUGHS)


def encrypted(good_xlsx: Path, target: Path, password: str = "secret") -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with good_xlsx.open("rb") as plain, target.open("wb") as out:
        OOXMLFile(plain).encrypt(password, out)
    return target
