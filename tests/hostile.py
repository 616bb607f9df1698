"""Hostile files, built in code: a ZIP bomb, an XML entity bomb, an encrypted workbook."""

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


def with_entry_replaced(source: Path, target: Path, name: str, content: bytes) -> Path:
    """Copy a workbook, replacing one entry of its ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, content if item.filename == name else old.read(item.filename))
    target.write_bytes(buffer.getvalue())
    return target


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
