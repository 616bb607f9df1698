"""Measure the grid a reader would build, by streaming a workbook's XML before any reader runs.

calamine builds each sheet as a rectangle from A1 to the last row and the last column that hold a
value (`to_python(skip_empty_area=False)`), and `read_workbook` fills every merged range inside that
rectangle; so the cost of reading a sheet follows from the last row and column with content and from
the merged ranges. A streaming parse (expat, fed 64 KB at a time) finds them in a few MB whatever the
part's size. Empty formatted cells (`<c r="XFD1048576" s="1"/>`, LibreOffice's trailing
`number-rows-repeated` blank rows) hold no value, calamine skips them, and they count for nothing here.
The `<dimension ref>` is not used: calamine ignores it, and a writer may state anything in it.

`scan_part` also reads every XML part's prologue up to the root element: a DTD anywhere before it
(after comments or processing instructions of any length) refuses the file, and a prologue longer
than `MAX_PROLOGUE` is refused as absurd.
"""

from __future__ import annotations

import re
from typing import BinaryIO
from xml.parsers import expat

from pipeline.read.extent import Extent, capped_number, local, parse_range, parse_ref
from pipeline.read.sheet_bytes import measure_bytes

CHUNK = 64 * 1024
HEAD = 4096                  # what is inflated of a part to judge its prologue: its first compressed block
UTF16_START = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")
MAX_PROLOGUE = 1 << 20       # real prologues are a hundred bytes; a megabyte of comments is an attack


class XmlRefused(Exception):
    """The part must not be given to a reader; the message is the Chinese reason."""


class _WorksheetGrid:
    """An xlsx worksheet part: the last row and column of cells with a value, then its mergeCells."""

    def __init__(self, sheet: str):
        self.extent = Extent(sheet)
        self.row = 0            # the current <row>, 1-based
        self.col = 0            # the column of the current <c>
        self.counted = True     # the current cell is counted already (or there is none)

    def start(self, name: str, attrs: dict) -> None:
        name = local(name)
        if name == "c":
            where = parse_ref(attrs.get("r", ""))
            if where:
                self.row, self.col = where
            else:
                self.col += 1
            self.counted = False
        elif name in ("v", "is", "f"):
            if not self.counted:     # a value, an inline string or a formula: the cell has content
                self.counted = True
                e = self.extent
                e.rows, e.cols = max(e.rows, self.row), max(e.cols, self.col)
        else:
            self.counted = True      # anything else ends the cell (an <xm:f> in extLst is no cell's formula)
            if name == "row":
                r = attrs.get("r", "")
                self.row = capped_number(r) if r.isdigit() else self.row + 1
                self.col = 0
            elif name == "mergeCell":
                merge = parse_range(attrs.get("ref", ""))
                if merge:
                    self.extent.add_merge(*merge)

    def end(self, name: str) -> None:
        return None


def _repeat(attrs: dict, key: str) -> int:
    value = next((v for k, v in attrs.items() if local(k) == key), "1")
    return max(capped_number(value), 1) if value.isdigit() else 1


class _OdsGrid:
    """An ODS content.xml: every table:table, with rows and cells expanded by their repeat counts.

    A cell has content when it declares an office:value-type or holds any element (text:p); the
    repeated blank rows and cells LibreOffice writes up to row 1,048,576 have neither.
    """

    def __init__(self):
        self.extents: list[Extent] = []
        self.row = self.row_span = 0      # the current row and how many times it repeats
        self.col = self.col_span = 0      # the current cell's first column and its repeat count
        self.row_filled = False
        self.in_cell = False

    def start(self, name: str, attrs: dict) -> None:
        name = local(name)
        if name in ("table-cell", "covered-table-cell"):
            self.col += self.col_span
            self.col_span = _repeat(attrs, "number-columns-repeated")
            self.in_cell = name == "table-cell"
            if self.in_cell and any(local(k) == "value-type" for k in attrs):
                self._filled()
        elif name == "table-row":
            self.row += self.row_span
            self.row_span = _repeat(attrs, "number-rows-repeated")
            self.col, self.col_span, self.in_cell, self.row_filled = 1, 0, False, False
        elif name == "table":
            sheet = next((v for k, v in attrs.items() if local(k) == "name"), "")
            self.extents.append(Extent(sheet))
            self.row, self.row_span, self.in_cell, self.row_filled = 1, 0, False, False
        elif self.in_cell:
            self._filled()                # text:p, or anything else a cell holds

    def end(self, name: str) -> None:
        name = local(name)
        if name == "table-cell":
            self.in_cell = False
        elif name == "table-row" and self.row_filled and self.extents:
            e = self.extents[-1]
            e.rows = max(e.rows, self.row + self.row_span - 1)

    def _filled(self) -> None:
        self.row_filled = True
        if self.extents:
            e = self.extents[-1]
            e.cols = max(e.cols, self.col + self.col_span - 1)


