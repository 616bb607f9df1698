"""Review rules on target values: vague, unitless, out-of-range, template leftovers, contradictions.

Each rule takes a project, one of its indicators and the settings and returns findings. When the
实施周期 and 年度 values are the same they are checked once; when they differ, each is checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from pipeline.findings import Finding
from pipeline.review.framework import example_value, implies_number, is_rate, says_what_it_counts
from pipeline.read.indicators import QUALITATIVE, QUANTITATIVE, Target, parse_range, parse_target
from pipeline.model import Indicator, Project
from pipeline.review.rules.kit import (Value, indicator_finding, one_value, period_target, project_finding,
                                       stored_target, written_values)
from pipeline.settings import Settings

HUNDRED = Decimal("100")
_UP, _DOWN = {"≥", ">", "="}, {"≤", "<"}


def vague_target(project: Project, indicator: Indicator, settings: Settings) -> list[Finding]:
    """A vague qualitative value (及时, 稳步提高 …) where the name promises a number (…率, …人数, …量)."""
    if not implies_number(indicator.name) or one_value(indicator) and indicator.kind != QUALITATIVE:
        return []
    findings = []
    for value in written_values(indicator):
        if value.target.kind != QUALITATIVE:
            continue
        words = [w for w in settings.vague_words if w in value.text]
        if not words:
            continue
        example = example_value(indicator.name)
        findings.append(indicator_finding(
            "vague_target", project, indicator, value.cell, value_label=value.label, value=value.text, word=words[0],
            example=example if passes(project, indicator, example, settings) else None))
    return findings


def missing_unit(project: Project, indicator: Indicator, settings: Settings) -> list[Finding]:
    """A number without a unit, unless the name says what it counts (`上访纯人数 ≤10`, `案件数`)."""
    if says_what_it_counts(indicator.name) or one_value(indicator) and (indicator.kind != QUANTITATIVE or indicator.unit):
        return []
    findings = []
    for value in written_values(indicator):
        if value.target.kind != QUANTITATIVE or value.target.unit:
            continue
        operator, target = value.target.operator, value.target.target
        number = f"{operator if operator != '=' else ''}{target}"     # the value as a trial value is written
        units = ("%",) if is_rate(indicator.name) else ("天", "个", "次")
        fitting = "".join(unit for unit in units if passes(project, indicator, f"{number}{unit}", settings))
        findings.append(indicator_finding(
            "missing_unit", project, indicator, value.cell, value_label=value.label, value=value.text,
            operator=operator, target=target, units=fitting))
    return findings


def _out_of_range(value: Value) -> bool:
    """A range (`85%-195%`) is read as its lower bound; its upper bound must be within 100% too."""
    target = value.target.target
    low, high = parse_range(value.text) or (target, target)
    return min(low, target) < 0 or max(high, target) > HUNDRED


def percent_range(project: Project, indicator: Indicator, settings: Settings) -> list[Finding]:
    """percent_out_of_range: a % target below 0 or above 100 (`292%` is often `≥92%` misread);
    degenerate_rate: `≥100%` can only mean 100%, `>100%` cannot be met."""
    if one_value(indicator) and (indicator.kind != QUANTITATIVE or indicator.unit != "%"):
        return []
    findings = []
    for value in written_values(indicator):
        t = value.target
        if t.kind != QUANTITATIVE or t.unit != "%":
            continue
        if _out_of_range(value):
            digits = str(t.target)
            misread = t.operator == "=" and re.fullmatch(r"2[1-9]\d?(\.\d+)?", digits)
            findings.append(indicator_finding(
                "percent_out_of_range", project, indicator, value.cell, value_label=value.label, value=value.text,
                meant=digits[1:] if misread else None))
        elif t.target == HUNDRED and t.operator in ("≥", ">"):
            findings.append(indicator_finding(
                "degenerate_rate", project, indicator, value.cell, value_label=value.label, value=value.text,
                operator=t.operator))
    return findings


# template placeholders: ≥**%, XX人 / ×× / ……, ★ (Latin words such as `Linux` are not placeholders)
LEFTOVER = re.compile(r"\*\*|(?<![A-Za-z])[XxＸｘ]{2,}(?![A-Za-z])|××|……|[★☆]")
# every placeholder LEFTOVER finds holds one of these characters (tests/review/rules/test_project.py)
_LEFTOVER_CHARS = re.compile(r"[*XxＸｘ×…★☆]")


def template_leftover(project: Project, indicator: Indicator, settings: Settings) -> list[Finding]:
    # nearly every indicator has no placeholder: one search for their characters over all five texts
    # (a sixth of the time of LEFTOVER's) rules that out
    if _LEFTOVER_CHARS.search("\n".join((indicator.level1, indicator.level2, indicator.name,
                                          indicator.period_value, indicator.annual_value))) is None:
        return []
    fields = [("一级指标", indicator.level1, None), ("二级指标", indicator.level2, None),
              ("指标名称", indicator.name, None),
              *((value.label, value.text, value) for value in written_values(indicator))]
    findings = []
    for label, text, where_written in fields:
        match = LEFTOVER.search(text or "")
        if match:
            cell = where_written and where_written.cell     # built for a finding only
            findings.append(indicator_finding(
                "template_leftover", project, indicator, cell, variant="indicator", label=label, text=text,
                placeholder=match.group()))
    return findings


def goal_template_leftover(project: Project, settings: Settings) -> list[Finding]:
    """Placeholders in the project's own name or 绩效目标."""
    findings = []
    for label, field, text in (("项目名称", "name", project.name), ("绩效目标", "goal", project.goal)):
        match = _LEFTOVER_CHARS.search(text or "") and LEFTOVER.search(text)
        if match:
            col = project.columns.get(field)
            cell = project.source.at(col).cell if col is not None else project.source.cell
            findings.append(project_finding("template_leftover", project, cell, variant="project", label=label,
                                            text=text, placeholder=match.group()))
    return findings


