"""Control figures (控制数): each department's approved budget, and the findings that hold totals to them.

A controls file is .xlsx/.xls/.ods (first sheet with the columns) or .csv/.txt/.tsv with the columns
部门名称 and 控制数, in 万元 unless a `单位：元` / `单位：千元` line above the header (or `控制数（元）` in
the header) says otherwise. A file that cannot be used is a `UsageError`: a run against wrong control
figures would be worse than no run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.findings import Finding, finding
from pipeline.vocabulary import MONEY_UNIT_NAMES
from pipeline.model import ZERO, Department, Source, department_key
from pipeline.read.discover import TABLE_SUFFIXES
from pipeline.money import (MAX_FIGURE, BadAmount, implausible_figure, parse_amount, parse_money_unit, show,
                            to_wanyuan)
from pipeline.read.sheets import ReadError, Sheet, read_sheets

_SKIPPED_NAMES = {"合计", "总计", "小计"}
_HEADER_UNIT = re.compile(rf"[（(]\s*({MONEY_UNIT_NAMES})\s*[)）]")


@dataclass(frozen=True, slots=True)
class ControlFigure:
    department: str
    amount: Decimal          # 万元
    source: Source           # the 控制数 cell


@dataclass(frozen=True, slots=True)
class Controls:
    file: str                # as findings name it: the file's name
    figures: dict[str, ControlFigure]   # normalised department name -> figure

    def get(self, department: str) -> ControlFigure | None:
        return self.figures.get(department_key(department))


def read_controls(path: Path) -> Controls:
    if not path.is_file():
        raise UsageError(f"找不到控制数文件 {path}。请检查路径。")
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise UsageError(f"控制数文件 {path} 的格式不支持：请使用 .xlsx 或 .csv，列为「部门名称」和「控制数」。")
    try:
        sheets = read_sheets(path)
    except (ReadError, OSError) as exc:
        raise UsageError(f"控制数文件 {path} 无法读取：{exc}。") from None
    sheet = next((s for s in sheets if _header(s) is not None), sheets[0] if sheets else Sheet("", []))
    return _figures(path, sheet)


def _text(value: object) -> str:
    return "" if value is None else department_key(str(value))


def _header(sheet: Sheet) -> tuple[int, int, int] | None:
    """(row index, 部门名称 column, 控制数 column) of the header row, or None."""
    for r, row in enumerate(sheet.rows):
        texts = [_text(v) for v in row]
        name_col = next((c for c, t in enumerate(texts) if t in ("部门名称", "部门", "单位名称")), None)
        amount_col = next((c for c, t in enumerate(texts) if t.startswith("控制数")), None)
        if name_col is not None and amount_col is not None:
            return r, name_col, amount_col
    return None


def _figures(path: Path, sheet: Sheet) -> Controls:
    header = _header(sheet)
    if header is None:
        raise UsageError(f"控制数文件 {path} 中没有找到表头：需要一行含「部门名称」和「控制数」两列。")
    head, name_col, amount_col = header
    unit = "万元"
    for row in sheet.rows[:head]:
        unit = next((u for u in (parse_money_unit(_text(v)) for v in row) if u), unit)
    named = _HEADER_UNIT.search(str(sheet.rows[head][amount_col]))
    unit = named.group(1) if named else unit
    figures: dict[str, ControlFigure] = {}
    for r in range(head + 1, len(sheet.rows)):
        row = sheet.rows[r]
        name = str(row[name_col]).strip() if name_col < len(row) and row[name_col] is not None else ""
        raw = row[amount_col] if amount_col < len(row) else None
        if not name or _text(name) in _SKIPPED_NAMES:
            continue
        source = Source(path.name, sheet.name, r + 1, amount_col)
        if raw is None or str(raw).strip() == "":
            raise UsageError(f"控制数文件 {path} 第 {r + 1} 行部门「{name}」没有填写控制数。请补填或删去该行。")
        try:
            amount = to_wanyuan(parse_amount(raw), unit)
        except BadAmount:
            raise UsageError(f"控制数文件 {path} 第 {r + 1} 行（单元格 {source.cell}）部门「{name}」的控制数"
                             f"「{raw}」不是金额。请填写数字，如 308.00。") from None
        if implausible_figure(amount):
            raise UsageError(f"控制数文件 {path} 第 {r + 1} 行（单元格 {source.cell}）部门「{name}」的控制数"
                             f"「{raw}」{'' if unit == '万元' else unit}超过 {show(MAX_FIGURE)} 万元，不是可信的控制数"
                             f"（单位是否写错，或误填了编码？）。请改正后重新运行。")
        key = department_key(name)
        if key in figures:
            raise UsageError(f"控制数文件 {path} 中部门「{name}」出现了两次（第 {figures[key].source.row} 行和"
                             f"第 {r + 1} 行）。每个部门只能有一个控制数。")
        figures[key] = ControlFigure(name, amount, source)
    if not figures:
        raise UsageError(f"控制数文件 {path} 的表头下没有任何部门。请每行填写一个部门名称和控制数。")
    return Controls(path.name, figures)


def control_totals(departments: list[Department], controls: Controls | None) -> dict[str, Decimal]:
    """Department name -> its control figure, for run.json (departments without one are left out)."""
    if controls is None:
        return {}
    return {d.name: figure.amount for d in departments if (figure := controls.get(d.name)) is not None}


def check_controls(departments: list[Department], controls: Controls) -> list[Finding]:
    """control_total_mismatch, no_control_figure and missing_submission."""
    findings: list[Finding] = []
    totals: dict[str, Decimal] = {}
    first: dict[str, Department] = {}
    incomplete: set[str] = set()
    for d in departments:  # a department read from several sheets is held to its figure as a whole
        key = department_key(d.name)
        totals[key] = totals.get(key, ZERO) + d.total
        first.setdefault(key, d)
        if d.incomplete:
            incomplete.add(key)
    for key, d in first.items():
        figure = controls.figures.get(key)
        cell = d.declared_source.cell if d.declared_source else None
        if figure is None:
            findings.append(finding("no_control_figure", file=d.file, sheet=d.sheet or None, cell=cell,
                                    department=d.name, controls_file=controls.file))
            continue
        difference = totals[key] - figure.amount
        if key in incomplete:
            continue  # a total that lacks an unreadable amount (bad_amount) cannot be held to the figure
        if difference:
            findings.append(finding(
                "control_total_mismatch", file=d.file, sheet=d.sheet or None, cell=cell, department=d.name,
                total=totals[key], control=figure.amount, difference=difference, controls_file=controls.file,
                controls_row=figure.source.row))
    for key, figure in controls.figures.items():
        if key not in first:
            findings.append(finding(
                "missing_submission", file=controls.file, sheet=figure.source.sheet or None, cell=figure.source.cell,
                department=figure.department, control=figure.amount))
    return findings


def check_expected_total(total: Decimal, expected: Decimal, *, file: str, incomplete: bool = False) -> list[Finding]:
    """expected_total_mismatch: the grand total against `--expect-total` (not when the total lacks an
    amount that could not be read: the bad_amount error already says so)."""
    difference = total - expected
    if not difference or incomplete:
        return []
    return [finding("expected_total_mismatch", file=file, total=total, expected=expected, difference=difference)]
