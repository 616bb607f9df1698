"""Review the indicators as a budget performance reviewer would (issue 3).

Each rule is a small pure function: a project (and, for indicator rules, one of its indicators) and the
settings in, a list of findings out. `review` runs them all. The rules on target values are in
`value_rules.py`; level names, synonyms and the code map in `framework.py`. Messages name the project
and the indicator, quote the value, give the cell and say what a well-formed indicator looks like.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

from pipeline.findings import Finding
from pipeline.review.framework import framework_names, parent, resolve_level1, resolve_level2, shown
from pipeline.vocabulary import BENEFIT, COST, FRAMEWORKS, OUTPUT, SATISFACTION, base
from pipeline.model import Department, Indicator, Project
from pipeline.review.rules.kit import group_of, indicator_finding, project_cell, project_finding
from pipeline.settings import Settings
from pipeline.review.rules.values import VALUE_RULES, IndicatorRule, goal_template_leftover
from pipeline.text import compact

ProjectRule = Callable[[Project, Settings], list[Finding]]

_GROUP_EXAMPLES = {
    OUTPUT: ("missing_output_indicator", "1-产出指标；11-数量指标；培训人次；年度指标值:≥100人次"),
    BENEFIT: ("missing_benefit_indicator", "2-效益指标；22-社会效益；政策知晓率；年度指标值:≥90%"),
    SATISFACTION: ("missing_satisfaction_indicator", "3-满意度指标；31-服务对象满意度；服务对象满意度；年度指标值:≥90%"),
    COST: ("missing_cost_indicator", "成本指标；经济成本指标；人均培训成本；年度指标值:≤500元/人"),
}


def review(departments: list[Department], settings: Settings) -> list[Finding]:
    """Every finding of every rule on every project and indicator."""
    findings: list[Finding] = []
    for department in departments:
        for project in department.projects:
            for project_rule in PROJECT_RULES:
                if found := project_rule(project, settings):
                    findings.extend(found)
            for indicator in project.indicators:
                for indicator_rule in INDICATOR_RULES:      # 7 rules on 40,000 indicators at N = 500
                    if found := indicator_rule(project, indicator, settings):
                        findings.extend(found)
    return findings


# --- project rules ----------------------------------------------------------------------------

def missing_groups(project: Project, settings: Settings) -> list[Finding]:
    """No 产出, 效益 or 满意度 indicator (and, with the 2021 framework, no 成本 indicator).

    A project with no indicator at all gets only `too_few_indicators`: one message, not four."""
    if not project.indicators:
        return []
    groups = {group_of(i, settings) for i in project.indicators}
    wanted = [OUTPUT, BENEFIT, SATISFACTION] + ([COST] if settings.framework == "2021" else [])
    findings = []
    for group in wanted:
        if group in groups:
            continue
        code, example = _GROUP_EXAMPLES[group]
        cell = project_cell(project)
        findings.append(project_finding(code, project, cell, group=shown(group), count=len(project.indicators),
                                        indicators=_listed(project), example=example))
    return findings


def too_few_indicators(project: Project, settings: Settings) -> list[Finding]:
    count = len(project.indicators)
    if count >= settings.min_indicators:
        return []
    cell = project_cell(project)
    listed = {"variant": "some", "count": count, "indicators": _listed(project)} if count else {"variant": "none"}
    return [project_finding("too_few_indicators", project, cell, minimum=settings.min_indicators, **listed)]


# indicator names as `compact` compares them, once per distinct name: the same names (群众满意度,
# 政策知晓率…) recur across a batch's projects
_name_key = functools.lru_cache(maxsize=8192)(compact)


def duplicate_indicator(project: Project, settings: Settings) -> list[Finding]:
    findings, seen = [], {}
    for indicator in project.indicators:
        key = _name_key(indicator.name)
        if key in seen:
            first = seen[key]
            findings.append(indicator_finding("duplicate_indicator", project, indicator, first_seq=first.seq,
                                              seq=indicator.seq))
        else:
            seen[key] = indicator
    return findings


# what is left of a goal without the project's name and these words says nothing (`做好××经费项目`, `无`)
_FILLER_WORDS = ("通过实施", "本项目", "项目", "实施", "完成", "做好", "开展", "保障", "工作", "的", "暂无", "无")
_GOAL_FILLER = re.compile("|".join(_FILLER_WORDS))
_FILLER_CHARS = frozenset("".join(_FILLER_WORDS))
_PUNCT_SPACE = re.compile(r"[\s\W_]+")


def _says_more(goal: str, name: str) -> bool:
    """The goal as written holds a CJK ideograph (U+4E00–U+9FFF) that neither the name nor a filler word
    holds: NFKC keeps such a character as it is and it is no punctuation, so it is left after the name
    and the filler words are taken out. Most goals are ruled empty-free so, without their NFKC."""
    return any("\u4e00" <= c <= "\u9fff" for c in set(goal).difference(name, _FILLER_CHARS))


def empty_goal(project: Project, settings: Settings) -> list[Finding]:
    """绩效目标 empty, or only the project name with filler words (`做好信访工作经费项目`)."""
    name = _PUNCT_SPACE.sub("", unicodedata.normalize("NFKC", project.name))
    if _says_more(project.goal, name):
        return []
    goal = _PUNCT_SPACE.sub("", unicodedata.normalize("NFKC", project.goal))
    rest = _GOAL_FILLER.sub("", goal.replace(name, "")) if name else goal
    if rest:
        return []
    col = project.columns.get("goal")
    cell = project.source.at(col).cell if col is not None else project.source.cell
    written = {"variant": "empty"} if not goal else {"variant": "repeats_name", "goal": project.goal.strip()}
    return [project_finding("empty_goal", project, cell, **written)]


def _listed(project: Project) -> str:
    return "；".join(f"{shown(base(i.level1)) if i.level1 else '未分级'}/{i.name}" for i in project.indicators)


# --- level rules ------------------------------------------------------------------------------

def levels(project: Project, indicator: Indicator, settings: Settings) -> list[Finding]:
    """unknown_level, level_synonym (info) and level_code_mismatch for one indicator's two levels."""
    findings: list[Finding] = []
    fw = settings.framework
    l1, synonym1 = resolve_level1(indicator.level1, fw)
    l2, synonym2 = resolve_level2(indicator.level2, fw)
    named = l1 is not None and l2 is not None and not synonym1 and not synonym2   # nearly every indicator
    for written, resolved, synonym, level in ((indicator.level1, l1, synonym1, 1), (indicator.level2, l2, synonym2, 2)):
        if named:
            break
        if synonym:
            findings.append(indicator_finding("level_synonym", project, indicator, level=level, written=written,
                                              resolved=shown(resolved)))
        elif resolved is None:
            other = next(o for o in FRAMEWORKS if o != fw)
            resolve = resolve_level1 if level == 1 else resolve_level2
            variant = {"variant": "other_framework", "other": other} if resolve(written, other)[0] else \
                {"variant": "plain"}
            findings.append(indicator_finding("unknown_level", project, indicator, level=level, written=written,
                                              framework=fw, names=framework_names(fw), **variant))
    mapped = _code_problems(indicator, settings)
    belongs_to = shown(parent(l2, fw) or "") if l1 and l2 and parent(l2, fw) != l1 else None
    if mapped or belongs_to is not None:
        findings.append(indicator_finding(
            "level_code_mismatch", project, indicator, belongs_to=belongs_to, level1=indicator.level1,
            level1_code=indicator.level1_code, level2=indicator.level2, level2_code=indicator.level2_code,
            mapped1=mapped.get(1), mapped2=mapped.get(2)))
    return findings


def _code_problems(indicator: Indicator, settings: Settings) -> dict[int, str]:
    """The levels (1, 2) whose code names another level in the code map than the one written, with the
    code map's name (codes are local: configuration)."""
    problems = {}
    code_map, fw = settings.code_map, settings.framework
    for level, code, written in ((1, indicator.level1_code, indicator.level1), (2, indicator.level2_code, indicator.level2)):
        mapped = code_map.get(code) if code else None
        if mapped is not None and _names_another_level(level, mapped, written, fw):
            problems[level] = mapped
    return problems


@functools.lru_cache(maxsize=4096)       # the same few codes and names on every indicator of a batch
def _names_another_level(level: int, mapped: str, written: str, framework: str) -> bool:
    """The code map's name for a level's code is another level than the name written."""
    resolve = resolve_level1 if level == 1 else resolve_level2
    return (resolve(mapped, framework)[0] or base(mapped)) not in (base(written), resolve(written, framework)[0])


PROJECT_RULES: tuple[ProjectRule, ...] = (missing_groups, too_few_indicators, duplicate_indicator, empty_goal,
                                          goal_template_leftover)
INDICATOR_RULES: tuple[IndicatorRule, ...] = (levels, *VALUE_RULES)
