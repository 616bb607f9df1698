"""Read a file into sheets of raw cell values, with merged cells filled from their top-left cell.

Workbooks (.xlsx .xlsm .xls .ods) go through python-calamine directly: it gives exact cell positions,
merged ranges and sheet visibility, and it is the fastest reader pandas knows. It gives a formula
without a stored value, or with a stored error, as a blank cell: `formulas.py` finds those cells. Text files are decoded
as UTF-8 (with or without BOM) or else GB18030, and split on tabs or commas.
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.read.discover import TEXT_SUFFIXES
from pipeline.read.formulas import formula_cells

Cell = object  # str | int | float | bool | date/datetime | None, as the reader gives it


@dataclass(slots=True)
class Sheet:
    name: str                       # "" for a text file (it has no sheets)
    rows: list[list[Cell]]          # rows[0] is spreadsheet row 1, rows[r][0] is column A
    visible: bool = True
    # cells filled from a merged range -> the (row, col) of the range's top-left cell
    merged_from: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    # formula cells the reader gave as blank: (row, col) -> the cached error (#DIV/0!), or "" when the
    # file stores the formula without its value (see read/formulas.py)
    formula_cells: dict[tuple[int, int], str] = field(default_factory=dict)


def reader_failed(exc: BaseException) -> bool:
    """True for anything a reader may raise on a bad file, including the Rust reader's panics, which
    surface as pyo3's PanicException (a BaseException); False for Ctrl-C and interpreter exit."""
    return not isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit))


class ReadError(Exception):
    """The file cannot be read as a table; the message is the Chinese reason, `code` the finding code."""

    def __init__(self, message: str, code: str = "unreadable_file"):
        super().__init__(message)
        self.code = code


def read_sheets(path: Path) -> list[Sheet]:
    text = path.suffix.lower() in TEXT_SUFFIXES
    if path.stat().st_size == 0:
        # an empty text file is a text with no table in it; an empty workbook cannot be opened at all
        raise ReadError("是空文件（0 字节），没有任何内容：可能是复制或下载没有完成，请向报送部门重新索取原文件",
                        code="no_table" if text else "unreadable_file")
    if text:
        return [read_text(path.read_bytes(), path.suffix.lower())]
    return read_workbook(path)


def read_workbook(path: Path) -> list[Sheet]:
    import python_calamine as calamine

    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError as exc:
        raise ReadError("工作簿设有打开密码（已加密），无法读取：请在 Excel 中取消密码并另存一份不加密的副本后重新放入",
                        code="encrypted_file") from exc
    except BaseException as exc:  # calamine raises several types for a non-workbook; all mean the same
        if not reader_failed(exc):
            raise
        # the reader's own (English) reason stays out of the clerk's message: it says nothing they can act on
        raise ReadError("无法作为电子表格打开：文件已损坏、被截断，或并不是真正的表格文件（如改了扩展名）。"
                        "请在 Excel 或 WPS 中打开后另存为 .xlsx 再放入") from exc
    sheets: list[Sheet] = []
    unvalued = formula_cells(path)
    try:
        for meta in workbook.sheets_metadata:
            if str(meta.typ) not in ("SheetTypeEnum.WorkSheet", "WorkSheet"):
                continue  # chart sheets and macro sheets hold no table
            try:
                raw = workbook.get_sheet_by_name(meta.name)
                rows = raw.to_python(skip_empty_area=False)
                merges = raw.merged_cell_ranges or []
            except BaseException as exc:
                if not reader_failed(exc):
                    raise
                raise ReadError(f"工作表「{meta.name}」无法读取（文件可能已损坏）：{_short(exc)}") from exc
            sheet = Sheet(meta.name, rows, visible=str(meta.visible).endswith("Visible"),
                          formula_cells=unvalued.get(meta.name, {}))
            _fill_merged(sheet, merges)
            sheets.append(sheet)
    finally:
        workbook.close()
    return sheets


def _fill_merged(sheet: Sheet, merges) -> None:
    """Copy each merged range's top-left value into the other cells of the range."""
    rows = sheet.rows
    for (r0, c0), (r1, c1) in merges:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    row[c] = value
                    sheet.merged_from[(r, c)] = (r0, c0)


def decode_text(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ReadError("文件含有二进制内容，不是文本表格（可能是改了扩展名的其他文件）")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError("文件编码无法识别（既不是 UTF-8 也不是 GB18030）：请另存为 UTF-8 或 Excel 格式")


def sniff_delimiter(text: str, suffix: str) -> str:
    """Tab when most records split on tabs into several fields, else comma. Records, not lines: a
    quoted cell may hold line breaks (one indicator per line), and amounts like 3,080,000.00 put
    commas into a tab export."""
    if suffix == ".tsv":
        return "\t"
    records = [r for r in itertools.islice(csv.reader(io.StringIO(text[:100000], newline=""), delimiter="\t"), 200)
               if any(field.strip() for field in r)]
    split = sum(1 for r in records if len(r) > 1)
    return "\t" if records and split * 2 >= len(records) else ","


def read_text(data: bytes, suffix: str = ".csv") -> Sheet:
    text = decode_text(data)
    delimiter = sniff_delimiter(text, suffix)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ReadError(f"文本表格无法按分隔符拆分：{exc}") from exc
    return Sheet("", rows)


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
