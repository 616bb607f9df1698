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
import unicodedata
from dataclasses import dataclass, field

from pipeline.model import department_key
from pipeline.money import parse_money_unit
from pipeline.read.footers import footer_reason
from pipeline.read.sheets import Cell, Sheet
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


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


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
            _read_preamble(sheet, table)
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


# 部门名称：X / 单位名称：X / 部门：X / 编制单位：X / 预算单位：X, possibly followed by 单位：万元 in the same cell;
# a bare 部门名称 (no colon) takes its value from the next cell
_DEPT = re.compile(r"^(?:(?:部门|单位|部门\(单位\))名称\s*[:：]?"
                   r"|(?:部门|编制单位|预算单位|填报单位)(?:\s*\([^)]{0,6}\))?\s*[:：])\s*(.*?)"
                   r"(?:\s*\(?\s*(?:金额)?单位\s*[:：].*)?$")   # matched after NFKC: （） are ()
# 单位：万元, but not the 单位 of 单位名称 / 资金使用单位 / 编制单位 / 预算单位 / 填报单位 (元氏县 is no money unit)
_UNIT_LINE = re.compile(r"(?<!名称)(?<!使用)(?<!编制)(?<!预算)(?<!填报)单位\s*[:：]\s*(\S*)")


def _line_department(texts: list[tuple[int, str]]) -> tuple[str, int] | None:
    """The department a preamble line names, and its column: 部门名称：X, or 部门名称 | X in two cells."""
    for pos, (col, text) in enumerate(texts):
        dept = _DEPT.match(unicodedata.normalize("NFKC", text).strip())
        if not dept:
            continue
        name = dept.group(1).strip()
        if not name and pos + 1 < len(texts):          # 部门名称： | 广州市…局 in the next cell
            name = texts[pos + 1][1].strip()
        if name and not _UNIT_LINE.match(name) and not name.startswith(("单位", "金额单位")):
            return name, col
    return None


def _read_preamble(sheet: Sheet, table: Table) -> None:
    """部门名称 and 单位 from the rows above the header, wherever in those rows they stand."""
    for index in range(table.start, table.header_row):
        texts = _own_texts(sheet, index)
        kind, reason = "ignored", ("blank" if not texts else "title")
        named = _line_department(texts)
        if named:  # the line nearest the header wins: a footer of a table above may name its own department
            table.department, table.department_cell = named[0], (index, named[1])
            kind, reason = "meta", ""
        for col, text in texts:
            norm = unicodedata.normalize("NFKC", text).strip()
            unit_line = _UNIT_LINE.search(norm)
            if unit_line:
                unit = parse_money_unit(norm[unit_line.start():])
                if unit:
                    table.unit = unit
                elif unit_line.group(1) and table.unit is None:
                    table.unit_text = text
                if kind == "ignored":
                    reason = "unit"
        table.rows.append(Row(index, kind, reason))


def _own_texts(sheet: Sheet, index: int) -> list[tuple[int, str]]:
    """The non-blank texts of a row, counting a merged range once."""
    out = []
    for col, value in enumerate(sheet.rows[index]):
        if (index, col) in sheet.merged_from:
            continue
        text = cell_text(value)
        if text:
            out.append((col, text))
    return out


