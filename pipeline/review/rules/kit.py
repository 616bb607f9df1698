"""What every review rule needs: findings placed at a project or indicator, an indicator's level-1 group,
and its written values with their parsed targets."""

from __future__ import annotations

from typing import NamedTuple

from pipeline.findings import Finding, finding
from pipeline.review.framework import parent, resolve_level1, resolve_level2, shown
from pipeline.vocabulary import base
from pipeline.read.indicators import QUALITATIVE, Target, parse_target
from pipeline.model import Indicator, Project, Source
from pipeline.settings import Settings


def project_finding(code: str, project: Project, cell: str | None, **params) -> Finding:
    return finding(code, file=project.source.file, sheet=project.source.sheet or None, cell=cell,
                   department=project.department, project=project.name, **params)


def indicator_finding(code: str, project: Project, indicator: Indicator, cell: str | None = None,
                      **params) -> Finding:
    """A finding on an indicator (its name is the `indicator` parameter): at `cell` (a value's cell,
    `Value.cell`), else at its name's cell."""
    return project_finding(code, project, cell or indicator.source.cell, indicator=indicator.name, **params)


def project_cell(project: Project) -> str:
    """Where the project's indicators go: the packed 绩效指标 cell, else the project's name cell."""
    col = project.columns.get("indicators")
    return project.source.at(col).cell if col is not None else project.source.cell


def group_of(indicator: Indicator, settings: Settings) -> str | None:
    """The level-1 group (产出/效益/满意度/成本) an indicator counts for: its level-1 name, else its
    level-2 name's parent, else what the code map says its level-1 code means."""
    fw = settings.framework
    group = resolve_level1(indicator.level1, fw)[0]
    if group is None:
        level2 = resolve_level2(indicator.level2, fw)[0]
        group = parent(level2, fw) if level2 else None
    if group is None and indicator.level1_code in settings.code_map:
        group = resolve_level1(settings.code_map[indicator.level1_code], fw)[0]
    if group is None and base(indicator.level2) == "成本":
        group = "成本"  # a 2015-style 产出/成本指标 under the 2021 framework still measures cost
    return group


def map_levels(projects, settings: Settings) -> None:
    """Name every indicator's levels as the framework does: the level-1 group it counts for and its
    level 2 through the synonyms (`社会公众或服务对象满意度指标` → 服务对象满意度), for the outputs."""
    fw = settings.framework
    for project in projects:
        for indicator in project.indicators:
            group = group_of(indicator, settings)
            level2 = resolve_level2(indicator.level2, fw)[0]
            indicator.level1_framework = shown(group) if group else ""
            indicator.level2_framework = shown(level2) if level2 else ""


class Value(NamedTuple):
    """One written value of an indicator, made several times per indicator (by each value rule): a
    tuple is cheaper to make than a frozen dataclass, and where it stands is worked out only when a
    finding needs it."""

    label: str        # 指标值 (实施周期 and 年度 the same), 年度指标值 or 实施周期指标值
    text: str
    target: Target
    indicator: Indicator
    period: bool      # the 实施周期 value (else the 年度 one, or both when they agree)

    @property
    def source(self) -> Source:
        """Where the value is written: findings on it point at its cell."""
        return self.indicator.period_source if self.period else self.indicator.annual_source

    @property
    def cell(self) -> str:
        """The value's cell address, made only when a finding needs it (most values have none)."""
        return self.source.cell


def stored_target(indicator: Indicator) -> Target:
    return Target(indicator.operator, indicator.target, indicator.unit, indicator.kind)


def period_target(indicator: Indicator) -> Target:
    """The 实施周期 value read the way the 年度 value was. In the long layout the annual target may have
    been completed from 指标性质/度量单位 columns (`30` + `≥` + `人`); the period value gets the same."""
    annual = stored_target(indicator)
    if indicator.period_value == indicator.annual_value:
        return annual
    period = parse_target(indicator.period_value)
    written = parse_target(indicator.annual_value)
    if annual == written or period.kind == QUALITATIVE:
        return period
    if annual.kind == QUALITATIVE:
        return Target(None, None, "", QUALITATIVE)
    unit = period.unit or (annual.unit if annual.unit != written.unit else "")
    operator = annual.operator if period.operator == "=" and annual.operator != written.operator else period.operator
    return Target(operator, period.target, unit, period.kind)


def one_value(indicator: Indicator) -> bool:
    """实施周期 and 年度 agree: `written_values` gives at most one value, with the indicator's own
    target, so a rule can rule most indicators out from that target without making the values."""
    return indicator.period_value == indicator.annual_value


def written_values(indicator: Indicator) -> list[Value]:
    """The distinct non-empty values of an indicator: one when 实施周期 and 年度 agree."""
    annual, period = indicator.annual_value, indicator.period_value
    if period == annual:
        return [Value("指标值", annual, stored_target(indicator), indicator, False)] if annual else []
    values = []
    if annual:
        values.append(Value("年度指标值", annual, stored_target(indicator), indicator, False))
    if period:
        values.append(Value("实施周期指标值", period, period_target(indicator), indicator, True))
    return values
