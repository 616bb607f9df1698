"""The Chinese message of every finding code, as a template rendered from the finding's parameters.

`MESSAGES[code]` is a template, or a dict of templates chosen by the finding's `variant` parameter where
a code has several phrasings. A template is `str.format` syntax over the finding's parameters and its
position (`file`, `sheet`, `cell`, `department`, `project`); the spec after `:` says how a raw value is
shown (`FORMATS`): money in people's format (`exact`, `in_unit`, …), a column's name (`column`), a
cell as `单元格 B7` (`where`) (all in `message_formats.py`), and `pick`, a fragment chosen by the value
from `PARTS[code][name]`.
Values are raw figures and names (str, int, Decimal, None); nothing is formatted before it gets here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from string import Formatter

from pipeline.message_formats import FORMATS

_FORMULA_ERROR = "是公式，计算结果为错误值「{error}」，此金额按无法读取处理"
_FIX_FORMULA = "请在 Excel 或 WPS 中修正该公式（或改为数值）后保存，再重新报送。"
_NO_VALUE = "请用 Excel 或 WPS 打开该文件并保存一次，或把公式改为数值后重新报送。"
_TABLE_CELL = "{row_kind:row_label}的「{column:column}」单元格 {cell} "
_FORM_LABEL = "申报表「{label}」的金额"
_UNKNOWN = "此金额按无法读取处理，未计入任何合计"
_MISMATCH = "{what}不符：应为 {expected:in_unit}，实际填报 {actual:in_unit}，相差 {difference:in_unit}（单元格 {cell}）。"
_INDICATOR = "项目「{project}」的指标「{indicator}」（{cell:where}）"
_ADD_INDICATORS = "请按产出、效益、满意度分别设置可衡量的指标，如「1-产出指标；11-数量指标；培训人次；年度指标值:≥100人次」。"
_GOAL_ADVICE = "请写明通过本项目要达到的具体结果，如「全年开展培训 12 期、受训 500 人次，合格率达 95% 以上」。"
_BLOCKS = "两栏应列出相同的指标，"
_FORM_TABLE = "部门「{department}」项目「{project}」："
_CHECK_BOTH = "请核对申报表与汇总表，改正错误的一处。"
_RESUBMITTED = "报送了不止一份{what}：采用最新修改的「{file}」，{older_files}未采用。"

MESSAGES: dict[str, str | dict[str, str]] = {
    # reading: the reason is a whole sentence from the reader (guard, worker, sheets), quoted as it is
    "unreadable_file": {"rejected": "文件「{file}」：{reason}。",
                        "sheet_failed": "文件「{file}」的工作表「{sheet}」处理时出错（{error}），该表未读取。"
                                        "请另存为新的 .xlsx 后重试，或把此表单独报送"},
    "unsafe_file": "文件「{file}」：{reason}。",
    "reader_crashed": "文件「{file}」：{reason}。",
    "encrypted_file": "文件「{file}」：{reason}。",
    "no_table": "文件「{file}」：{reason}。",
    "read_note": "文件「{file}」{note}。",
    "sheet_without_table": "{hidden:if=隐藏的|}工作表「{sheet}」中没有绩效目标表（共 {row_count} 行，如填表说明），已忽略。",
    "missing_department_name": {
        "table": "表头上方没有「部门名称：」行，部门名称暂取为「{department}」。请在标题下加一行「部门名称：××单位」。",
        "form": "申报表没有填写「主管部门」（或预算部门），部门暂取为「{department}」。请补填主管部门。"},
    "unknown_money_unit": "{unit_text:q_or=表头上方没有「单位：」行}，未能确定金额单位，已按万元计算。"
                          "请注明「单位：万元」（或元、千元）。",
    "money_unit_conflict": "表头上方写「单位：{unit_line}」，金额列标题却写「（{header_unit}）」，两者矛盾；"
                           "已按列标题的{header_unit}计算。请核对并删去错误的一处。",
    "no_amount_columns": "表头中没有金额列（总计、财政拨款、财政专户拨款、其他资金），无法核对金额，各项目金额按 0 计。"
                         "请使用标准表样，或把金额列标题改为「总计」等标准名称。",
    "unrecognised_row": {
        "table": "第 {row} 行既不是合计、资金使用单位、项目，也不是指标行，未计入：「{text}」。"
                 "如是项目，请补填项目名称和金额；如是备注，请移到表格之外。",
        "form_grid": "申报表第 {row} 行在指标表中，却不是指标行，未读取。请核对。",
        "form_header": "申报表第 {row} 行不是能识别的栏目，未读取：「{text}」。如是项目信息，请填到对应栏目中。"},
    "duplicate_project": {
        "table": "资金使用单位「{spending_unit}」下项目「{project}」出现了不止一次（第 {row} 行）。"
                 "请确认是否重复填报；如是两个项目，请改用不同名称。",
        "form": "实施单位「{spending_unit}」的项目「{project}」有两张申报表（同一文件中）。"
                "请确认是否重复填报；如是两个项目，请改用不同名称。"},
    "duplicate_sheet": "{hidden:if=隐藏的|}工作表「{sheet}」重复了工作表「{kept_sheet}」中的部门「{department}」，"
                       "未计入{visibility_differs:if=（可见工作表优先于隐藏工作表）|（保留工作簿中靠前的一张）}："
                       "{kept_total:sheet_differences}。如「{sheet}」才是应报送的版本，请删去另一张后重新报送；备份或草稿请移出报送文件。",
    "duplicate_department": "部门「{department}」" + _RESUBMITTED.replace("{what}", "表")
                            + "如应采用其他版本，请从输入文件夹中移走不用的文件后重新运行。",
    # per-project forms
    "duplicate_form": "部门「{department}」项目「{project}」的申报表" + _RESUBMITTED.replace("{what}", "")
                      + "如应采用其他版本，请移走不用的文件后重新运行。",
    "form_table_mismatch": {
        "not_in_table": _FORM_TABLE + "申报表有此项目，部门汇总表「{table_file}」中却没有。" + _CHECK_BOTH,
        "money": _FORM_TABLE + "{column:column}申报表为 {form_amount:exact} 万元，汇总表（{table_cell}）为 "
                               "{table_amount:exact} 万元。" + _CHECK_BOTH,
        "indicator_not_in_table": _FORM_TABLE + "指标「{indicator}」（{indicator_cell}）在汇总表中没有。" + _CHECK_BOTH,
        "indicator_value": _FORM_TABLE + "指标「{indicator}」年度指标值申报表为「{form_value}」，"
                                         "汇总表为「{table_value}」。" + _CHECK_BOTH,
        "indicator_not_in_form": _FORM_TABLE + "汇总表的指标「{indicator}」在申报表中没有。" + _CHECK_BOTH},
    "form_missing_name": "申报表没有填写「项目名称」，暂称为「{project}」。请补填项目名称。",
    "form_no_money_unit": "申报表没有注明金额单位（如「资金情况（万元）」或「单位：万元」），已按万元计算。请注明金额单位。",
    "form_bad_period": {"period": "项目期限「{text}」无法读取，请写成「2023.01-2023.12」或「2023年-2025年」。",
                        "date": "日期「{text}」无法读取，请写成「2023-01-01」。"},
    "form_unread_cell": "申报表单元格内容「{text}」不是能识别的栏目或其值，未读取。如有用，请填到对应栏目中。",
    "form_empty_block": "申报表绩效指标的{period_block:if=实施周期（长期）|当年度}指标值一栏整栏为空。"
                        "请按项目填写{period_block:if=实施周期（长期）|当年度}指标值。",
    "form_blocks_differ": {
        "names": "第 {row} 行实施周期指标「{period_name}」与当年度指标「{annual_name}」不是同一指标。" + _BLOCKS + "请核对。",
        "one_block": "第 {row} 行的指标「{name}」只填在一栏中，{annual_missing:if=当年度|实施周期}一栏为空。"
                     + _BLOCKS + "请补全。"},
    "form_sum_mismatch": "项目「{project}」申报表的年度资金总额（{cell}）为 {total:exact} 万元，"
                         "财政拨款、财政专户资金、其他资金之和却为 {parts:exact} 万元。请核对各项金额。",
    "form_subtotal_mismatch": "项目「{project}」申报表的{part:form_part}小计（{cell}）为 {subtotal:exact} 万元，"
                              "其下各项之和却为 {items:exact} 万元。请核对小计或各项金额。",
    "form_annual_exceeds_period": "项目「{project}」年度资金 {annual:exact} 万元超过了项目资金总额（{cell}）"
                                  "{whole:exact} 万元。请核对两处金额。",
    "form_period_total_mismatch": "项目「{project}」实施期在一年之内（{start} 至 {end}），年度资金 {annual:exact} 万元"
                                  "却不等于项目资金总额（{cell}）{whole:exact} 万元。请核对。",
    "form_missing_period_goal": "项目「{project}」实施期跨年度（{start} 至 {end}），申报表却没有实施期（中期）绩效目标。"
                                "请填写整个实施期要达到的目标。",
    "form_same_goals": "项目「{project}」的实施期目标与年度目标（{cell}）完全相同。如项目跨年度，年度目标应写明本年度要完成的部分。",
    "form_missing_value": "项目「{project}」的三级指标「{indicator}」（{cell}）没有填写指标值。"
                          "请填写指标值，如「≥95%」或「12月底前完成」。",
    "form_period_reversed": "项目「{project}」的开始时间 {start} 晚于结束时间 {end}（{cell}）。请改正项目期限。",
    "form_date_outside_period": "项目「{project}」的时效指标「{indicator}」写的时间 {month}（「{value}」）"
                                "不在项目期限 {start} 至 {end} 之内。请核对指标值或项目期限。",
    # money
    "bad_amount": {"table": _TABLE_CELL + "内容为「{raw}」，不是金额（本表金额单位：{unit}），" + _UNKNOWN
                            + "。请填写数字（如 308.00），空白表示 0。",
                   "form": _FORM_LABEL + "无法读取：{problem}。请只填写一个金额（如 854 或 854万元），说明写在备注中。"},
    "formula_without_value": {
        "table": _TABLE_CELL + "是公式，但文件中没有保存公式的计算结果（程序生成的表格常见），" + _UNKNOWN + "。" + _NO_VALUE,
        "form": _FORM_LABEL + "是公式，但文件中没有保存计算结果，此金额按无法读取处理。" + _NO_VALUE},
    "formula_error": {"table": _TABLE_CELL + _FORMULA_ERROR + "，未计入任何合计。" + _FIX_FORMULA,
                      "form": _FORM_LABEL + _FORMULA_ERROR + "。" + _FIX_FORMULA},
    "row_sum_mismatch": _MISMATCH + "总计应等于 财政拨款 + 财政专户拨款 + 其他资金，请核对该行各列金额。",
    "subtotal_mismatch": {
        "subtotal_row": _MISMATCH + "小计应等于它所小计的那组项目金额之和，请核对小计行或项目金额。",
        "unit_row": _MISMATCH + "单位行的{column:column}应等于其下各项目{column:column}之和，请核对单位行或项目金额。",
        "page_total": _MISMATCH + "本页合计应等于本页各项目金额之和，请核对。"},
    "total_mismatch": _MISMATCH + "合计行的{column:column}应等于各资金使用单位{column:column}之和，请核对合计行。",
    "negative_amount": _TABLE_CELL + "为负数「{raw}」，即 {amount:in_unit}。预算金额通常不为负，"
                                     "请核对是否误录（如括号或减号）；确为调减的，请在说明中注明。",
    "implausible_amount": "项目「{project}」的「{column:column}」单元格 {cell} 为 {amount:in_unit_cents}，超过每个项目 "
                          "{ceiling:show} 万元的上限，不像是预算金额（可能误填了证件号码、编码等），" + _UNKNOWN
                          + "。请核对后改正；如金额确实如此，请调高 pipeline.toml 中 [review] 的 max_project_amount。",
    # indicators
    "bad_indicator": {
        "packed": "项目「{project}」的绩效指标单元格 {cell} 有无法读取的内容：{problem}。"
                  "每条指标应写成「序号、一级指标；二级指标；指标名称；实施周期指标值:…；年度指标值:…。」",
        "long": "项目「{project}」第 {row} 行的绩效指标缺少{lacks_name:if=指标名称（三级指标）|指标值}"
                "（读到：「{text}」）。请补全该行。",
        "form": "项目「{project}」第 {row} 行有指标值「{annual_value}」却没有三级指标名称。请补全该行。"},
    # review
    "missing_output_indicator": "项目「{project}」（绩效指标{cell:where}）没有{group}，现有 {count} 条指标："
                                "{indicators}。请至少补充一条{group}，如「{example}」。",
    "too_few_indicators": {
        "some": "项目「{project}」（绩效指标{cell:where}）只有 {count} 条绩效指标（{indicators}），少于 {minimum} 条。"
                + _ADD_INDICATORS,
        "none": "项目「{project}」（绩效指标{cell:where}）没有任何绩效指标，少于 {minimum} 条。" + _ADD_INDICATORS},
    "unknown_level": {
        "plain": _INDICATOR + "的{level:rank}级指标{written:qs_or=未填写}不在 {framework} 年版绩效指标框架中。"
                              "请从以下名称中选择：{names}。",
        "other_framework": _INDICATOR + "的{level:rank}级指标{written:qs_or=未填写}不在 {framework} 年版绩效指标框架中。"
                                        "该名称属于 {other} 年版框架，如本表按 {other} 年版填报，请在 pipeline.toml 中设 "
                                        "framework = \"{other}\"（或用 --framework {other}）；否则"
                                        "请从以下名称中选择：{names}。"},
    "level_synonym": _INDICATOR + "的{level:rank}级指标「{written}」按「{resolved}」处理。如本地表样另有规定可忽略此提示。",
    "level_code_mismatch": _INDICATOR + "：{belongs_to:level_problems}。请按编码表填写，如「1-产出指标；11-数量指标」「2-效益指标；22-社会效益」。",
    "duplicate_indicator": "项目「{project}」的指标「{indicator}」出现了两次（第 {first_seq} 条和第 {seq} 条，"
                           "{cell:where}）。请删去重复的一条，或改名以区分所衡量的内容。",
    "vague_target": _INDICATOR + "{value_label}为「{value}」：指标名称表明应有数值，「{word}」却无法衡量。"
                                 "请写明目标值{example:q_like=（写明运算符、数值和单位）}。",
    "missing_unit": _INDICATOR + "{value_label}「{value}」只有数字，没有单位，看不出衡量的是什么。请写明单位{units:suggest}。",
    "percent_out_of_range": _INDICATOR + "{value_label}「{value}」超出 0%～100% 的范围{meant:misread}。"
                                         "百分比目标应在 0 到 100 之间，如「≥95%」。",
    "degenerate_rate": _INDICATOR + "{value_label}「{value}」{operator:degenerate}。"
                                    "要求全部完成请写「100%」，否则写出可达到的下限，如「≥95%」。",
    "template_leftover": {
        "indicator": _INDICATOR + "的{label}「{text}」含有表样占位符「{placeholder}」，未按实际填写。"
                                  "请换成实际内容，如「≥95%」「30人」。",
        "project": "项目「{project}」的{label}{cell:paren_where}含有表样占位符「{placeholder}」，"
                   "未按实际填写：「{text}」。请换成实际内容。"},
    "period_annual_conflict": _INDICATOR + "实施周期指标值「{period_value}」与年度指标值「{annual_value}」"
                                           "{period_cell:cells}：{problem:pick}。两者应一致{agreed:agreed}。",
    "name_value_conflict": _INDICATOR + "名称中写明了「{embedded_operator:operator}{embedded_target}{embedded_unit}」，"
                                        "{value_label}却是「{value}」。请只在指标值中写目标，名称去掉数值（如「达标率」），"
                                        "两处不再矛盾。",
    "empty_goal": {"empty": "项目「{project}」的绩效目标（{cell:where}）为空。" + _GOAL_ADVICE,
                   "repeats_name": "项目「{project}」的绩效目标（{cell:where}）只重复了项目名称（「{goal}」）。" + _GOAL_ADVICE},
    # control figures
    "control_total_mismatch": "部门「{department}」各项目合计 {total:show_exact} 万元，与控制数 {control:show_exact} 万元"
                              "不符，{difference:direction}控制数 {difference:abs_exact} 万元（控制数见 {controls_file} "
                              "第 {controls_row} 行）。请按批复的控制数调整项目金额后重新报送。",
    "missing_submission": "控制数文件中有部门「{department}」（控制数 {control:show_exact} 万元），但没有收到它的报表。"
                          "请催报，或核对报表中的部门名称是否与控制数文件一致。",
    "no_control_figure": "部门「{department}」报送了报表，但控制数文件 {controls_file} 中没有它的控制数。"
                         "请核对部门名称是否与控制数文件一致，或补充该部门的控制数。",
    "expected_total_mismatch": "全部项目合计 {total:show_exact} 万元，与预期总额 {expected:show_exact} 万元不符，"
                               "{difference:direction} {difference:abs_exact} 万元。请核对报表金额，或检查 --expect-total 的数值。",
    # what a workbook cell can hold
    "text_too_long": "项目「{project:clip40}」的{label}共 {length:thousands} 字，超过 Excel 单元格 {limit:thousands} 字的上限："
                     "projects.csv 和 indicators.csv 保留全文，report.xlsx 和 departments/ 下的表中该格已截断并注明。"
                     "请精简后重新报送，或把内容拆成几项",
}
MESSAGES["missing_benefit_indicator"] = MESSAGES["missing_satisfaction_indicator"] = \
    MESSAGES["missing_cost_indicator"] = MESSAGES["missing_output_indicator"]

# fragments chosen by a parameter's value (`{name:pick}`), by code and parameter name
PARTS: dict[str, dict[str, dict]] = {
    "period_annual_conflict": {"problem": {
        "units": "单位不同（「{period_unit:or=无单位}」与「{annual_unit:or=无单位}」）",
        "direction": "方向相反（「{period_operator}」与「{annual_operator}」）",
        "stricter": "一年期项目的年度目标比实施周期目标更高"}},
}


# a template's pieces: (literal text, field name or None, format or None, the text after `=`, is `pick`)
_Piece = tuple[str, str | None, Callable | None, str, bool]
_PARSED: dict[str, list[_Piece]] = {}


def _parsed(template: str) -> list[_Piece]:
    """The template as pieces, parsed once per template (a review renders thousands of messages)."""
    parsed = _PARSED.get(template)
    if parsed is None:
        parsed = []
        for literal, name, spec, _ in Formatter().parse(template):
            kind, _, rest = (spec or "").partition("=")
            parsed.append((literal, name, FORMATS[kind] if kind and kind != "pick" else None, rest, kind == "pick"))
        _PARSED[template] = parsed
    return parsed


def template_of(code: str, variant: str | None = None) -> str:
    """The template of `code` (of its `variant`, for a code with several phrasings)."""
    template = MESSAGES[code]
    if isinstance(template, dict):
        if variant not in template:
            raise KeyError(f"{code} has no variant {variant!r} (it has {', '.join(template)})")
        return template[variant]
    return template


def render(code: str, params: Mapping[str, object]) -> str:
    """The message of `code` with `params` (the finding's parameters and position) put in."""
    return _render(code, template_of(code, params.get("variant")), params)


def _render(code: str, template: str, params: Mapping[str, object]) -> str:
    pieces = []
    for literal, name, shown, rest, pick in _parsed(template):
        pieces.append(literal)
        if name is None:
            continue
        value = params[name]
        if shown is not None:
            pieces.append(shown(value, rest, params))
        elif pick:
            pieces.append(_render(code, PARTS[code][name][value], params))
        else:
            pieces.append("" if value is None else str(value))
    return "".join(pieces)
