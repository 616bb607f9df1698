"""Turn hostile files away before any reader opens them, at the cost of a directory listing.

A workbook that is a ZIP (.xlsx .xlsm .ods) declares every entry's size in its central directory:
we refuse one that would inflate past a limit, whose compression ratio is implausible, or whose XML
carries a DTD (the root of entity-expansion bombs), whatever the file's extension. Everything here
reads at most a few kilobytes per entry, so a 2 GB bomb costs nothing.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.read.sheets import ReadError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MB = 1024 * 1024
XML_PROLOGUE_BYTES = 4096     # a DOCTYPE must precede the root element, so it sits at the very start
RATIO_FLOOR = 1 * MB          # only entries this large can be bombs worth refusing on their ratio


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_mb: float = 100
    max_uncompressed_mb: float = 200
    max_ratio: float = 100

    @classmethod
    def from_table(cls, table: dict) -> "Limits":
        """The `[limits]` section of pipeline.toml."""
        known = {"max_file_mb", "max_uncompressed_mb", "max_ratio"}
        unknown = set(table) - known
        if unknown:
            raise ValueError(f"[limits] 中有未知的设置：{'、'.join(sorted(unknown))}（可用：{'、'.join(sorted(known))}）")
        for key, value in table.items():
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"[limits] {key} 应为正数，现为 {value!r}")
        return cls(**table)


def limits_of(settings) -> Limits:
    """The checked `[limits]` section of the settings (defaults when absent); a bad one is a usage error."""
    from collections.abc import Mapping

    from pipeline.errors import UsageError

    section = settings.raw.get("limits", {})
    where = f"设置文件 {settings.file or 'pipeline.toml'}"
    if not isinstance(section, Mapping):
        raise UsageError(f"{where}：limits 应为一节（[limits]），不是单个值。")
    try:
        return Limits.from_table(dict(section))
    except ValueError as exc:
        raise UsageError(f"{where}：{exc}。请参阅 docs/settings.md 的 [limits] 一节。") from None


def unsafe(message: str) -> ReadError:
    return ReadError(message, code="unsafe_file")


def check_file(path: Path, limits: Limits) -> None:
    """Raise ReadError (code unsafe_file or encrypted_file) when the file must not be parsed."""
    size = path.stat().st_size
    if size > limits.max_file_mb * MB:
        raise unsafe(f"文件大小 {size / MB:.0f} MB，超过上限 {limits.max_file_mb:g} MB，未读取。"
                     f"请确认文件是否正确，必要时拆分后再放入")
    with path.open("rb") as handle:
        magic = handle.read(8)
    # by content, not extension: a renamed workbook is read by what it is (read/sniff.py), so guarded too
    if magic.startswith(ZIP_MAGIC):
        check_zip(path, limits)


def check_zip(path: Path, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a readable ZIP: the reader will reject it with the usual message
    with archive:
        entries = archive.infolist()
        declared = sum(e.file_size for e in entries)
        if declared > limits.max_uncompressed_mb * MB:
            raise unsafe(f"解压后共 {declared / MB:.0f} MB，超过上限 {limits.max_uncompressed_mb:g} MB，"
                         f"疑似压缩炸弹，未读取。请确认来源，或让报送部门重新导出")
        for entry in entries:
            if entry.file_size >= RATIO_FLOOR and entry.compress_size and \
                    entry.file_size / entry.compress_size > limits.max_ratio:
                raise unsafe(f"内部文件 {entry.filename} 的压缩比 {entry.file_size / entry.compress_size:.0f}:1 "
                             f"不合常理（上限 {limits.max_ratio:g}:1），疑似压缩炸弹，未读取。请确认来源")
        for entry in entries:
            if entry.filename.endswith((".xml", ".rels", ".vml")) and _has_dtd(archive, entry):
                raise unsafe(f"内部文件 {entry.filename} 含有 DTD/实体声明（可用于 XML 炸弹），未读取。"
                             f"请用 Excel 另存为新的 .xlsx 后再放入")


def _has_dtd(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    try:
        with archive.open(entry) as stream:
            head = stream.read(XML_PROLOGUE_BYTES)
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError, ValueError):
        return False  # unreadable entry: the reader reports the broken file
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head