def _classify(sheet: Sheet, table: Table) -> None:
    """Say what every row below the header is, up to the end of the sheet or the next table."""
    cols = table.columns
    for index in range(table.header_row, table.header_row + table.header_rows):
        table.rows.append(Row(index, "ignored", "header"))
    name_col = cols["name"]
    amount_cols = [cols[f] for f in AMOUNT_FIELDS if f in cols]
    text_cols = [cols[f] for f in ("goal", "indicators") if f in cols]
    long_cols = [cols[f] for f in LONG_FIELDS if f in cols]
    previous = None  # the last project row, for long-layout continuations
    formula_cols = _formula_columns(sheet)
    table.end = len(sheet.rows)
    for index in range(table.header_row + table.header_rows, len(sheet.rows)):
        cells = sheet.rows[index]

        def text(col: int) -> str:
            return cell_text(cells[col]) if col < len(cells) else ""

        formulas = formula_cols.get(index, ())  # formula cells the reader gave as blank are not blank
        name = text(name_col)
        label = normalise_title(name).rstrip(":：")
        reason = _not_data(sheet, table, index, label, bool(formulas))
        if reason:
            table.rows.append(Row(index, "ignored", reason))
            if reason not in ("blank", "separator"):
                previous = None
            continue
        if _LOOKUP.get(normalise_title(name)) == "name" and is_header(match_header(cells)[0]):
            next_start = _next_table_start(sheet, table, index)
            if next_start is not None:                     # another department's table begins here
                table.rows = [r for r in table.rows if r.index < next_start]
                table.end = next_start
                return
            table.rows.append(Row(index, "ignored", "header"))  # the header repeated on a later page
            continue
        has_amounts = any(text(c) for c in amount_cols) or any(c in amount_cols for c in formulas)
        has_text = any(text(c) for c in text_cols)
        has_long = any(text(c) for c in long_cols)
        merged_name = (index, name_col) in sheet.merged_from
        if label in TOTAL_NAMES:
            table.rows.append(Row(index, "total"))
            previous = None
        elif label in SUBTOTAL_NAMES and has_amounts:
            table.rows.append(Row(index, "subtotal"))
            previous = None
        elif label in PAGE_TOTAL_NAMES and has_amounts:
            table.rows.append(Row(index, "page_total"))
            previous = None
        elif table.long and has_long and previous is not None and (
                not name or merged_name or _same_project(sheet, table, previous, index)):
            table.rows.append(Row(index, "indicator", continues=True))
        elif name and (has_text or has_long):
            table.rows.append(Row(index, "project"))
            previous = index
        elif name and has_amounts:
            table.rows.append(Row(index, "unit"))
            previous = None
        else:
            table.rows.append(Row(index, "rejected"))


def _not_data(sheet: Sheet, table: Table, index: int, label: str, formulas: bool) -> str:
    """Why a row below the header holds no data (blank, separator, footer, note), or ""."""
    filled = [t for t in map(cell_text, sheet.rows[index]) if t]
    if formulas:
        return ""
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


_LOOKBACK = 6


def _next_table_start(sheet: Sheet, table: Table, header: int) -> int | None:
    """A header below the table starts another department's table when the block of preamble rows just
    above it (title, 部门名称 and 单位 lines, blanks) names a department other than this table's. Else it
    is this table's header repeated on a new page: the block's rows are ignored as title and unit rows."""
    floor = table.header_row + table.header_rows
    start = header
    while start - 1 >= floor and header - (start - 1) <= _LOOKBACK and _in_preamble_block(sheet, table, start - 1):
        start -= 1
    named = [n for i in range(start, header) if (n := _line_department(_own_texts(sheet, i)))]
    if named and department_key(named[-1][0]) != department_key(table.department or ""):
        return start
    for row in table.rows:  # a 部门名称 line with 单位 in the 绩效指标 column may have looked like a project
        if start <= row.index < header and row.kind in ("rejected", "project"):
            line = " ".join(t for _, t in _own_texts(sheet, row.index))
            row.kind, row.reason = "ignored", ("unit" if _UNIT_LINE.search(line) else "title")
    return None


def _in_preamble_block(sheet: Sheet, table: Table, index: int) -> bool:
    """Blank, a lone line of text, or a 部门名称/单位 line, with no amount: what stands above a header."""
    texts = _own_texts(sheet, index)
    cells = sheet.rows[index]
    amounts = [table.columns[f] for f in AMOUNT_FIELDS if f in table.columns]
    if any(c < len(cells) and isinstance(cells[c], (int, float)) for c in amounts):
        return False
    return len(texts) <= 1 or _line_department(texts) is not None or \
        any(_UNIT_LINE.search(unicodedata.normalize("NFKC", t)) for _, t in texts)


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
