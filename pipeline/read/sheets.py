"""Read a file into sheets of raw cell values, with merged cells filled from their top-left cell.

`read_sheets` is the one entry point: it sniffs what the file really is (`sniff.py`, whatever its
extension says) and picks the reader. Workbooks (.xlsx .xlsm .xlsb .xls .ods) go through
python-calamine directly: it gives exact cell positions, merged ranges and sheet visibility, and it
is the fastest reader pandas knows. It gives a formula without a stored value, or with a stored
error, as a blank cell: `formulas.py` finds those cells. HTML tables and Excel 2003 XML, which web
systems export under a ".xls" name, are read with lxml (`html_table.py`, `spreadsheetml.py`). Text
files are decoded as UTF-16 (Excel's 「Unicode 文本」), UTF-8 (with or without BOM) or else GB18030,
and split on tabs, semicolons or commas. How a file was read, when it is not what its name says, is
a note on its sheets.
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.read import sniff as formats
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
    # how the file was read, for the clerk (an info finding each): a renamed file, NUL bytes skipped
    notes: list[str] = field(default_factory=list)


def cell_text(value: Cell) -> str:
    """A cell as text: "" when blank, `3` for the float 3.0, else its text without edge spaces."""
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def reader_failed(exc: BaseException) -> bool:
    """True for anything a reader may raise on a bad file, including the Rust reader's panics, which
    surface as pyo3's PanicException (a BaseException); False for Ctrl-C and interpreter exit."""
    return not isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit))


class ReadError(Exception):
    """The file cannot be read as a table; the message is the Chinese reason, `code` the finding code."""

    def __init__(self, message: str, code: str = "unreadable_file"):
        super().__init__(message)
        self.code = code


ENCRYPTED = "工作簿设有打开密码（已加密），无法读取：请在 Excel 中取消密码并另存一份不加密的副本后重新放入"


def read_sheets(path: Path) -> list[Sheet]:
    """The sheets of any table file, read by what its bytes are; ReadError names what it really is."""
    sniffed = formats.sniff(path)
    kind, suffix = sniffed.kind, path.suffix.lower()
    if kind == formats.ENCRYPTED:
        raise ReadError(ENCRYPTED, code="encrypted_file")
    if kind in formats.REFUSAL:
        raise ReadError(formats.REFUSAL[kind])
    if kind in (formats.DAMAGED_ZIP, formats.DAMAGED_OLE):
        return read_workbook(path)      # the workbook reader names the damage
    if kind == formats.TEXT:
        sheets = [read_text(path.read_bytes(), suffix, sniffed.encoding)]
    elif kind == formats.HTML:
        from pipeline.read.html_table import read_html

        sheets = read_html(path.read_bytes(), sniffed.encoding)
    elif kind == formats.SPREADSHEETML:
        from pipeline.read.spreadsheetml import read_spreadsheetml

        sheets = read_spreadsheetml(path.read_bytes())
    else:
        # calamine takes the path as UTF-8, so a name that is not UTF-8 is handed over as an open file
        by_content = kind not in formats.EXPECTED.get(suffix, ()) or not _utf8(str(path))
        sheets = read_workbook(path, by_content=by_content)
    notes = [formats.mismatch_note(kind, suffix), None if _utf8(path.name) else UNDECODABLE_NAME]
    if sheets:
        sheets[0].notes[:0] = [note for note in notes if note]
    return sheets


UNDECODABLE_NAME = ("文件名不是 UTF-8 编码（常见于在 Linux 上解压 Windows 压缩包），报告中以 \\x 转义形式显示；"
                    "内容已照常读取。如需正常显示，请用 UTF-8 文件名重新解压或改名")


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def read_workbook(path: Path, by_content: bool = False) -> list[Sheet]:
    """A workbook through calamine; `by_content` for a renamed one (calamine then tries each format)."""
    import python_calamine as calamine

    try:
        workbook = _open_by_content(path) if by_content else calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError as exc:
        raise ReadError(ENCRYPTED, code="encrypted_file") from exc
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


def _open_by_content(path: Path):
    import python_calamine as calamine

    with path.open("rb") as handle:
        return calamine.CalamineWorkbook.from_filelike(handle)


def _fill_merged(sheet: Sheet, merges) -> None:
    """Copy each merged range's top-left value into the other cells of the range, within the sheet's
    rectangle: a range merged out to column XFD adds no columns (guard.py bounds what is filled)."""
    rows = sheet.rows
    for (r0, c0), (r1, c1) in merges:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if (r, c) != (r0, c0):
                    row[c] = value
                    sheet.merged_from[(r, c)] = (r0, c0)


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, list[str]]:
    """The text of a text table and notes on what was tolerated: NUL bytes, a trailing Ctrl-Z."""
    encoding = encoding or formats.text_encoding(data[:formats.HEAD_BYTES])
    if encoding is None:
        raise ReadError(formats.REFUSAL[formats.BINARY])
    try:
        text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise ReadError("文件编码无法识别（不是 UTF-8、UTF-16，也不是 GB18030）：请另存为 UTF-8 或 Excel 格式") from None
    notes = []
    text = text.lstrip("\ufeff")
    if text.rstrip("\r\n").endswith("\x1a"):
        text = text.rstrip("\r\n").rstrip("\x1a")
        notes.append("文件末尾有 DOS 文件结束符（Ctrl-Z），已忽略，无需处理")
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "")
        notes.append(f"文件中有 {nuls} 个空字符（NUL，通常由导出程序产生），已忽略，其余内容照常读取")
    return text, notes


def sniff_delimiter(text: str, suffix: str) -> str:
    """Tab when most records split on tabs into several fields, else semicolon when more records split
    on it than on commas, else comma. Records, not lines: a quoted cell may hold line breaks (one
    indicator per line), and amounts like 3,080,000.00 put commas into a tab or semicolon export."""
    if suffix == ".tsv":
        return "\t"
    sample = text[:100000]

    def split_records(delimiter: str) -> tuple[int, int]:
        records = [r for r in itertools.islice(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), 200)
                   if any(field.strip() for field in r)]
        return sum(1 for r in records if len(r) > 1), len(records)

    split, records = split_records("\t")
    if records and split * 2 >= records:
        return "\t"
    if ";" in sample and split_records(";")[0] > split_records(",")[0]:
        return ";"
    return ","


def read_text(data: bytes, suffix: str = ".csv", encoding: str | None = None) -> Sheet:
    text, notes = decode_text(data, encoding)
    delimiter = sniff_delimiter(text, suffix)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ReadError(f"文本表格无法按分隔符拆分：{exc}") from exc
    return Sheet("", rows, notes=notes)


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
