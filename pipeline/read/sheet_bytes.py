"""A worksheet measured from its bytes, a megabyte at a time, by regex passes in C.

Excel, LibreOffice, WPS and the libraries write every cell as `<c r="B7" ...>`; for such a sheet the
last row and column with content, and the merged ranges, follow from a few regex passes, without an
XML parser. For any other form the scan says so (`NeedsExact`) and `grid.scan_part` measures the
part with expat instead.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from pipeline.read.extent import Extent, parse_range, parse_ref

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


class NeedsExact(Exception):
    """The worksheet must be measured again with `scan_part(..., exact=True)`."""


def measure_bytes(stream: BinaryIO, part: str, start: bytes) -> list[Extent]:
    """The extent of a worksheet whose body begins with `start` and continues in `stream`;
    NeedsExact when the byte scan cannot vouch for it."""
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
