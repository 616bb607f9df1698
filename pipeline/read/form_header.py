"""Read a form's header block by its labels: project, department, money, goals, period, attributes.

A label is a cell the vocabulary's form table knows (`vocabulary.form_field`). Its value is the first
non-blank cell to its right that is not a merged copy of the label; when that cell is another label (a
row of sub-labels such as 实施周期总目标 | 年度目标) or there is none, the value is the cell below; a
`label:value` cell carries its own value after the colon. Money text keeps its unit (`250万`,
`10000万元`, `854万(…)`); text that does not read as one amount is a problem, never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from pipeline.money import BadAmount, parse_amount, parse_money_unit, to_wanyuan
from pipeline.read.sheets import Cell, Sheet, cell_text
from pipeline.text import compact
from pipeline.vocabulary import FORM_TITLE, form_field, form_label_core, grid_field

Pos = tuple[int, int]                      # (0-based row, 0-based column)


@dataclass(slots=True)
class Label:
    field: str                             # a FORM_LABELS key
    printed: str                           # the label as printed
    suffix: str                            # its bracketed suffix: (万元), (2022年--2024年)
    cell: Pos
    value: Cell = None
    value_cell: Pos | None = None


@dataclass(slots=True)
class Header:
    labels: list[Label] = field(default_factory=list)
    used_rows: set[int] = field(default_factory=set)
    title_rows: set[int] = field(default_factory=set)   # title, year and 单位 lines: ignored as title
    unit_line: str | None = None           # a money unit named on a 单位:万元 line or in a label (万元)
    leftovers: list[Pos] = field(default_factory=list)  # texts in the header no label took

    def first(self, name: str) -> Label | None:
        return next((lab for lab in self.labels if lab.field == name), None)

    def all(self, name: str) -> list[Label]:
        return [lab for lab in self.labels if lab.field == name]


def own_cells(sheet: Sheet, row: int) -> list[tuple[int, str]]:
    """The non-blank texts of a row, a merged range counted once (at its top-left cell)."""
    cells = sheet.rows[row] if row < len(sheet.rows) else []
    return [(c, text) for c, v in enumerate(cells)
            if (row, c) not in sheet.merged_from and (text := cell_text(v))]


def is_label(text: str) -> bool:
    return form_field(text) is not None


def split_label_value(text: str) -> tuple[str, str] | None:
    """`预算单位:东莞展览馆` -> (预算单位, 东莞展览馆); None unless the head is a label and a value follows."""
    norm = unicodedata.normalize("NFKC", text)
    match = re.match(r"^\s*([^:]{1,30}?)\s*:\s*(.+?)\s*$", norm, re.S)
    if not match or match.group(1).startswith("其中"):
        return None
    return (match.group(1), match.group(2)) if is_label(match.group(1)) else None


def read_header(sheet: Sheet, top: int, bottom: int) -> Header:
    """The labels of rows top..bottom-1 with their values."""
    header = Header()
    taken: set[Pos] = set()
    for row in range(top, bottom):
        cells = own_cells(sheet, row)
        for col, text in cells:
            if (row, col) in taken:
                continue
            label = _label_at(sheet, row, col, text, bottom, taken)
            if label is not None:
                header.labels.append(label)
                header.used_rows.add(row)
                if label.value_cell is not None:
                    header.used_rows.add(label.value_cell[0])
                continue
            unit = parse_money_unit(text)
            if unit or FORM_TITLE.search(compact(text)) or _year_line(text) or grid_field(text) == "block":
                header.title_rows.add(row)
                header.unit_line = header.unit_line or unit
    for row in range(top, bottom):
        for col, _ in own_cells(sheet, row):
            if (row, col) not in taken and row not in header.title_rows and \
                    not any(lab.cell == (row, col) for lab in header.labels):
                header.leftovers.append((row, col))
    return header


def _year_line(text: str) -> bool:
    return bool(re.fullmatch(r"[(（]?\s*\d{4}\s*年度?\s*[)）]?", text.strip()))


def is_ornament(text: str) -> bool:
    """A 单位:万元 line, a year line (`(2022年度)`) or the grid's block label (绩效指标) across above its
    header: part of a form's head, no label."""
    return bool(parse_money_unit(text)) or _year_line(text) or grid_field(text) == "block"