def _stricter(annual: Target, period: Target) -> bool:
    if annual.operator in _UP and period.operator in _UP:
        return annual.target > period.target
    if annual.operator in _DOWN and period.operator in _DOWN:
        return annual.target < period.target
    return False


def _multi_year(project: Project) -> bool:
    """A project runs longer than a year when some count's period target exceeds its annual one
    (`实施周期 ≥300宗`, `年度 ≥100宗`). The table says nothing else about the period's length."""
    for indicator in project.indicators:
        annual, period = stored_target(indicator), period_target(indicator)
        if (annual.kind == period.kind == QUANTITATIVE and annual.unit == period.unit != "%"
                and annual.operator in _UP and period.operator in _UP and period.target > annual.target):
            return True
    return False


def period_annual_conflict(project: Project, indicator: Indicator, settings: Settings) -> list[Finding]:
    if not indicator.period_value or not indicator.annual_value or indicator.period_value == indicator.annual_value:
        return []
    annual, period = stored_target(indicator), period_target(indicator)
    if annual.kind != QUANTITATIVE or period.kind != QUANTITATIVE:
        return []
    if annual.unit != period.unit:
        problem = {"problem": "units", "period_unit": period.unit, "annual_unit": annual.unit}
    elif {annual.operator, period.operator} & _UP - {"="} and {annual.operator, period.operator} & _DOWN:
        problem = {"problem": "direction", "period_operator": period.operator, "annual_operator": annual.operator}
    elif _stricter(annual, period) and not _multi_year(project):
        problem = {"problem": "stricter"}
    else:
        return []
    return [indicator_finding(
        "period_annual_conflict", project, indicator, indicator.annual_cell, period_value=indicator.period_value,
        annual_value=indicator.annual_value, period_cell=indicator.period_cell, annual_cell=indicator.annual_cell,
        agreed=_agreed_value(project, indicator, settings), **problem)]


def _agreed_value(project: Project, indicator: Indicator, settings: Settings) -> str | None:
    """The value both should take: one of the two as written that no other value rule rejects, never
    the one without a unit when the other has one; None when neither will do."""
    candidates = sorted({indicator.annual_value, indicator.period_value},
                        key=lambda text: (not parse_target(text).unit, text != indicator.annual_value))
    with_unit = any(parse_target(text).unit for text in candidates)
    for text in candidates:
        if (parse_target(text).unit or not with_unit) and passes(project, indicator, text, settings):
            return text
    return None


def passes(project: Project, indicator: Indicator, text: str, settings: Settings) -> bool:
    """Whether `text`, written as both values of the indicator, passes every value rule: advice must
    never propose a value that another rule would reject."""
    target = parse_target(text)
    trial = replace(indicator, period_value=text, annual_value=text, operator=target.operator,
                    target=target.target, unit=target.unit, kind=target.kind)
    return not any(rule(project, trial, settings) for rule in VALUE_RULES if rule is not period_annual_conflict)


def name_value_conflict(project: Project, indicator: Indicator, settings: Settings) -> list[Finding]:
    """The name embeds a target (`…达标率100%`) that the value contradicts (`≥98%`)."""
    embedded = parse_target(indicator.name)
    if embedded.kind != QUANTITATIVE or not embedded.unit:
        return []
    findings = []
    for value in written_values(indicator):
        t = value.target
        if t.kind != QUANTITATIVE or t.unit != embedded.unit:
            continue
        opposite = {t.operator, embedded.operator} & {"≥", ">"} and {t.operator, embedded.operator} & _DOWN
        if t.target != embedded.target or opposite:
            findings.append(indicator_finding(
                "name_value_conflict", project, indicator, value.cell, embedded_operator=embedded.operator,
                embedded_target=embedded.target, embedded_unit=embedded.unit, value_label=value.label,
                value=value.text))
    return findings


IndicatorRule = Callable[[Project, Indicator, Settings], list[Finding]]
VALUE_RULES: tuple[IndicatorRule, ...] = (vague_target, missing_unit, percent_range, template_leftover,
                                          period_annual_conflict, name_value_conflict)
