"""The indicator framework: level names, their synonyms, the code map, and what an indicator's name says.

Level names are compared by their base (`产出指标` and `产出` are the same group; `22-社会效益` and
`社会效益指标` the same level 2). Codes are local to a budget system, so the code map is configuration
(`Settings.code_map`); the names are what the rules trust.
"""

from __future__ import annotations

import functools

from pipeline.text import compact
from pipeline.vocabulary import (BENEFIT, COST, LEVEL1_SYNONYMS, LEVEL2_SYNONYMS, LEVELS, OUTPUT, SATISFACTION,
                                 _TRAILING, base)

# how a level is written in messages: level 1 and the 产出/成本 level 2 with 指标, effects bare (as the sample)
_WITH_SUFFIX = {OUTPUT, BENEFIT, SATISFACTION, COST, "数量", "质量", "时效", "经济成本", "社会成本", "生态环境成本"}



def shown(level_base: str) -> str:
    return f"{level_base}指标" if level_base in _WITH_SUFFIX else level_base


@functools.lru_cache(maxsize=4096)
def resolve_level1(name: str, framework: str) -> tuple[str | None, bool]:
    """The level-1 group a written name means, and whether a synonym was used. (None, False) if unknown."""
    b = base(name)
    if b in LEVELS[framework]:
        return b, False
    if b in LEVEL1_SYNONYMS and LEVEL1_SYNONYMS[b] in LEVELS[framework]:
        return LEVEL1_SYNONYMS[b], True
    return None, False


@functools.lru_cache(maxsize=4096)
def resolve_level2(name: str, framework: str) -> tuple[str | None, bool]:
    b = base(name)
    known = {l2 for l2s in LEVELS[framework].values() for l2 in l2s}
    if b in known:
        return b, False
    if b in LEVEL2_SYNONYMS:
        return LEVEL2_SYNONYMS[b], True
    return None, False


@functools.lru_cache(maxsize=1024)
def parent(level2_base: str, framework: str) -> str | None:
    return next((l1 for l1, l2s in LEVELS[framework].items() if level2_base in l2s), None)


def framework_names(framework: str) -> str:
    """`产出指标（数量指标、质量指标…）；效益指标（…）` for messages."""
    return "；".join(f"{shown(l1)}（{'、'.join(shown(l2) for l2 in l2s)}）" for l1, l2s in LEVELS[framework].items())


# --- what an indicator's name says ------------------------------------------------------------

# a name ending so implies a number (…率, …数, …人数, …次数, …量, …天数; 满意度 is measured in %)
_NUMBER_SUFFIXES = ("率", "数", "量", "满意度")
# …but these end in 量 and mean "quality", "strength": they imply no number
_NOT_NUMBER_SUFFIXES = ("质量", "力量", "分量", "考量")
# a bare number is clear when the name says what it counts (`上访纯人数 ≤10`, `案件数`, `培训人次`, `得分`)
_COUNTING_SUFFIXES = ("数", "量", "次", "分", "分值", "名次", "排名", "等级")


@functools.lru_cache(maxsize=4096)
def _name(name: str) -> str:
    b = compact(name).rstrip(_TRAILING)
    return b[:-2] if b.endswith("指标") else b


def implies_number(name: str) -> bool:
    n = _name(name)
    return n.endswith(_NUMBER_SUFFIXES) and not n.endswith(_NOT_NUMBER_SUFFIXES)


def says_what_it_counts(name: str) -> bool:
    n = _name(name)
    return n.endswith(_COUNTING_SUFFIXES) and not n.endswith(_NOT_NUMBER_SUFFIXES)


def is_rate(name: str) -> bool:
    n = _name(name)
    return n.endswith(("率", "满意度"))


def example_value(name: str) -> str:
    """A well-formed value for an indicator so named, for the advice in messages."""
    n = _name(name)
    for suffix, example in (("率", "≥95%"), ("满意度", "≥90%"), ("人数", "≥30人"), ("次数", "≥4次"),
                            ("天数", "≤5天"), ("人次", "≥100人次")):
        if n.endswith(suffix):
            return example
    return "≥15宗（写明运算符、数值和单位）"
