"""The checks a reviewer makes on a per-project form (shared/forms.md), beyond the table's rules.

Money: the annual total equals its parts, each 小计 its items, and annual money never exceeds the
whole-period money (and equals it for a project inside one year; a cumulative total is never compared
with an annual one for equality otherwise). Goals: a multi-year project has a period goal; identical
period and annual goals are an info (an empty annual goal is the table's `empty_goal`). Indicators:
every 三级 has a value; a 时效 date falls inside the project period. Period: start ≤ end.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pipeline.findings import Finding
from pipeline.model import Department, Project
from pipeline.message_formats import FORM_PARTS
from pipeline.read.form_header import month_tokens
from pipeline.vocabulary import base
from pipeline.review.reconcile import Check
from pipeline.review.rules.kit import project_finding
from pipeline.settings import Settings
from pipeline.text import compact

FormRule = Callable[[Project, Settings], list[Finding]]


def review_forms(departments: list[Department], settings: Settings) -> list[Finding]:
    return [f for d in departments for p in d.projects if p.layout == "form" for rule in FORM_RULES
            for f in rule(p, settings)]


def _cell(project: Project, *fields: str) -> str:
    for name in fields:
        if name in project.cells:
            return project.cells[name].cell
    return project.source.cell


def _annual_sum(project: Project) -> tuple[Decimal, Decimal] | None:
    """(parts, total) when the total is printed with at least one part line and every amount was read."""
    amounts = project.amounts
    parts = (amounts.fiscal, amounts.special_account, amounts.other)
    printed = project.cells.keys() & {"fiscal", "special_account", "other"}
    if "total" not in project.cells or not printed or amounts.total is None or None in parts:
        return None
    return sum(parts), amounts.total


def _subtotals(project: Project) -> list[tuple[str, Decimal, Decimal]]:
    """(field, sum of the printed items, the 小计 line) for every 小计 printed with its items."""
    return [(name, items, getattr(project.amounts, name)) for name, items in project.item_sums.items()
            if getattr(project.amounts, name) is not None]


def annual_parts(project: Project, settings: Settings) -> list[Finding]:
    """年度资金总额 = 财政拨款 + 财政专户 + 其他资金, when the total is printed and every part was read."""
    pair = _annual_sum(project)
    if pair is None or pair[0] == pair[1]:
        return []
    summed, total = pair
    cell = _cell(project, "total")
    return [project_finding("form_sum_mismatch", project, cell, total=total, parts=summed)]


def subtotals(project: Project, settings: Settings) -> list[Finding]:
    """(一)财政拨款小计 = 一般公共预算 + 政府性基金 + 国有资本经营预算; (二)自有资金小计 = its items."""
    findings = []
    for name, items, line in _subtotals(project):
        if line != items:
            cell = _cell(project, name)
            findings.append(project_finding("form_subtotal_mismatch", project, cell, part=name, subtotal=line,
                                            items=items))
    return findings


def form_checks(departments: list[Department]) -> list[Check]:
    """The money checks made on forms, passed or not, for the 核对 sheet and `reconciled`."""
    checks = []
    for department in departments:
        for p in department.projects:
            if p.layout != "form":
                continue
            src = p.source
            pair = _annual_sum(p)
            if pair is not None:
                checks.append(Check(department.name, f"项目「{p.name}」申报表的年度资金总额与各项之和", pair[0], pair[1],
                                    src.file, src.sheet, _cell(p, "total"), pair[0] == pair[1], "form_sum_mismatch"))
            for name, items, line in _subtotals(p):
                checks.append(Check(department.name, f"项目「{p.name}」申报表的{FORM_PARTS[name]}小计与其各项", items, line,
                                    src.file, src.sheet, _cell(p, name), items == line, "form_subtotal_mismatch",
                                    column=name))
    return checks


def within_one_year(project: Project) -> bool:
    return bool(project.period_start and project.period_end) and project.period_start[:4] == project.period_end[:4]


def multi_year(project: Project) -> bool:
    return bool(project.period_start and project.period_end) and project.period_start[:4] < project.period_end[:4]


def period_money(project: Project, settings: Settings) -> list[Finding]:
    annual, whole = project.amounts.total, project.period_total
    if annual is None or whole is None:
        return []
    cell = _cell(project, "period_total")
    if annual > whole:
        return [project_finding("form_annual_exceeds_period", project, cell, annual=annual, whole=whole)]
    if within_one_year(project) and annual != whole:
        return [project_finding("form_period_total_mismatch", project, cell, annual=annual, whole=whole,
                                start=project.period_start, end=project.period_end)]
    return []


def goals(project: Project, settings: Settings) -> list[Finding]:
    if multi_year(project) and not project.period_goal.strip():
        cell = _cell(project, "period_goal", "goal")
        return [project_finding("form_missing_period_goal", project, cell, start=project.period_start,
                                end=project.period_end)]
    if project.period_goal and compact(project.period_goal) == compact(project.goal):
        cell = _cell(project, "period_goal")
        return [project_finding("form_same_goals", project, cell)]
    return []


def values_present(project: Project, settings: Settings) -> list[Finding]:
    return [project_finding("form_missing_value", project, i.source.cell, indicator=i.name)
            for i in project.indicators if not i.annual_value.strip() and not i.period_value.strip()]


def period_order(project: Project, settings: Settings) -> list[Finding]:
    if project.period_start and project.period_end and project.period_start > project.period_end:
        cell = _cell(project, "period", "start")
        return [project_finding("form_period_reversed", project, cell, start=project.period_start,
                                end=project.period_end)]
    return []


def timely_dates(project: Project, settings: Settings) -> list[Finding]:
    """A 时效 indicator's value (`2023年6月底前完成`) names a month inside the project period."""
    if not (project.period_start and project.period_end) or project.period_start > project.period_end:
        return []
    findings = []
    for indicator in project.indicators:
        if base(indicator.level2) != "时效":
            continue
        for month, _ in month_tokens(indicator.annual_value):
            if not project.period_start <= month <= project.period_end:
                findings.append(project_finding(
                    "form_date_outside_period", project, indicator.source.cell, indicator=indicator.name,
                    month=month, value=indicator.annual_value, start=project.period_start, end=project.period_end))
                break
    return findings


FORM_RULES: tuple[FormRule, ...] = (annual_parts, subtotals, period_money, goals, values_present, period_order,
                                    timely_dates)
