"""Find the input files: every table file under the given paths, and why every other entry is skipped.

Every entry under an inputs folder is accounted for: a table file is read; anything else (a link, a
FIFO, a socket, an unreadable folder, a folder named like a table, the run's own outputs folder) is
listed as skipped with its reason. Links are never followed: a link out of the folder could open any
file on the machine, and a link inside it would read a file twice. A FIFO is never opened (opening one
blocks until someone writes to it). A name that is not valid UTF-8 (GBK bytes from a Windows archive
unzipped on Linux) is read under its real bytes and shown with backslash escapes.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from pipeline.model import InputFile

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
TABLE_SUFFIXES = WORKBOOK_SUFFIXES | TEXT_SUFFIXES
SPECIAL = {stat.S_IFIFO: "命名管道（FIFO）", stat.S_IFSOCK: "套接字（socket）", stat.S_IFCHR: "字符设备",
           stat.S_IFBLK: "块设备"}


@dataclass(frozen=True, slots=True)
class Candidate:
    path: Path      # where to read it (its real bytes, even when the name is not UTF-8)
    name: str       # how reports name it: relative to the inputs folder, with forward slashes, escaped


def display_name(name: str) -> str:
    """A file name as text that any writer can encode: undecodable bytes (which os.fsdecode turns into
    lone surrogates) become `\\xb9`-style escapes."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def discover(paths: list[Path], exclude: list[Path] = ()) -> tuple[list[Candidate], list[InputFile]]:
    """Walk files and folders (subfolders included) in a stable order, never following links.

    Returns the files to read and the entries skipped, each with its reason. Folders in `exclude`
    (the run's outputs folder) are listed as skipped, never read.
    """
    walk = _Walk([_identity(p) for p in exclude])
    for root in paths:
        if root.is_file():
            walk.file(root, display_name(root.name))
        elif root.exists() and not root.is_dir():
            kind = SPECIAL.get(stat.S_IFMT(root.stat().st_mode), "特殊文件")
            walk.skip(display_name(root.name), f"不是普通文件（{kind}），未打开，已跳过")
        else:
            walk.folder(root, "", os.path.realpath(root))
    return walk.candidates, walk.skipped


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


class _Walk:
    def __init__(self, excluded: list):
        self.excluded = {e for e in excluded if e is not None}
        self.candidates: list[Candidate] = []
        self.skipped: list[InputFile] = []

    def skip(self, name: str, reason: str) -> None:
        self.skipped.append(InputFile(name, None, "skipped", reason))

    def file(self, path: Path, name: str) -> None:
        reason = skip_reason(path, name)
        if reason:
            self.skip(name, reason)
        else:
            self.candidates.append(Candidate(path, name))

    def folder(self, folder: Path, prefix: str, root: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            self.skip(prefix.rstrip("/") or display_name(str(folder)),
                      f"文件夹无法打开（{exc.strerror or exc}），其中的文件未读取：请检查文件夹的读取权限后重新运行")
            return
        for entry in entries:
            self.entry(entry, prefix + display_name(entry.name), root)

    def entry(self, entry: os.DirEntry, name: str, root: str) -> None:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as exc:
            self.skip(name, f"无法查看（{exc.strerror or exc}），未读取")
            return
        if entry.name.startswith(".") and not stat.S_ISLNK(info.st_mode):
            self.skip(name, "隐藏文件夹，其中的文件未读取" if stat.S_ISDIR(info.st_mode) else "隐藏文件，已跳过")
        elif stat.S_ISLNK(info.st_mode):
            self.skip(name, link_reason(Path(entry.path), root))
        elif stat.S_ISDIR(info.st_mode):
            if (info.st_dev, info.st_ino) in self.excluded:
                self.skip(name, "这是本程序的输出文件夹（--outputs），其中的报告不作为输入读取，已跳过")
                return
            if Path(entry.name).suffix.lower() in TABLE_SUFFIXES:
                self.skip(name, f"这是文件夹，不是表格文件（名称以 {Path(entry.name).suffix} 结尾）；其中的文件已逐个列出")
            self.folder(Path(entry.path), name + "/", root)
        elif stat.S_ISREG(info.st_mode):
            self.file(Path(entry.path), name)
        else:
            kind = SPECIAL.get(stat.S_IFMT(info.st_mode), "特殊文件")
            self.skip(name, f"不是普通文件（{kind}），未打开，已跳过")


def link_reason(path: Path, root: str) -> str:
    """Why a symbolic link is skipped: links are never followed (see the module docstring)."""
    target = os.path.realpath(path)
    if not os.path.exists(target):
        return "是链接（快捷方式），指向的位置不存在，已跳过"
    inside = os.path.commonpath([root, target]) == root
    if not inside:
        return "是链接（快捷方式），指向输入文件夹之外，出于安全未打开，已跳过：如需读取，请把文件本身复制进输入文件夹"
    if os.path.isdir(target):
        return "是链接（快捷方式），指向输入文件夹内的另一个文件夹；链接不跟随，那里的文件按其本身位置读取，已跳过"
    where = display_name(os.path.relpath(target, root).replace(os.sep, "/"))
    return f"是链接（快捷方式），指向输入文件夹内的「{where}」；该文件按其本身位置读取，不重复计算，已跳过"


def skip_reason(path: Path, name: str) -> str | None:
    if path.name.startswith("~$"):
        return "Excel 打开文件时生成的临时文件（~$ 开头），不是部门报表，已跳过"
    if path.name.startswith("."):
        return "隐藏文件，已跳过"
    if path.suffix.lower() not in TABLE_SUFFIXES:
        return f"不是表格文件（扩展名 {display_name(path.suffix) or '无'}），只读取 .xlsx .xlsm .xls .ods .csv .tsv .txt，已跳过"
    return None
