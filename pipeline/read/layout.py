"""Find the tables on a sheet and say what every row is.

The header row is found wherever it stands by matching column names through `SYNONYMS`, the one
place that knows what departments call their columns. The lines above it give 部门名称 and 单位;
every row below it is classified as total, subtotal, spending unit, project, indicator continuation,
or ignored (blank, separator, repeated header, sign-off footer, note) or rejected (anything else), so
no row is lost. A
later header with its own title or 部门名称 line above it starts the next table on the same sheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.read.footers import footer_reason
from pipeline.read.preamble import next_table_start, read_preamble
from pipeline.read.sheets import Cell, Sheet, cell_text
from pipeline.text import compact
from pipeline.vocabulary import (AMOUNT_FIELDS, COLUMN_SYNONYMS, LONG_FIELDS, MONEY_UNIT_NAMES, PAGE_TOTAL_NAMES,
                                 SUBTOTAL_NAMES, TOTAL_NAMES)

_SUM_LABELS = TOTAL_NAMES | SUBTOTAL_NAMES | PAGE_TOTAL_NAMES
_TITLE_MAX = 40                   # characters: longer than any name-column title with spaces and a unit
_UNIT_SUFFIX = re.compile(rf"\((?:单位[:：])?(?:人民币)?({MONEY_UNIT_NAMES})\)$")
_SEPARATOR = re.compile(r"^[-—–=_─━·.\s]{2,}$")
_LOOKUP = {}


def normalise_title(text: str) -> str:
    """Column titles compare without spaces and with ASCII brackets: 项目名称（资金使用单位） == 项目名称(资金使用单位)."""
    return compact(text)


for _field, _names in COLUMN_SYNONYMS.items():
    for _name in _names:
        _LOOKUP[normalise_title(_name)] = _field


@dataclass(slots=True)
class Row:
    index: int                      # 0-based row index on the sheet
    kind: str                       # total | subtotal | page_total | unit | project | indicator | ignored | rejected | meta
    reason: str = ""                # for ignored rows: title, unit, header, blank, separator
    continues: bool = False         # a project row whose project cells are merged from the row above


@dataclass(slots=True)
class Table:
    header_row: int                 # 0-based
    columns: dict[str, int]         # field -> 0-based column index
    department: str | None          # from the 部门名称 line
    department_cell: tuple[int, int] | None
    unit: str | None                # from the 单位 line or the header
    unit_text: str | None           # the 单位 line as written, when it named no known unit
    rows: list[Row] = field(default_factory=list)
    header_rows: int = 1            # 2 when a group title row stands over the column titles
    start: int = 0                  # the table's first row (its title/preamble), 0-based
    end: int = 0                    # one past its last row: the next table's start or the sheet's end
    header_unit: str | None = None  # a unit named in a column title, such as 总计（元）

    @property
    def long(self) -> bool:
        return "level3" in self.columns or "value" in self.columns or "annual_value" in self.columns


def match_header(cells: list[Cell]) -> tuple[dict[str, int], str | None]:
    """Map the cells of a candidate header row to fields; also return a unit named in a title."""
    columns: dict[str, int] = {}
    unit = None
    for col, value in enumerate(cells):
        if not isinstance(value, str) or not value.strip():
            continue
        title = normalise_title(value)
        unit_match = _UNIT_SUFFIX.search(title)
        if unit_match:
            unit = unit or unit_match.group(1)
            title = title[: unit_match.start()]
        fld = _LOOKUP.get(title)
        if fld and fld not in columns:
            columns[fld] = col
    return columns, unit


def is_header(columns: dict[str, int]) -> bool:
    return "name" in columns and bool(columns.keys() & {"total", "goal", "indicators", "level3", "fiscal"})


def find_tables(sheet: Sheet) -> list[Table]:
    """Every table on a sheet, top to bottom; [] when the sheet holds none.

    A sheet usually holds one department's table; a consolidated sheet may stack several, each with
    its own title or 部门名称 line above its header. Together the tables cover every row of the sheet.
    """
    tables: list[Table] = []
    start = 0
    while start < len(sheet.rows):
        table = _table_from(sheet, start)
        if table is None:
            break
        tables.append(table)
        start = table.end
    return tables


def _table_from(sheet: Sheet, start: int) -> Table | None:
    for index in range(start, len(sheet.rows)):
        # wherever the header stands (under long instructions too), at the cost of a few substring
        # tests per cell: only a row with a short text holding 项 and 名 can hold a name-column title
        if not any(isinstance(v, str) and len(v) <= _TITLE_MAX and "项" in v and "名" in v for v in sheet.rows[index]):
            continue
        columns, header_unit = match_header(sheet.rows[index])
        if is_header(columns):
            table = Table(index, columns, None, None, header_unit, None, start=start, header_unit=header_unit)
            _second_header_row(sheet, table)
            table.rows.extend(Row(index, kind, reason) for index, kind, reason in read_preamble(sheet, table))
            _classify(sheet, table)
            return table
    return None


def _second_header_row(sheet: Sheet, table: Table) -> None:
    """Two-row headers: a group title (资金来源, 绩效指标) over 财政拨款… or 一级指标/二级指标/三级指标."""
    below = table.header_row + 1
    if below >= len(sheet.rows):
        return
    cells = sheet.rows[below]
    extra, unit = match_header(cells)
    new = {f: c for f, c in extra.items() if f != "name" and table.columns.get(f) != c}
    # a title row holds only titles: two or more of them, and no number (the 合计 row has numbers)
    if len(new) < 2 or not (new.keys() & {*LONG_FIELDS, *AMOUNT_FIELDS}) or \
            any(isinstance(v, (int, float)) for v in cells):
        return
    for fld, col in new.items():
        table.columns[fld] = col
    if new.keys() & set(LONG_FIELDS) and table.columns.get("indicators") in new.values():
        del table.columns["indicators"]  # 绩效指标 was only the group title over the indicator columns
    table.unit = table.unit or unit
    table.header_unit = table.header_unit or unit
    table.header_rows = 2


@dataclass(frozen=True, slots=True)
class _Columns:
    """Where a table's kinds of cell stand, to say what each row below its header is."""

    name: int
    amounts: tuple[int, ...]        # 总计, 财政拨款 …
    texts: tuple[int, ...]          # 绩效目标, 绩效指标
    long: tuple[int, ...]           # the indicator columns of the long layout

    @staticmethod
    def of(columns: dict[str, int]) -> "_Columns":
        def present(fields) -> tuple[int, ...]:
            return tuple(columns[f] for f in fields if f in columns)

        return _Columns(columns["name"], present(AMOUNT_FIELDS), present(("goal", "indicators")), present(LONG_FIELDS))


