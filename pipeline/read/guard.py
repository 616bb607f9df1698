"""Turn hostile files away before any reader opens them, at the cost of a stat and a streaming scan.

In this order, each step cheaper than the next: the size from `stat` (before a byte is read or hashed;
a link is measured by its target); for a ZIP (whatever the file's name says) the central
directory, refusing an entry that would inflate past a limit or whose compression ratio is
implausible; then every XML part, streamed up to its root element (a DTD, the root of entity-expansion
bombs, refuses the file, however long the prologue of comments before it) and, for sheets, through to
the end to measure the grid a reader would build (grid.py). A text file's rows and cells are counted
from its line breaks and separators.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path
from xml.parsers import expat

from pipeline.read.extent import Extent, local
from pipeline.read.grid import XmlRefused, scan_part
from pipeline.read.sheet_bytes import NeedsExact
from pipeline.settings import Limits
from pipeline.read.sheets import ReadError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MB = 1024 * 1024
RATIO_FLOOR = 1 * MB          # only entries this large can be bombs worth refusing on their ratio
TEXT_CHUNK = 1 * MB
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def unsafe(message: str) -> ReadError:
    return ReadError(message, code="unsafe_file")


def check_stat(status: os.stat_result, limits: Limits) -> None:
    """Refuse from `stat` alone: something that is not a regular file, or a file over the size limit."""
    if not stat.S_ISREG(status.st_mode):
        raise ReadError("不是普通文件（可能是设备、管道或文件夹），未读取", code="unreadable_file")
    size = status.st_size
    if size > limits.max_file_mb * MB:
        raise unsafe(f"文件大小 {size / MB:,.0f} MB，超过上限 {limits.max_file_mb:g} MB，未读取。"
                     f"请确认文件是否正确，必要时拆分后再放入")


def check_file(path: Path, limits: Limits) -> None:
    """Raise ReadError (code unsafe_file) when the file must not be parsed."""
    check_stat(path.stat(), limits)
    with path.open("rb") as handle:
        magic = handle.read(8)
    # by content, not extension: a renamed workbook is read by what it is (read/sniff.py), so guarded too
    if magic.startswith(ZIP_MAGIC):
        check_zip(path, limits)
    elif magic != OLE_MAGIC:  # a BIFF .xls holds at most 65,536 × 256 cells; its reading process bounds it
        check_text(path, limits)


def check_zip(path: Path, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a readable ZIP: the reader will reject it with the usual message
    with archive:
        entries = [e for e in archive.infolist() if not e.is_dir()]
        declared = sum(e.file_size for e in entries)
        if declared > limits.max_uncompressed_mb * MB:
            raise unsafe(f"解压后共 {declared / MB:.0f} MB，超过上限 {limits.max_uncompressed_mb:g} MB，"
                         f"疑似压缩炸弹，未读取。请确认来源，或让报送部门重新导出")
        for entry in entries:
            if entry.file_size >= RATIO_FLOOR and entry.compress_size and \
                    entry.file_size / entry.compress_size > limits.max_ratio:
                raise unsafe(f"内部文件 {entry.filename} 的压缩比 {entry.file_size / entry.compress_size:.0f}:1 "
                             f"不合常理（上限 {limits.max_ratio:g}:1），疑似压缩炸弹，未读取。请确认来源")
        extents = [extent for entry in entries for extent in _scan_entry(archive, entry)]
        try:
            check_extents(extents, limits)
        except ReadError:                 # name the sheets as Excel shows them, then refuse
            names = sheet_names(archive)
            for extent in extents:
                extent.sheet = names.get(extent.sheet, extent.sheet)
            check_extents(extents, limits)


def _scan_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> list[Extent]:
    """Every entry whose bytes begin like XML is scanned, whatever its name (`sheet1.XML`, `.rels`, `.vml`)."""
    try:
        with archive.open(entry) as stream:
            if not _looks_like_xml(stream.peek(64)[:64]):
                return []
            try:
                return scan_part(stream, entry.filename)
            except NeedsExact:
                pass
        with archive.open(entry) as stream:
            return scan_part(stream, entry.filename, exact=True)
    except XmlRefused as exc:
        raise unsafe(str(exc)) from None
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError, ValueError):
        return []  # an unreadable entry: the reader reports the broken file


def _looks_like_xml(head: bytes) -> bool:
    if head.startswith(UTF16_BOMS):
        return True
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    return head.startswith((b"<", b"\x00<"))


def sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """xlsx part name -> the sheet name Excel shows, from xl/workbook.xml and its relationships."""
    ids: dict[str, str] = {}
    targets: dict[str, str] = {}

    def sheet(name: str, attrs: dict) -> None:
        if local(name) == "sheet":
            rid = next((v for k, v in attrs.items() if local(k) == "id"), None)
            if rid:
                ids[rid] = attrs.get("name", "")

    def relationship(name: str, attrs: dict) -> None:
        if local(name) == "Relationship" and "Id" in attrs:
            target = attrs.get("Target", "")
            targets[attrs["Id"]] = target[1:] if target.startswith("/") else f"xl/{target}"

    for part, handler in (("xl/workbook.xml", sheet), ("xl/_rels/workbook.xml.rels", relationship)):
        _parse_small(archive, part, handler)
    return {targets[rid]: name for rid, name in ids.items() if rid in targets}


def _parse_small(archive: zipfile.ZipFile, part: str, handler) -> None:
    """Parse a directory part of a few KB, after every part was scanned for a DTD; any fault: skip it
    (the names only label the messages)."""
    try:
        info = archive.getinfo(part)
        if info.file_size > MB:
            return
        parser = expat.ParserCreate()
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartElementHandler = handler
        parser.Parse(archive.read(info), True)
    except (KeyError, zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError, ValueError,
            expat.ExpatError):
        return


def check_extents(extents: list[Extent], limits: Limits) -> None:
    """Refuse a workbook whose sheets together, or whose merged ranges, exceed the limits."""
    cells = sum(e.cells for e in extents)
    if cells > limits.max_cells:
        big = max(extents, key=lambda e: e.cells)
        others = f"，{len(extents)} 个工作表合计 {cells:,} 个" if len(extents) > 1 else ""
        raise unsafe(f"表格范围过大：工作表「{big.sheet}」有内容的区域从 A1 到 {big.corner}"
                     f"（{big.rows:,} 行 × {big.cols:,} 列，{big.cells:,} 个单元格{others}），"
                     f"超过上限 {limits.max_cells:,} 个单元格，未读取。请删除表格以外误填的内容"
                     f"（如最后一行或最后一列中的字符）后另存，再放入")
    merged = sum(e.merged for e in extents)
    if merged > limits.max_merged_cells:
        big = max(extents, key=lambda e: e.merged)
        raise unsafe(f"合并单元格过多：工作表「{big.sheet}」的合并区域共覆盖 {big.merged:,} 个单元格"
                     f"（全部工作表合计 {merged:,} 个），超过上限 {limits.max_merged_cells:,} 个，未读取。"
                     f"请取消不必要的合并（如整行、整列合并）后另存，再放入")


def check_text(path: Path, limits: Limits) -> None:
    """Bound a text table's rows (line breaks) and cells (line breaks plus separators) before it is parsed."""
    counts = dict.fromkeys((b"\n", b"\r", b",", b"\t", b";"), 0)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(TEXT_CHUNK), b""):
            for byte in counts:
                counts[byte] += chunk.count(byte)
    rows = max(counts[b"\n"], counts[b"\r"]) + 1
    cells = rows + max(counts[b","], counts[b"\t"], counts[b";"])
    if rows > limits.max_rows:
        raise unsafe(f"文本表格有 {rows:,} 行，超过上限 {limits.max_rows:,} 行，未读取。"
                     f"请删除多余的空行，或拆分后再放入")
    if cells > limits.max_cells:
        raise unsafe(f"文本表格约有 {cells:,} 个单元格，超过上限 {limits.max_cells:,} 个，未读取。"
                     f"请确认文件内容，或拆分后再放入")
