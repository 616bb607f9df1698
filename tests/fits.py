"""Does every written cell's text fit its cell? Read back with openpyxl and measured as a viewer shows it."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl

from pipeline.report.workbook import FONT_SIZE, LINE_POINTS, line_count, shown, text_width

DEFAULT_ROW = 15.0                 # xlsxwriter's default row height, in points
DEFAULT_COLUMN = 8.43


def _kind(number_format: str) -> str:
    return {"#,##0.00": "money", "#,##0.00####": "money_exact", "#,##0": "count"}.get(number_format, "text")


def misfits(path: Path) -> list[str]:
    """`sheet!B7: why` for every cell whose text would be cut, wrapped into too short a row, or shown as ###."""
    problems = []
    workbook = openpyxl.load_workbook(path, data_only=True)    # a formula shows its cached value
    for ws in workbook:
        # openpyxl keeps one dimension for a run of equally wide columns (min..max)
        widths = {c: dim.width for dim in ws.column_dimensions.values() if dim.min
                  for c in range(dim.min, dim.max + 1)}
        merged = {}
        for area in ws.merged_cells.ranges:
            merged[(area.min_row, area.min_col)] = (area.max_row, area.max_col)
        covered = {(r, c) for (r0, c0), (r1, c1) in merged.items() for r in range(r0, r1 + 1)
                   for c in range(c0, c1 + 1) if (r, c) != (r0, c0)}
        area = ws.print_area
        area = area[0] if isinstance(area, (list, tuple)) else area
        # the 汇总 chart's data block lies outside the print area: only what prints is held to fit
        last_row = int(re.findall(r"\d+", area)[-1]) if area else ws.max_row
        for row in ws.iter_rows(max_row=last_row):
            for cell in row:
                if cell.value is None or cell.value == "" or (cell.row, cell.column) in covered:
                    continue
                r1, c1 = merged.get((cell.row, cell.column), (cell.row, cell.column))
                width = sum(widths.get(c) or DEFAULT_COLUMN for c in range(cell.column, c1 + 1))
                height = sum(ws.row_dimensions[r].height or DEFAULT_ROW for r in range(cell.row, r1 + 1))
                problem = _misfit(cell, width, height)
                if problem:
                    problems.append(f"{ws.title}!{cell.coordinate}: {problem}")
    return problems


def _misfit(cell, width: float, height: float) -> str | None:
    size = cell.font.sz or FONT_SIZE
    scale = size / FONT_SIZE
    bold = bool(cell.font.b)
    text = shown(cell.value, _kind(cell.number_format))
    if cell.alignment.wrap_text and isinstance(cell.value, str):
        lines = line_count(text, width / scale, bold=bold)
        need = lines * LINE_POINTS * scale
        if need > height + 0.01:
            return f"{lines} lines need {need:.0f} pt, the row has {height:.0f} ({text[:30]!r})"
        return None
    need = max(text_width(line, bold=bold) for line in text.split("\n")) * scale
    if need > width + 0.01:
        shown_as = "###" if not isinstance(cell.value, str) else "cut"
        return f"{shown_as}: needs {need:.1f} units, the column has {width:.1f} ({text[:30]!r})"
    if size > FONT_SIZE and size * 1.45 > height + 0.01:
        return f"a {size}-point line needs {size * 1.45:.0f} pt, the row has {height:.0f}"
    return None
