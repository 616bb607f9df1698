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


# --- the per-project form (申报表): labels as printed on real forms (shared/forms.md) ---------------
# Labels compare after `form_label_core`: NFKC, no spaces, no enumerator `(一)`, no `其中:`, no trailing
# colon, no bracketed suffix such as (万元) or (2022年--2024年).
FORM_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("项目名称", "项目支出名称", "资金名称"),
    "department": ("主管部门", "预算部门", "预算单位", "项目主管部门", "主管部门及编码", "省级业务主管部门", "部门名称"),
    "spending_unit": ("实施单位", "项目执行单位"),
    "attribute": ("项目属性", "项目类别", "项目性质", "项目负责人及电话", "项目负责人"),
    "period": ("项目支出实施期", "项目起止时间", "实施周期", "项目实施期", "项目期限"),
    "start": ("开始日期", "项目开始日期"),
    "end": ("结束日期", "项目结束日期"),
    "money_block": ("资金情况", "项目资金", "年度预算申请", "资金来源", "项目资金来源"),
    "total": ("年度资金总额", "当年资金总额", "年度本级预算金额", "本年度申请市财政预算资金", "年度预算金额",
              "本年度资金总额"),
    "period_total": ("资金总额", "项目资金总额", "实施期资金总额", "项目总投资"),
    "fiscal": ("财政拨款", "当年财政拨款", "上级资金", "该项目支出上级资金", "财政拨款小计", "财政资金"),
    "fiscal_item": ("一般公共预算", "政府性基金", "国有资本经营预算", "一般公共预算拨款", "政府性基金预算拨款"),
    "special_account": ("纳入专户管理的非税收入拨款", "财政专户管理资金", "财政专户拨款"),
    "other": ("其他资金", "当年其他资金", "自有资金小计", "其他收入", "上年结转资金", "上年结转"),
    "other_item": ("事业收入", "经营性收入", "事业单位经营收入"),
    "goal_block": ("总体目标", "绩效目标"),
    "goal": ("年度目标", "本年度绩效目标", "当年绩效目标", "整体绩效目标", "年度绩效目标", "年度总体目标"),
    "period_goal": ("中期目标", "实施期绩效目标", "实施周期总目标", "中期滚动目标", "实施期目标", "长期目标"),
    "sign_off": ("财政部门审核意见", "财政部门支出股室初审意见", "单位负责人签字", "填表人", "联系电话", "填报日期",
                 "审核意见", "单位负责人", "主管部门审核意见", "财政部门意见"),
}
# the indicator grid's column titles
FORM_GRID: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标", "指标内容", "指标名称"),
    "value": ("指标值", "指标值及单位", "指标值(包含数字及文字描述)", "绩效指标值", "目标值"),
    "period_value": ("实施周期指标值", "指标值(长期)", "中期指标值", "长期指标值", "实施期指标值"),
    "annual_value": ("当年度指标值", "年度指标值", "指标值(年度)", "当年指标值", "本年度指标值"),
    "standard": ("绩效标准",),
    "nature": ("指标性质",),
    "measure_unit": ("度量单位", "计量单位"),
    "note": ("备注", "分值", "权重", "指标解释"),
    # a block label over the grid (merged down on its left, or across above its header)
    "block": ("绩效指标", "本年度绩效指标", "绩效项目指标表", "年度绩效指标", "绩效指标表", "项目绩效指标"),
}
# a form's title line: …绩效目标申报表 / …绩效目标表3 / …批复表
FORM_TITLE = re.compile(r"绩效目标(?:申报|批复)?表|绩效目标申报|项目支出绩效目标")
_FORM_ENUM = re.compile(r"^(?:\(?[一二三四五六七八九十]+\)|\d+[.、)]|[一二三四五六七八九十]+、)")
_FORM_SUFFIX = re.compile(r"\([^()]*\)$")


def form_label_core(text: str) -> tuple[str, str]:
    """A printed label as compared, and its bracketed suffix: `(一)财政拨款小计` -> (财政拨款小计, ""),
    `资金情况(万元)` -> (资金情况, 万元), `其中:当年财政拨款` -> (当年财政拨款, "")."""
    core = compact(text).rstrip(":：")
    core = _FORM_ENUM.sub("", core)
    if core.startswith("其中:"):
        core = core[3:]
    suffix = ""
    match = _FORM_SUFFIX.search(core)
    if match and match.start() > 0:
        suffix, core = match.group(0)[1:-1], core[:match.start()]
    return core.rstrip(":："), suffix


_FORM_LOOKUP = {compact(n): f for f, names in FORM_LABELS.items() for n in names}
_GRID_LOOKUP = {compact(n): f for f, names in FORM_GRID.items() for n in names}


def form_field(text: str) -> str | None:
    """The header field a printed label stands for, or None when the text is no label."""
    core, suffix = form_label_core(text)
    field = _FORM_LOOKUP.get(core)
    if field is None and core.startswith("中期") and core.endswith("预算"):
        field = "period_total"                     # 中期财政规划预算, 中期…预算
    if field is None and core.startswith("注") and len(core) > 1 and core[1] in ":：":
        field = "sign_off"
    return field


def grid_field(text: str) -> str | None:
    """The indicator grid column a title stands for (指标值(长期) keeps its bracket: it names the block)."""
    whole = compact(text).rstrip(":：")
    return _GRID_LOOKUP.get(whole) or _GRID_LOOKUP.get(form_label_core(text)[0])


# The four money columns of the table, in order, as the model names them and as the table heads them.
MONEY_COLUMNS = {"total": "总计", "fiscal": "财政拨款", "special_account": "财政专户拨款", "other": "其他资金"}
# the money units a table may be written in (money.UNIT_FACTORS converts them), as one regex alternation
MONEY_UNIT_NAMES = "万元|千元|元"

# field -> the column titles departments use for it in the published table (compared after text.compact)
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("项目名称", "项目名称(资金使用单位)", "项目名称(单位名称)", "项目(单位)名称", "单位/项目名称"),
    "total": ("总计", "合计", "金额合计", "资金总额", "项目金额", "金额", "预算金额", "预算数", "项目预算"),
    "fiscal": ("财政拨款", "一般公共预算拨款", "财政拨款资金", "一般公共预算"),
    "special_account": ("财政专户拨款", "财政专户管理资金", "财政专户资金"),
    "other": ("其他资金", "其他"),
    "goal": ("绩效目标", "年度绩效目标", "项目绩效目标"),
    "indicators": ("绩效指标",),
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标", "指标名称"),
    "value": ("指标值",),
    "period_value": ("实施周期指标值",),
    "annual_value": ("年度指标值",),
    "nature": ("指标性质",),
    "measure_unit": ("度量单位", "计量单位"),
}
AMOUNT_FIELDS = tuple(MONEY_COLUMNS)      # total, fiscal, special_account, other
LONG_FIELDS = ("level1", "level2", "level3", "value", "period_value", "annual_value", "nature", "measure_unit")
TOTAL_NAMES = {"合计", "总计", "合计数", "部门合计", "总合计"}
SUBTOTAL_NAMES = {"小计", "单位小计"}
PAGE_TOTAL_NAMES = {"本页合计", "本页小计", "本页合计数"}


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
