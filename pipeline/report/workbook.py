"""How every workbook we write is laid out, so it prints right in Excel, WPS and LibreOffice alike.

report.xlsx and departments/*.xlsx both size their columns and rows here, from the text each cell
will show: numbers as formatted (`#,##0.00` with 千分位), CJK and full-width characters counted
double, bold a tenth wider. Wrapped cells get the row height their line count needs, because
LibreOffice and WPS do not fit rows themselves (Excel does, when it opens a file). Every sheet prints
on A4, one page wide, with the title, 期间 and 单位：万元 in the page header and 第 N 页 共 M 页 and
制表日期 in the footer.

Units: a column width is in Excel character units (the width of a digit of the default font); a
10-point CJK character takes about two. Row heights are points; CJK fonts (Noto Sans CJK, SimSun)
need about 1.45 line heights per point of font size, so a 10-point line is given 15 points.
"""

from __future__ import annotations

import math
from itertools import islice
from dataclasses import dataclass
from decimal import Decimal

from pipeline.report.measure import BOLD, CELL_PADDING, WRAP_CJK, line_count, text_width  # noqa: F401

MONEY = "#,##0.00"
MONEY_EXACT = "#,##0.00####"       # a difference: 0.0001 shows as 0.0001, never as 0.00
COUNT = "#,##0"
FONT = "宋体"
FONT_SIZE = 10
LINE_POINTS = 15.0                 # one line of 10-point CJK text, with the font's own leading
ROW_PADDING = 3.0                  # points above and below the text
MAX_ROW_POINTS = 409.0             # the tallest row Excel allows
FOOTER = "&L制表日期：{made}&C第 &P 页 共 &N 页&R&A"
HEADER = "&L{title}&C期间：{period}&R单位：万元"


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: str = "text"             # text | wrap (long text) | short (a word) | small (8 pt) | money | count | number
    cap: float | None = None       # the widest this column may be (character units); None: the kind's cap


# how wide a column of each kind may grow before its text wraps (character units), and its narrowest
WIDTH_CAP = {"text": 30, "wrap": 40, "short": 12, "small": 30, "money": 16, "money_exact": 18, "count": 10,
             "number": 12}
MIN_WIDTH = {"wrap": 20, "money": 10, "money_exact": 10, "count": 6, "short": 6, "text": 8, "small": 10,
             "number": 6}
WRAPPED = {"text", "wrap", "small"}
KEPT_TEXTS = 4096                  # texts whose line counts a RowFit keeps per column
SMALL = 0.8                        # an 8-point character is 0.8 the width of a 10-point one


