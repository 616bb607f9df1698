"""How a finding's raw parameter is shown in its message: the specs of `messages.MESSAGES`' templates.

`FORMATS[spec]` takes the value, the text after `=` in the spec (`{hidden:if=隐藏的|}`) and every
parameter of the finding (a few formats read a second one: `in_unit` the table's `unit`), and returns
the text. Money is shown in people's format (`money.py`), never formatted before it gets here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pipeline.money import fmt_exact, show, show_exact, show_in_unit
from pipeline.vocabulary import MONEY_COLUMNS

# a spending unit's, a project's or a 合计/小计 row's name in a message about one of its cells
ROW_LABELS = {"total": "合计行", "page_total": "本页合计行", "subtotal": "小计行", "unit": "资金使用单位「{}」",
              "project": "项目「{}」"}
# the money lines of a per-project form's 资金情况 block
FORM_PARTS = {"fiscal": "财政拨款", "special_account": "财政专户资金", "other": "其他资金"}


def _if(value, spec: str, params: Mapping) -> str:
    yes, _, no = spec.partition("|")
    return yes if value else no


def _row_label(value, spec: str, params: Mapping) -> str:
    return ROW_LABELS[value].format(params.get("row_name") or "")


def _suggest(units, spec: str, params: Mapping) -> str:
    """`，如「3天」、「3个」或「3次」`: the units that would pass, each after the number written."""
    operator = params["operator"]
    number = f"{operator if operator != '=' else ''}{params['target']}"
    shown = [f"「{number}{unit}」" for unit in units]
    if not shown:
        return ""
    return f"，如{'、'.join(shown[:-1])}{'或' if len(shown) > 1 else ''}{shown[-1]}"


def _cells(period_cell, spec: str, params: Mapping) -> str:
    annual_cell = params.get("annual_cell")
    if period_cell == annual_cell:
        return ""
    return f"（实施周期指标值在单元格 {period_cell}，年度指标值在单元格 {annual_cell}）"


def _level_problems(belongs_to, spec: str, params: Mapping) -> str:
    """What is wrong with an indicator's levels: a level 2 under another level 1, codes the code map names
    otherwise (`level1_code` `mapped1`, `level2_code` `mapped2`)."""
    def coded(level: int) -> str:
        code, name = params[f"level{level}_code"], params[f"level{level}"]
        return f"{code}-{name}" if code else name

    problems = []
    if belongs_to is not None:
        problems.append(f"二级指标「{coded(2)}」不属于一级指标「{coded(1)}」，应归入{belongs_to}")
    for level, rank in ((1, "一"), (2, "二")):
        if params[f"mapped{level}"] is not None:
            problems.append(f"{rank}级指标编码 {params[f'level{level}_code']} 在编码表中是「{params[f'mapped{level}']}」，"
                            f"表中却写作「{params[f'level{level}']}」")
    return "；".join(problems)


def _sheet_differences(kept_total, spec: str, params: Mapping) -> str:
    """duplicate_sheet: how the copy differs from the sheet kept (its total, the projects it adds, lacks
    or gives other amounts), or that it is the same."""
    kept_sheet, copy_total = params["kept_sheet"], params["copy_total"]
    parts = []
    if kept_total != copy_total:
        parts.append(f"项目合计 {fmt_exact(copy_total)} 万元（「{kept_sheet}」为 {fmt_exact(kept_total)} 万元，"
                     f"相差 {fmt_exact(copy_total - kept_total)} 万元）")
    for label, name in (("多出项目", "extra_projects"), ("缺少项目", "missing_projects"),
                        ("金额不同的项目", "changed_projects")):
        if params[name] is not None:
            parts.append(f"{label}{params[name]}")
    if not parts:
        return f"{params['copy_projects']} 个项目及其金额与「{kept_sheet}」完全相同"
    return f"与「{kept_sheet}」相比，{'；'.join(parts)}"


# spec -> how a raw value is shown: (value, the text after `=` in the spec, every parameter) -> text
FORMATS: dict[str, Callable[[object, str, Mapping], str]] = {
    "exact": lambda v, s, p: fmt_exact(v),
    "show": lambda v, s, p: show(v),
    "show_exact": lambda v, s, p: show_exact(v),
    "abs_exact": lambda v, s, p: show_exact(abs(v)),
    "direction": lambda v, s, p: "超出" if v > 0 else "少于",
    "in_unit": lambda v, s, p: show_in_unit(v, p["unit"], exact=True),
    "in_unit_cents": lambda v, s, p: show_in_unit(v, p["unit"]),
    "thousands": lambda v, s, p: f"{v:,}",
    "column": lambda v, s, p: MONEY_COLUMNS[v],
    "form_part": lambda v, s, p: FORM_PARTS[v],
    "row_label": _row_label,
    "where": lambda v, s, p: f"单元格 {v}" if v else "",
    "paren_where": lambda v, s, p: f"（单元格 {v}）" if v else "",
    "if": _if,
    "or": lambda v, s, p: v or s,
    "q_or": lambda v, s, p: f"「{v}」" if v else s,
    "qs_or": lambda v, s, p: f"「{v}」" if v.strip() else s,
    "q_like": lambda v, s, p: f"，如「{v}」" if v is not None else s,
    "rank": lambda v, s, p: "一" if v == 1 else "二",
    "operator": lambda v, s, p: "" if v == "=" else v,
    "clip40": lambda v, s, p: v if len(v) <= 40 else v[:40] + "…",
    "suggest": _suggest,
    "misread": lambda v, s, p: f"；如原意是「≥{v}%」，是「≥」被误录成了「2」" if v is not None else "",
    "degenerate": lambda v, s, p: "只能等于 100%" if v == "≥" else "不可能达到",
    "cells": _cells,
    "level_problems": _level_problems,
    "sheet_differences": _sheet_differences,
    "agreed": lambda v, s, p: (f"（一年期项目写成相同的值，如都写「{v}」）" if v is not None
                               else "：请把两处改为同一个带单位、可达到的目标值"),
}
