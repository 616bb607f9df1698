"""Find the input files: every table file under the given paths, and why the others are skipped."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.model import InputFile

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
TABLE_SUFFIXES = WORKBOOK_SUFFIXES | TEXT_SUFFIXES


@dataclass(frozen=True, slots=True)
class Candidate:
    path: Path      # where to read it
    name: str       # how reports name it: relative to the inputs folder, with forward slashes


def discover(paths: list[Path]) -> tuple[list[Candidate], list[InputFile]]:
    """Walk files and folders (subfolders included) in a stable order.

    Returns the files to read and the files skipped, each skipped one with its reason.
    """
    candidates: list[Candidate] = []
    skipped: list[InputFile] = []
    for root in paths:
        if root.is_file():
            entries = [(root, root.name)]
        else:
            entries = [(p, p.relative_to(root).as_posix()) for p in sorted(root.rglob("*")) if p.is_file()]
        for path, name in entries:
            reason = skip_reason(path, name)
            if reason:
                skipped.append(InputFile(name, None, "skipped", reason))
            else:
                candidates.append(Candidate(path, name))
    return candidates, skipped


def skip_reason(path: Path, name: str) -> str | None:
    if path.name.startswith("~$"):
        return "Excel 打开文件时生成的临时文件（~$ 开头），不是部门报表，已跳过"
    if any(part.startswith(".") for part in name.split("/")):
        return "隐藏文件，已跳过"
    if path.suffix.lower() not in TABLE_SUFFIXES:
        return f"不是表格文件（扩展名 {path.suffix or '无'}），只读取 .xlsx .xlsm .xls .ods .csv .tsv .txt，已跳过"
    return None
