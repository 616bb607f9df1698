"""What one Excel cell holds: at most 32,767 characters, and the packed 绩效指标 cell as published.

The review reports a text longer than that (`text_too_long`, computed once from the batch) and the
workbook writers shorten it with `fit_cell`, which says in the cell that it is shortened; the CSV
files keep the full text. `pack_indicators` lives here because both need the packed cell's length.
"""

from __future__ import annotations

EXCEL_CELL_CHARS = 32_767
SHORTENED = "…（超出 Excel 单元格 32,767 字的上限，已截断，全文见 projects.csv 和 indicators.csv）"


def coded(code: str, name: str) -> str:
    return f"{code}-{name}" if code else name


def pack_indicators(indicators) -> str:
    """The packed 绩效指标 cell: `1、1-产出指标；12-质量指标；名称；实施周期指标值:…；年度指标值:…。`"""
    return "".join(
        f"{n}、{coded(i.level1_code, i.level1)}；{coded(i.level2_code, i.level2)}；{i.name}；"
        f"实施周期指标值:{i.period_value}；年度指标值:{i.annual_value}。"
        for n, i in enumerate(indicators, start=1)
    )


def fit_cell(value):
    """A value as a cell can hold it: a text over the limit is cut, at the end of an indicator or a line
    when one is near, and ends with SHORTENED; anything else is returned as it is."""
    if value.__class__ is not str or len(value) <= EXCEL_CELL_CHARS:
        return value
    cut = value[:EXCEL_CELL_CHARS - len(SHORTENED)]
    boundary = max(cut.rfind("。"), cut.rfind("\n"))
    if boundary >= len(cut) * 0.9:
        cut = cut[:boundary + 1]
    return cut + SHORTENED


def fit_row(row: list) -> list:
    """A row with every over-long text shortened (a copy only when one is)."""
    for v in row:                  # a plain loop: this runs once per row written, a generator costs more
        if v.__class__ is str and len(v) > EXCEL_CELL_CHARS:
            return [fit_cell(v) for v in row]
    return row