def _label_at(sheet: Sheet, row: int, col: int, text: str, bottom: int, taken: set[Pos]) -> Label | None:
    pair = split_label_value(text)
    if pair is not None:
        head, value = pair
        taken.add((row, col))
        return Label(form_field(head), head, form_label_core(head)[1], (row, col), value, (row, col))
    name = form_field(text)
    if name is None:
        return None
    taken.add((row, col))
    label = Label(name, text, form_label_core(text)[1], (row, col))
    right = _right_of(sheet, row, col)
    if right is not None and right not in taken and not is_label(cell_text(sheet.rows[right[0]][right[1]])):
        label.value, label.value_cell = sheet.rows[right[0]][right[1]], right
        taken.add(right)
    elif row + 1 < bottom and (row + 1, col) not in sheet.merged_from and (row + 1, col) not in taken:
        below = cell_text(sheet.rows[row + 1][col]) if col < len(sheet.rows[row + 1]) else ""
        if below and not is_label(below) and (right is not None or _value_row(sheet, row + 1)):
            label.value, label.value_cell = sheet.rows[row + 1][col], (row + 1, col)
            taken.add((row + 1, col))
    return label


def _right_of(sheet: Sheet, row: int, col: int) -> Pos | None:
    """The first non-blank cell right of (row, col) that is not a copy of a merged cell; a formula the
    file stores without its value reads as blank but is a value (an unknown one)."""
    cells = sheet.rows[row]
    for c in range(col + 1, len(cells)):
        if (row, c) in sheet.merged_from or not (cell_text(cells[c]) or (row, c) in sheet.formula_cells):
            continue
        return (row, c)
    return None


def _value_row(sheet: Sheet, row: int) -> bool:
    """A row of values under a row of sub-labels holds no label of its own."""
    return not any(is_label(text) for _, text in own_cells(sheet, row))


# --- values ---------------------------------------------------------------------------------------

_MONEY_TEXT = re.compile(r"^(?P<num>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?P<unit>万元|万|千元|元)?"
                         r"(?:\((?P<note>.*)\))?$", re.S)
_UNIT_NAMES = {"万": "万元", "万元": "万元", "千元": "千元", "元": "元"}


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal | None                 # 万元; None when the text could not be read
    unit_written: bool                     # the value carried its own unit (`250万`)
    problem: str = ""                      # why it could not be read


def read_money(value: Cell, unit: str) -> Money:
    """One money value in `unit` unless it names its own: blank is 0, `854万854万` is a problem."""
    if isinstance(value, str):
        text = compact(value)
        match = _MONEY_TEXT.match(text)
        if match and match.group("unit"):
            number = Decimal(match.group("num").replace(",", ""))
            return Money(to_wanyuan(number, _UNIT_NAMES[match.group("unit")]), True)
        if match and match.group("note") is not None:
            return Money(to_wanyuan(Decimal(match.group("num").replace(",", "")), unit), False)
        lead = re.match(r"^(\d+(?:\.\d+)?(?:万元|万|元))", text)
        if lead and text[lead.end():].startswith(lead.group(1)):
            return Money(None, True, f"金额「{value.strip()}」重复写了两次")
    try:
        return Money(to_wanyuan(parse_amount(value), unit), False)
    except BadAmount:
        return Money(None, False, f"「{cell_text(value)}」不是金额")


_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[.\-/年]\s*(?P<m>\d{1,2})(?!\d)\s*月?(?:\s*[.\-/]?\s*\d{1,2}(?!\d)\s*日?)?"
                   r"|(?P<y2>(?:19|20)\d{2})(?P<m2>[01]\d)(?!\d)|(?P<y3>(?:19|20)\d{2})(?!\d)\s*年?")


def month_tokens(value: Cell) -> list[tuple[str, bool]]:
    """The months a period text names, in order: (YYYY-MM, month written?) — `2020年` is (2020-01, False)."""
    if isinstance(value, (datetime, date)):
        return [(f"{value.year:04d}-{value.month:02d}", True)]
    out = []
    for match in _DATE.finditer(unicodedata.normalize("NFKC", cell_text(value))):
        year = match.group("y") or match.group("y2") or match.group("y3")
        month = match.group("m") or match.group("m2")
        if month is not None and not 1 <= int(month) <= 12:
            continue
        out.append((f"{year}-{int(month or 1):02d}", month is not None))
    return out


def read_period(value: Cell) -> tuple[str, str] | None:
    """`2023.07-2024.01`, `202001-202012`, `2020年-2022年` -> (start, end) as YYYY-MM; None if unreadable."""
    tokens = month_tokens(value)
    if len(tokens) != 2:
        return None
    (start, _), (end, end_month) = tokens
    return start, end if end_month else f"{end[:4]}-12"


def read_month(value: Cell, *, end: bool) -> str | None:
    tokens = month_tokens(value)
    if len(tokens) != 1:
        return None
    month, written = tokens[0]
    return month if written or not end else f"{month[:4]}-12"


_CODE = re.compile(r"^\s*[\[【(（]\s*([0-9A-Za-z]+)\s*[\]】)）]\s*(.+?)\s*$")


def split_unit_code(text: str) -> tuple[str, str]:
    """`[015001]岳阳县农业农村局` -> ("015001", "岳阳县农业农村局"); no code -> ("", text)."""
    match = _CODE.match(text)
    return (match.group(1), match.group(2)) if match else ("", text.strip())