def shown(value: object, kind: str = "text") -> str:
    """The text a cell shows: amounts with 千分位 and two decimals, counts with 千分位."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        if kind == "money":
            return f"{value:,.2f}"
        if kind == "money_exact":
            text = f"{value:,.6f}".rstrip("0")
            return text if len(text.split(".")[1]) >= 2 else f"{value:,.2f}"
        if kind == "count":
            return f"{value:,.0f}"
        return f"{value:,}" if isinstance(value, int) else f"{value}"
    return str(value)


def row_points(lines: int, font_size: float = FONT_SIZE) -> float:
    """The height a row of `lines` lines needs."""
    return min(lines * LINE_POINTS * font_size / FONT_SIZE + ROW_PADDING, MAX_ROW_POINTS)


def column_widths(columns: list[Column], rows, *, bold_rows: set[int] = frozenset(),
                  total: list | None = None) -> list[float]:
    """Each column as wide as its widest shown value (and its header on at most two lines), up to its cap.
    `rows` is read once, in order (a generator will do); `total`, when given, is one more row, in bold."""
    needs, done = [], []
    for column in columns:
        header = text_width(column.header, bold=True)
        # a header may wrap onto two lines, but never breaks a word of two CJK characters apart
        needs.append(min(header, max(header / 2 + 2, 4.5)) if column.kind in WRAPPED else header)
        done.append(False)
    seen = [set() for _ in columns]    # texts measured already (not bold): the same text is as wide again
    if bold_rows:
        for r, row in enumerate(rows):
            _measure_row(columns, row, needs, done, seen, r in bold_rows)
    else:
        rows = iter(rows)
        while chunk := list(islice(rows, CHUNK_ROWS)):
            _measure_chunk(columns, chunk, needs, done, seen)
    if total is not None:
        _measure_row(columns, total, needs, done, seen, True)
    widths = []
    for column, need in zip(columns, needs):
        header = text_width(column.header, bold=True)
        cap = column.cap or WIDTH_CAP[column.kind]
        if column.kind not in WRAPPED:
            need = max(need, header / 2 + 1)   # a numeric column's header wraps; its numbers never
            widths.append(round(max(need + CELL_PADDING, MIN_WIDTH[column.kind]), 1))
        else:
            widths.append(round(min(max(need + CELL_PADDING, MIN_WIDTH[column.kind]), cap), 1))
    return widths


def _measure_row(columns: list[Column], row: list, needs: list[float], done: list[bool], seen: list[set],
                 bold: bool) -> None:
    for c, (column, value) in enumerate(zip(columns, row)):
        if done[c] or value is None or value == "":
            continue
        kind = column.kind
        text = value if value.__class__ is str else shown(value, kind)
        wrapped = kind in WRAPPED
        scale = SMALL if kind == "small" else 1.0
        if (wrapped or not bold) and len(text) * 2 * scale <= needs[c]:
            continue                   # no character is wider than 2: this text cannot widen the column
        if not bold:
            if text in seen[c]:
                continue
            seen[c].add(text)
        width = max(text_width(line, bold=bold) for line in text.split("\n")) * scale
        if width > needs[c]:
            needs[c] = width
        if wrapped and needs[c] >= (column.cap or WIDTH_CAP[kind]):
            done[c] = True


CHUNK_ROWS = 1024                  # rows a column's distinct values are taken from at a time


def _measure_chunk(columns: list[Column], chunk: list[list], needs: list[float], done: list[bool],
                   seen: list[set]) -> None:
    """`_measure_row` over rows of one length, column by column over each column's distinct values: a
    width is the widest of them whatever their order. Values are told apart by class as well (1, 1.0
    and True are equal but shown differently); a column holding a float zero (0.0 and -0.0 are equal
    too) is measured row by row."""
    if len(set(map(len, chunk))) != 1:
        for row in chunk:
            _measure_row(columns, row, needs, done, seen, False)
        return
    for c, (column, values) in enumerate(zip(columns, zip(*chunk))):
        if done[c]:
            continue
        distinct = set(zip(map(type, values), values))
        if (float, 0.0) in distinct:
            for value in values:
                _measure_value(column, c, value, needs, done, seen)
            continue
        for _, value in distinct:
            _measure_value(column, c, value, needs, done, seen)
            if done[c]:
                break


def _measure_value(column: Column, c: int, value, needs: list[float], done: list[bool], seen: list[set]) -> None:
    """One value of column `c`, not bold (as `_measure_row`)."""
    if done[c] or value is None or value == "":
        return
    kind = column.kind
    text = value if value.__class__ is str else shown(value, kind)
    scale = SMALL if kind == "small" else 1.0
    if len(text) * 2 * scale <= needs[c] or text in seen[c]:
        return
    seen[c].add(text)
    width = max(text_width(line) for line in text.split("\n")) * scale
    if width > needs[c]:
        needs[c] = width
    if kind in WRAPPED and needs[c] >= (column.cap or WIDTH_CAP[kind]):
        done[c] = True


class RowFit:
    """Lines the tallest wrapped cell of a row needs, for rows of one table (columns and widths set).
    Each column keeps the lines of the texts it measured (up to KEPT_TEXTS of them, then starts again):
    a department's or a project's name repeats row after row, a level-2 indicator's few names alternate."""

    def __init__(self, columns: list[Column], widths: list[float], *, bold: bool = False):
        self.bold = bold
        self.wrapped = []
        for c, (column, width) in enumerate(zip(columns, widths)):
            if column.kind in WRAPPED:
                scaled = width / (SMALL if column.kind == "small" else 1.0)
                room = round(max(scaled - CELL_PADDING, 1.0) / (BOLD if bold else 1.0) * 10, 9)
                # a text of at most this many characters fits one line whatever they are (line_count)
                self.wrapped.append((c, width, scaled, room // round(10 * WRAP_CJK)))
        self.known = [{} for _ in self.wrapped]

    def lines(self, row: list) -> int:
        lines = 1
        for n, (c, width, scaled, one_line) in enumerate(self.wrapped):
            value = row[c] if c < len(row) else None
            if value.__class__ is str and (2 * len(value) + 2 > width or "\n" in value):
                if len(value) <= one_line and "\n" not in value:
                    continue
                known = self.known[n]
                count = known.get(value)
                if count is None:
                    if len(known) >= KEPT_TEXTS:
                        known.clear()
                    count = known[value] = line_count(value, scaled, bold=self.bold)
                if count > lines:
                    lines = count
        return lines


def row_lines(columns: list[Column], row: list, widths: list[float], *, bold: bool = False) -> int:
    """Lines the tallest wrapped cell of a row needs."""
    return RowFit(columns, widths, bold=bold).lines(row)


def header_lines(columns: list[Column], widths: list[float]) -> int:
    return max(line_count(c.header, w, bold=True) for c, w in zip(columns, widths))


def write_header(sheet, style, row: int, columns: list[Column], widths: list[float]) -> None:
    """A table's header band at `row`: every column's header in `style`, as tall as its longest wraps."""
    sheet.write_row(row, 0, [c.header for c in columns], style)
    sheet.set_row(row, row_points(header_lines(columns, widths)))


def fit_rows(sheet, columns: list[Column], rows: list[list], widths: list[float], first_row: int,
             *, bold: bool = False) -> None:
    """Give every row with wrapped text the height it needs: Excel fits rows when it opens a file, but
    LibreOffice and WPS keep one line and cut the text, on screen and on paper. (In constant_memory
    mode only rows not yet passed: call before writing them.)"""
    fit = RowFit(columns, widths, bold=bold)
    for r, row in enumerate(rows, start=first_row):
        lines = fit.lines(row)
        if lines > 1:
            sheet.set_row(r, row_points(lines))


def print_setup(sheet, *, title: str, period: str, made: str, header_row: int | None,
                landscape: bool = True, gridlines: bool = True) -> None:
    """A4, one page wide, the header row repeated on every page, title/期间/单位 above, pages and 制表日期 below."""
    if landscape:
        sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    if header_row is not None:
        sheet.repeat_rows(header_row)
    sheet.set_header(HEADER.format(title=_escape(title), period=period))
    sheet.set_footer(FOOTER.format(made=made))
    sheet.hide_gridlines(0 if gridlines else 1)
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.7)


HEADER_TITLE_CHARS = 60            # Excel allows 255 characters for the whole page header


def _escape(text: str) -> str:
    """`&` starts a control code in a page header; a very long title is cut to fit it."""
    if len(text) > HEADER_TITLE_CHARS:
        text = text[:HEADER_TITLE_CHARS - 1] + "…"
    return text.replace("&", "&&")


def base_format() -> dict:
    return {"valign": "top", "font_name": FONT, "font_size": FONT_SIZE}


def total_width(widths: list[float]) -> float:
    return math.fsum(widths)