class _Handover(Exception):
    """The root is a worksheet: the byte scan takes over at `offset`."""

    def __init__(self, offset: int):
        self.offset = offset


class _NotASheet(Exception):
    """The root element is known and holds no grid: the rest of the part is not read."""


def _has_dtd(head: bytes) -> bool:
    lowered = head.replace(b"\x00", b"").lower()      # UTF-16 too
    return b"<!doctype" in lowered or b"<!entity" in lowered


_PLAIN_PROLOGUE = re.compile(rb"(?:\xef\xbb\xbf)?(?:<\?xml\s[^<>]*\?>)?\s*(<)(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s/>]")


def scan_part(stream: BinaryIO, part: str, exact: bool = False) -> list[Extent]:
    """The grids of one XML part (none for a part that is not a sheet); XmlRefused for a DTD.

    An xlsx worksheet's extent is named by its part (the caller knows the sheet's name); an ODS
    content.xml gives one extent per table:table, named by table:name.

    A worksheet's body is measured from its bytes (sheet_bytes.py) unless `exact`; `NeedsExact` says
    the byte scan could not vouch for it (the caller scans the part again, exactly). A part expat
    cannot parse is left to the reader, which will report it (after a byte scan of what was read for
    a DTD); so is a sheet that turns malformed half-way, whose measure stops there.
    """
    head = stream.read(HEAD)
    plain = _PLAIN_PROLOGUE.match(head)       # nothing but a declaration before the root: no DTD can hide
    if plain and plain[2] != b"document-content":
        if plain[2] != b"worksheet":
            return []
        if not exact:
            return measure_bytes(stream, part, head[plain.start(1):])
    return _ExpatScan(part, exact).run(stream, head)


class _ExpatScan:
    """A part streamed through expat: its prologue up to the root element (a DTD refuses the part), then
    the grid of a worksheet or an ODS content.xml; any other root ends the scan."""

    def __init__(self, part: str, exact: bool):
        self.part, self.exact = part, exact
        self.parser = parser = expat.ParserCreate()
        self.seen = bytearray()     # the part up to its root element, for the byte scan and the DTD fallback
        self.extents: list[Extent] | None = None        # set at the root of a sheet
        parser.StartDoctypeDeclHandler = self.refuse_dtd
        parser.EntityDeclHandler = self.refuse_dtd
        parser.StartElementHandler = self.root
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_dtd(self, *_args) -> None:
        raise XmlRefused(f"内部文件 {self.part} 含有 DTD/实体声明（可用于 XML 炸弹），未读取。"
                         f"请用 Excel 另存为新的 .xlsx 后再放入")

    def root(self, name: str, attrs: dict) -> None:
        kind = local(name)
        if kind == "worksheet" and not self.exact and not self.seen.startswith(UTF16_START):
            raise _Handover(self.parser.CurrentByteIndex)
        if kind == "worksheet":
            grid = _WorksheetGrid(self.part)
            self.extents = [grid.extent]
        elif kind == "document-content":
            grid = _OdsGrid()
            self.extents = grid.extents
            self.parser.EndElementHandler = grid.end
        else:
            raise _NotASheet
        self.parser.StartElementHandler = grid.start

    def run(self, stream: BinaryIO, head: bytes) -> list[Extent]:
        chunk = head
        while True:
            if self.extents is None:
                self.seen += chunk
            try:
                self.parser.Parse(chunk, not chunk)
            except _NotASheet:
                return []
            except _Handover as handover:
                return measure_bytes(stream, self.part, bytes(self.seen[handover.offset:]))
            except expat.ExpatError:
                if self.extents is None and _has_dtd(bytes(self.seen)):
                    self.refuse_dtd()
                break
            if not chunk:
                break
            if self.extents is None and len(self.seen) > MAX_PROLOGUE:
                raise XmlRefused(f"内部文件 {self.part} 在根元素之前有超过 {MAX_PROLOGUE >> 20} MB 的注释或声明，"
                                 f"不合常理，未读取。请用 Excel 另存为新的 .xlsx 后再放入")
            chunk = stream.read(CHUNK)
        return self.extents or []
