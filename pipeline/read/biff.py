"""Cached error values of formula cells in an .xls (BIFF8) workbook, which calamine reads as blank.

An .xls is an OLE compound file whose `Workbook` stream is a sequence of BIFF records. Each formula
cell is a FORMULA record carrying its last computed result: a number, or (marked 0xFFFF in the last
two bytes of the result) a string, a boolean, an error or an empty string. Calamine returns numbers,
strings and booleans; an error comes back blank, as if 0. This reads only what is needed to find
those errors: the compound file's allocation table and directory, the sheets' BOUNDSHEET records
and their FORMULA records. An empty-string result is not reported: Excel writes it for a formula
that yields "" (a blank amount, zero), and it cannot be told from a formula stored without a value.
Encrypted (FILEPASS) and pre-1997 (BIFF5) workbooks are left to the reader.
"""

from __future__ import annotations

import struct

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN, _FREE = 0xFFFFFFFE, 0xFFFFFFFF
_BOF, _EOF, _BOUNDSHEET, _FORMULA, _FILEPASS = 0x0809, 0x000A, 0x0085, 0x0006, 0x002F
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
          0x2A: "#N/A", 0x2B: "#GETTING_DATA"}


class BiffError(ValueError):
    """The compound file or its BIFF stream is not what it claims: left to the reader."""


def biff_errors(data: bytes, budget: int) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name -> {(row, col): the cached error} of an .xls file's bytes; at most `budget` cells."""
    stream = _workbook_stream(data)
    sheets = []            # (name, offset of the sheet's BOF)
    for kind, body, _ in _records(stream, 0):
        if kind == _FILEPASS:
            return {}
        if kind == _BOF and len(body) >= 2 and struct.unpack_from("<H", body)[0] != 0x0600:
            return {}      # BIFF5 or older
        if kind == _BOUNDSHEET and len(body) >= 8 and body[5] == 0:     # dt 0: a worksheet
            sheets.append((_sheet_name(body), struct.unpack_from("<I", body)[0]))
        if kind == _EOF:
            break
    found: dict[str, dict[tuple[int, int], str]] = {}
    for name, offset in sheets:
        cells: dict[tuple[int, int], str] = {}
        for kind, body, _ in _records(stream, offset):
            if kind == _EOF:
                break
            if kind == _FORMULA and len(body) >= 14 and body[12:14] == b"\xff\xff" and body[6] == 2 and budget > 0:
                row, col = struct.unpack_from("<HH", body)
                cells[(row, col)] = ERRORS.get(body[8], "#错误")
                budget -= 1
        if cells:
            found[name] = cells
    return found


def _records(stream: bytes, offset: int):
    while offset + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, offset)
        yield kind, stream[offset + 4:offset + 4 + size], offset
        offset += 4 + size


def _sheet_name(body: bytes) -> str:
    count, flags = body[6], body[7] if len(body) > 7 else 0
    raw = body[8:]
    return raw[:2 * count].decode("utf-16-le", "replace") if flags & 1 else raw[:count].decode("latin-1")


def _workbook_stream(data: bytes) -> bytes:
    if data[:8] != OLE_MAGIC or len(data) < 512:
        raise BiffError("not a compound file")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if shift not in (9, 12) or mini_shift != 6:
        raise BiffError("bad sector size")
    size = 1 << shift
    n_fat, first_dir, _, cutoff, _, _, first_difat, n_difat = struct.unpack_from("<8I", data, 0x2C)

    def sector(n: int) -> bytes:
        start = (n + 1) * size
        if start >= len(data):
            raise BiffError("sector out of range")
        return data[start:start + size]

    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    n = first_difat
    for _ in range(n_difat):
        entries = struct.unpack(f"<{size // 4}I", sector(n).ljust(size, b"\0"))
        fat_sectors.extend(entries[:-1])
        n = entries[-1]
    fat: list[int] = []
    for s in fat_sectors[:n_fat]:
        fat.extend(struct.unpack(f"<{size // 4}I", sector(s).ljust(size, b"\0")))

    def chain(start: int, table: list[int]) -> list[int]:
        out = []
        while start not in (_END_OF_CHAIN, _FREE) and start < len(table) and len(out) <= len(table):
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(sector(s) for s in chain(first_dir, fat))
    entries = {}
    for at in range(0, len(directory) - 127, 128):
        length = struct.unpack_from("<H", directory, at + 64)[0]
        name = directory[at:at + max(0, length - 2)].decode("utf-16-le", "replace")
        kind = directory[at + 66]
        start, stream_size = struct.unpack_from("<IQ", directory, at + 116)
        if kind == 2:                                   # a stream (v3 files: only the low 32 bits of its size)
            entries.setdefault(name, (start, stream_size & 0xFFFFFFFF))
    name = "Workbook" if "Workbook" in entries else "Book"
    if name not in entries:
        raise BiffError("no workbook stream")
    start, stream_size = entries[name]
    if stream_size < cutoff:      # a workbook stream in the mini stream: no real workbook is that small
        raise BiffError("workbook stream below the mini-stream cutoff")
    return b"".join(sector(s) for s in chain(start, fat))[:stream_size]
