"""The lines above a table's header: 部门名称 and 单位, and where the next table on a sheet begins.

A department's table stands under a title, a 部门名称 line (部门名称：X, or 部门名称 | X in two cells) and
a 单位 line (单位：万元). `read_preamble` reads them for a table `layout.find_tables` found; a header
repeated further down is another department's table when the preamble block just above it names
another department (`next_table_start`), else the same table's header printed again on a new page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from pipeline.model import department_key
from pipeline.money import parse_money_unit
from pipeline.read.sheets import Sheet, cell_text
from pipeline.vocabulary import AMOUNT_FIELDS

# 部门名称：X / 单位名称：X / 部门：X / 编制单位：X / 预算单位：X, possibly followed by 单位：万元 in the same cell;
# a bare 部门名称 (no colon) takes its value from the next cell
_DEPT = re.compile(r"^(?:(?:部门|单位|部门\(单位\))名称\s*[:：]?"
                   r"|(?:部门|编制单位|预算单位|填报单位)(?:\s*\([^)]{0,6}\))?\s*[:：])\s*(.*?)"
                   r"(?:\s*\(?\s*(?:金额)?单位\s*[:：].*)?$")   # matched after NFKC: （） are ()
# 单位：万元, but not the 单位 of 单位名称 / 资金使用单位 / 编制单位 / 预算单位 / 填报单位 (元氏县 is no money unit)
UNIT_LINE = re.compile(r"(?<!名称)(?<!使用)(?<!编制)(?<!预算)(?<!填报)单位\s*[:：]\s*(\S*)")
_LOOKBACK = 6                       # rows above a repeated header that may be the next table's preamble


def own_texts(sheet: Sheet, index: int) -> list[tuple[int, str]]:
    """The non-blank texts of a row, counting a merged range once."""
    out = []
    merged = sheet.merged_from
    for col, value in enumerate(sheet.rows[index]):
        if merged and (index, col) in merged:
            continue
        text = cell_text(value)
        if text:
            out.append((col, text))
    return out


def line_department(texts: list[tuple[int, str]]) -> tuple[str, int] | None:
    """The department a preamble line names, and its column: 部门名称：X, or 部门名称 | X in two cells."""
    for pos, (col, text) in enumerate(texts):
        dept = _DEPT.match(unicodedata.normalize("NFKC", text).strip())
        if not dept:
            continue
        name = dept.group(1).strip()
        if not name and pos + 1 < len(texts):          # 部门名称： | 广州市…局 in the next cell
            name = texts[pos + 1][1].strip()
        if name and not UNIT_LINE.match(name) and not name.startswith(("单位", "金额单位")):
            return name, col
    return None


def read_preamble(sheet: Sheet, table) -> Iterator[tuple[int, str, str]]:
    """部门名称 and 单位 from the rows above the `layout.Table`'s header, wherever in those rows they
    stand, set on the table; yields what each of those rows is: (index, "meta" or "ignored", reason)."""
    for index in range(table.start, table.header_row):
        texts = own_texts(sheet, index)
        kind, reason = "ignored", ("blank" if not texts else "title")
        named = line_department(texts)
        if named:  # the line nearest the header wins: a footer of a table above may name its own department
            table.department, table.department_cell = named[0], (index, named[1])
            kind, reason = "meta", ""
        for _, text in texts:
            norm = unicodedata.normalize("NFKC", text).strip()
            unit_line = UNIT_LINE.search(norm)
            if unit_line:
                unit = parse_money_unit(norm[unit_line.start():])
                if unit:
                    table.unit = unit
                elif unit_line.group(1) and table.unit is None:
                    table.unit_text = text
                if kind == "ignored":
                    reason = "unit"
        yield index, kind, reason


def next_table_start(sheet: Sheet, table, header: int) -> int | None:
    """A header below the table starts another department's table when the block of preamble rows just
    above it (title, 部门名称 and 单位 lines, blanks) names a department other than this table's. Else it
    is this table's header repeated on a new page: the block's rows are ignored as title and unit rows."""
    floor = table.header_row + table.header_rows
    start = header
    while start - 1 >= floor and header - (start - 1) <= _LOOKBACK and _in_preamble_block(sheet, table, start - 1):
        start -= 1
    named = [n for i in range(start, header) if (n := line_department(own_texts(sheet, i)))]
    if named and department_key(named[-1][0]) != department_key(table.department or ""):
        return start
    for row in table.rows:  # a 部门名称 line with 单位 in the 绩效指标 column may have looked like a project
        if start <= row.index < header and row.kind in ("rejected", "project"):
            line = " ".join(t for _, t in own_texts(sheet, row.index))
            row.kind, row.reason = "ignored", ("unit" if UNIT_LINE.search(line) else "title")
    return None


def _in_preamble_block(sheet: Sheet, table, index: int) -> bool:
    """Blank, a lone line of text, or a 部门名称/单位 line, with no amount: what stands above a header."""
    texts = own_texts(sheet, index)
    cells = sheet.rows[index]
    amounts = [table.columns[f] for f in AMOUNT_FIELDS if f in table.columns]
    if any(c < len(cells) and isinstance(cells[c], (int, float)) for c in amounts):
        return False
    return len(texts) <= 1 or line_department(texts) is not None or \
        any(UNIT_LINE.search(unicodedata.normalize("NFKC", t)) for _, t in texts)
