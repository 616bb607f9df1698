"""The one place that knows the words: indicator framework levels and their synonyms, the default code map.

Everything a department may write for the same thing, and every label the tool writes, belongs here, so
readers, rules and reports agree. (Column synonyms and form labels join as they move out of the readers.)
"""

from __future__ import annotations

import functools
import re

from pipeline.text import compact

FRAMEWORKS = ("2015", "2021")
OUTPUT, BENEFIT, SATISFACTION, COST = "产出", "效益", "满意度", "成本"

_EFFECTS = ("经济效益", "社会效益", "生态效益", "可持续影响")
# framework -> level-1 base -> its level-2 bases (财预〔2021〕101号 moves 成本 up to level 1)
LEVELS: dict[str, dict[str, tuple[str, ...]]] = {
    "2015": {OUTPUT: ("数量", "质量", "时效", "成本"), BENEFIT: _EFFECTS, SATISFACTION: ("服务对象满意度",)},
    "2021": {OUTPUT: ("数量", "质量", "时效"), COST: ("经济成本", "社会成本", "生态环境成本"),
             BENEFIT: _EFFECTS, SATISFACTION: ("服务对象满意度",)},
}
# names other systems use for the same level; mapped with an info finding
LEVEL1_SYNONYMS = {"预期产出": OUTPUT, "项目完成": OUTPUT, "效果": BENEFIT, "项目效益": BENEFIT}
LEVEL2_SYNONYMS = {"环境效益": "生态效益", "社会公众或服务对象满意度": "服务对象满意度"}

# the sample's system (广州); a pipeline.toml [code_map] replaces it as a whole
DEFAULT_CODE_MAP = {
    "1": "产出指标", "11": "数量指标", "12": "质量指标", "13": "时效指标", "14": "成本指标",
    "2": "效益指标", "21": "经济效益", "22": "社会效益", "23": "生态效益", "24": "可持续影响",
    "3": "满意度指标", "31": "服务对象满意度",
}

_TRAILING = "。；;，,：: "


@functools.lru_cache(maxsize=4096)
def base(name: str) -> str:
    """`1-产出指标` / `产出指标` / ` 产出 ` -> `产出`: no code, no spaces, no trailing 指标."""
    text = compact(name).rstrip(_TRAILING)
    text = re.sub(r"^\d+[-.、]", "", text)
    return text[:-2] if text.endswith("指标") and len(text) > 2 else text


def known_level_name(name: str) -> bool:
    """A name of any level in either framework (or a synonym): what a code map may point to."""
    b = base(name)
    return any(b in levels or any(b in l2s for l2s in levels.values()) for levels in LEVELS.values()) or (
        b in LEVEL1_SYNONYMS or b in LEVEL2_SYNONYMS)

# The four money columns of the table, in order, as the model names them and as the table heads them.
MONEY_COLUMNS = {"total": "总计", "fiscal": "财政拨款", "special_account": "财政专户拨款", "other": "其他资金"}

# The one status a run (and each department) has, in the words of every output: run.json and the history
# keep the key, the CLI, the reports and the e-mail show the label. A run fails on any error finding
# (exit 1); with warnings only it passes with warnings (exit 0).
OK, WARNINGS, FAILED = "ok", "warnings", "failed"
STATUS_LABELS = {OK: "通过", WARNINGS: "有警告", FAILED: "未通过"}
UNKNOWN_AMOUNT = "无法读取"          # what every report shows in place of an amount the tool could not read


def status_of(errors: int, warnings: int) -> str:
    """ok / warnings / failed from the counts of error and warning findings."""
    return FAILED if errors else WARNINGS if warnings else OK


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def unknown_note(count: int) -> str:
    """What a total that lacks unreadable amounts says after its figure: `（另有 1 个金额无法读取，未计入）`."""
    return f"（另有 {count} 个金额无法读取，未计入）" if count else ""