_ENDS_PROJECT = {"total", "subtotal", "page_total", "unit"}


def _classify(sheet: Sheet, table: Table) -> None:
    """Say what every row below the header is, up to the end of the sheet or the next table."""
    for index in range(table.header_row, table.header_row + table.header_rows):
        table.rows.append(Row(index, "ignored", "header"))
    cols = _Columns.of(table.columns)
    previous = None  # the last project row, for long-layout continuations
    formula_cols = _formula_columns(sheet)
    table.end = len(sheet.rows)
    for index in range(table.header_row + table.header_rows, len(sheet.rows)):
        row = _row(sheet, table, cols, index, formula_cols.get(index, ()), previous)
        if row is None:                                 # another department's table begins here
            return
        table.rows.append(row)
        if row.kind == "project":
            previous = index
        elif row.kind in _ENDS_PROJECT or row.kind == "ignored" and row.reason not in ("blank", "separator", "header"):
            previous = None


def _row(sheet: Sheet, table: Table, cols: _Columns, index: int, formulas, previous: int | None) -> Row | None:
    """What row `index` is, each of its cells read as text once; None when a header there starts the
    next table (the table then ends before it). `formulas`: its formula cells the reader gave as blank
    (they are not blank)."""
    cells = sheet.rows[index]
    texts = [v.strip() if v.__class__ is str else "" if v is None else cell_text(v) for v in cells]  # cell_text, inlined
    width = len(texts)
    name = texts[cols.name] if cols.name < width else ""
    title = normalise_title(name) if name else ""
    label = title.rstrip(":：")
    reason = _not_data(sheet, table, index, texts, label, bool(formulas))
    if reason:
        return Row(index, "ignored", reason)
    if _LOOKUP.get(title) == "name" and is_header(match_header(cells)[0]):
        next_start = next_table_start(sheet, table, index)
        if next_start is None:
            return Row(index, "ignored", "header")      # the header repeated on a later page
        table.rows = [r for r in table.rows if r.index < next_start]
        table.end = next_start
        return None
    if label in TOTAL_NAMES:
        return Row(index, "total")
    if label in _AMOUNT_LABELS and _has_amounts(cols, texts, formulas):
        return Row(index, "subtotal" if label in SUBTOTAL_NAMES else "page_total")
    has_long = any(c < width and texts[c] for c in cols.long)
    if has_long and table.long and previous is not None and (
            not name or (index, cols.name) in sheet.merged_from or _same_project(sheet, table, previous, index)):
        return Row(index, "indicator", continues=True)
    if name and (has_long or any(c < width and texts[c] for c in cols.texts)):
        return Row(index, "project")      # most rows: their amounts are read later, not looked at here
    return Row(index, "unit" if name and _has_amounts(cols, texts, formulas) else "rejected")


_AMOUNT_LABELS = SUBTOTAL_NAMES | PAGE_TOTAL_NAMES      # rows that are what they say only with amounts


def _has_amounts(cols: _Columns, texts: list[str], formulas) -> bool:
    """Some amount cell of the row holds something, or is a formula the reader gave as blank."""
    width = len(texts)
    return any(c < width and texts[c] for c in cols.amounts) or any(c in cols.amounts for c in formulas)


def _not_data(sheet: Sheet, table: Table, index: int, texts: list[str], label: str, formulas: bool) -> str:
    """Why a row below the header holds no data (blank, separator, footer, note), or ""."""
    if formulas:
        return ""
    filled = [t for t in texts if t]
    if not filled:
        return "blank"
    if all(_SEPARATOR.match(t) for t in filled):
        return "separator"
    return "" if label in _SUM_LABELS else footer_reason(sheet, table.columns.values(), index, filled)


def _formula_columns(sheet: Sheet) -> dict[int, list[int]]:
    """Row -> the columns of its formula cells the reader gave as blank (they are not blank)."""
    columns: dict[int, list[int]] = {}
    for row, col in sheet.formula_cells:
        columns.setdefault(row, []).append(col)
    return columns


def _same_project(sheet: Sheet, table: Table, first: int, index: int) -> bool:
    """Long layout exported to text repeats the project's name on every indicator row, with its money
    and goal either repeated or left blank."""
    cols = table.columns
    a, b = sheet.rows[first], sheet.rows[index]

    def at(row, col):
        return cell_text(row[col]) if col < len(row) else ""

    if at(a, cols["name"]) != at(b, cols["name"]):
        return False
    others = [cols[f] for f in (*AMOUNT_FIELDS, "goal") if f in cols]
    return all(at(b, c) in ("", at(a, c)) for c in others)
