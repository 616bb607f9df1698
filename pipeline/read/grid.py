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


# the byte scan's view of a worksheet: `<c r="B7" ...>` as Excel, LibreOffice, WPS and the libraries write it
_CELL = re.compile(rb'<c r="([A-Za-z]{1,8})(\d{1,12})"[^>]*?(/?)>(\s*</)?')
# a cell tag of another form: attribute-less (`<c>`, `<c\n r=…`), or prefixed (`<x:c `), looked for only
# where `:c` occurs (each pattern then starts with a literal the regex engine finds in C)
_BARE_CELL = re.compile(rb"<c[\t\r\n/>]")
_PREFIXED_CELL = re.compile(rb"<[\w.\-]+:c[\s/>]")
_MERGE = re.compile(rb"""<(?:[\w.\-]+:)?mergeCell\s(?:[^>]*?\s)?ref\s*=\s*["']([^"']*)["']""")
FAST_CHUNK = 1 << 20


class _Unsound(Exception):
    """The byte scan cannot vouch for this part (a cell without a plain `r`): measure it with expat."""


class _FastWorksheet:
    """The worksheet measured from its bytes, a megabyte at a time, by one regex pass in C.

    Sound only when every cell start tag is `<c r="B7" ...>`: when a buffer holds another form (a
    prefix, no `r`, `r` not first, a reference the pattern does not take), the count of `<c ` differs
    from the cells matched, `_Unsound` is raised, and the part is measured by expat. A cell has
    content unless its tag is self-closing or followed at once by its end tag; each buffer is cut
    just before a start tag, so that test never looks past a cut.
    """

    def __init__(self, part: str):
        self.extent = Extent(part)
        self.carry = b""

    def feed(self, data: bytes, final: bool = False) -> None:
        data = self.carry + data
        cut = len(data) if final else _last_start_tag(data)
        region, self.carry = data[:cut], data[cut:]
        if len(self.carry) > 4 * FAST_CHUNK:
            raise _Unsound          # megabytes without a tag (one huge text): expat streams those
        cells = _CELL.findall(region)
        if len(cells) != region.count(b"<c ") or _other_cell(region):
            raise _Unsound
        filled = [(letters, digits) for letters, digits, closed, ended in cells if not closed and not ended]
        e = self.extent
        if filled:
            letters, digits = zip(*filled)
            e.rows = max(e.rows, max(map(int, digits)))
            # the widest column: more letters, else later in the alphabet (what parse_ref counts)
            widest = max({c.upper() for c in letters}, key=lambda c: (len(c), c))
            e.cols = max(e.cols, parse_ref(widest.decode() + "1")[1])
        for ref in _merges(region):
            merge = parse_range(ref.decode("latin-1"))
            if merge:
                e.add_merge(*merge)


def _other_cell(region: bytes) -> bool:
    return bool(_BARE_CELL.search(region)) or (b":c" in region and bool(_PREFIXED_CELL.search(region)))


def _merges(region: bytes) -> list[bytes]:
    """The refs of the mergeCell tags in `region`, searched from the tag holding the first `mergeCell`
    (a prefix holds no `<`), so the thousands of cell tags before it are not tried one by one."""
    at = region.find(b"mergeCell")
    return [] if at < 0 else _MERGE.findall(region, max(region.rfind(b"<", 0, at), 0))


def _last_start_tag(data: bytes) -> int:
    """Where the last start tag whose name is in `data` begins (0 if none)."""
    end = len(data) - 1
    while True:
        at = data.rfind(b"<", 0, end)
        if at < 0:
            return 0
        if data[at + 1:at + 2] not in (b"/", b"!", b"?", b""):
            return at
        end = at


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

    A worksheet's body is measured by `_FastWorksheet` unless `exact`; `NeedsExact` says the byte scan
    could not vouch for it (the caller scans the part again, exactly). A part expat cannot parse is
    left to the reader, which will report it (after a byte scan of what was read for a DTD); so is a
    sheet that turns malformed half-way, whose measure stops there.
    """
    head = stream.read(HEAD)
    plain = _PLAIN_PROLOGUE.match(head)       # nothing but a declaration before the root: no DTD can hide
    if plain and plain[2] != b"document-content":
        if plain[2] != b"worksheet":
            return []
        if not exact:
            return _fast(stream, part, head[plain.start(1):])
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
                return _fast(stream, self.part, bytes(self.seen[handover.offset:]))
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


class NeedsExact(Exception):
    """The worksheet must be measured again with `scan_part(..., exact=True)`."""


def _fast(stream: BinaryIO, part: str, start: bytes) -> list[Extent]:
    scanner = _FastWorksheet(part)
    try:
        data = start + stream.read(FAST_CHUNK)      # a sheet of a few KB is measured in one pass
        while more := stream.read(FAST_CHUNK):
            scanner.feed(data)
            data = more
        scanner.feed(data, final=True)
    except _Unsound:
        raise NeedsExact from None
    return [scanner.extent]
