"""Texts longer than an Excel cell can hold (32,767 characters): one `text_too_long` finding each.

Computed once from the batch, before any writer runs: the CSV files keep the full text, and the
workbooks (report.xlsx, departments/*.xlsx) write it shortened, saying so in the cell.
"""

from __future__ import annotations

from pipeline.excel_cell import EXCEL_CELL_CHARS, pack_indicators
from pipeline.findings import Finding, finding
from pipeline.model import Department, Project


def texts_too_long(departments: list[Department]) -> list[Finding]:
    findings = []
    for department in departments:
        for project in department.projects:
            for label, text, field in _texts(project):
                if len(text) > EXCEL_CELL_CHARS:
                    findings.append(_finding(department, project, label, text, field))
            for indicator in project.indicators:     # 40,000 at N = 500: labels made for a finding only
                for label, text in (("指标名称", indicator.name), ("实施周期指标值", indicator.period_value),
                                    ("年度指标值", indicator.annual_value)):
                    if len(text) > EXCEL_CELL_CHARS:
                        findings.append(_finding(department, project, f"第 {indicator.seq} 条指标的{label}", text,
                                                 None))
    return findings


def _texts(project: Project):
    yield "项目名称", project.name, "name"
    yield "绩效目标", project.goal, "goal"
    if packed_length_bound(project.indicators) > EXCEL_CELL_CHARS:      # else it cannot be too long
        yield "绩效指标（合并为一格）", pack_indicators(project.indicators), "indicators"


# `pack_indicators` adds to an item's seven texts its number, two dashes and 19 characters of labels
# and punctuation: 32 is more than that for any number below 10^10 (tests/review/test_cell_length.py)
_PACKED_ITEM_EXTRA = 32


def packed_length_bound(indicators) -> int:
    """At least the length of `pack_indicators(indicators)`, without making the text."""
    return sum(len(i.level1_code) + len(i.level1) + len(i.level2_code) + len(i.level2) + len(i.name) +
               len(i.period_value) + len(i.annual_value) + _PACKED_ITEM_EXTRA for i in indicators)


def _finding(department: Department, project: Project, label: str, text: str, field: str | None) -> Finding:
    col = project.columns.get(field) if field else None
    source = project.source.at(col) if col is not None else project.source
    return finding("text_too_long", file=source.file, sheet=source.sheet or None, cell=source.cell,
                   department=department.name, project=project.name, label=label, length=len(text),
                   limit=EXCEL_CELL_CHARS)
