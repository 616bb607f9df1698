"""Findings are data: a stable code, a severity, a position, parameters and a Chinese message.

The message is rendered from the code's template in `pipeline/messages.py` (`MESSAGES`) with the
finding's parameters: nothing downstream reads figures or cells back out of a message.

`CODES` is the one catalogue of finding codes with their default severity and meaning; the docs
(`docs/outputs.md`) list the same codes and a test keeps the two in step.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import Decimal

from pipeline.messages import render

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
SEVERITY_LABEL = {ERROR: "错误", WARNING: "警告", INFO: "提示"}

# code -> (default severity, what it means, in English for developers)
CODES: dict[str, tuple[str, str]] = {
    # reading and layout
    "unreadable_file": (ERROR, "a file could not be opened as a spreadsheet or text table"),
    "unsafe_file": (ERROR, "a file was turned away before parsing: too large, a zip bomb, an XML DTD, "
                           "a sheet grid or merged area over the limits"),
    "reader_crashed": (ERROR, "the reading process died on a file (native crash, out of memory, time limit)"),
    "encrypted_file": (ERROR, "a password-protected workbook; the clerk must save an unencrypted copy"),
    "no_table": (ERROR, "a file holds no 绩效目标表 header on any sheet"),
    "read_note": (INFO, "how a file was read: by its content under another extension, NUL bytes or Ctrl-Z skipped"),
    "sheet_without_table": (INFO, "a sheet of a workbook that has tables elsewhere holds none"),
    "missing_department_name": (WARNING, "no 部门名称 line; the department was taken from a unit row or the file name"),
    "unknown_money_unit": (WARNING, "the 单位 line names no known money unit; 万元 was assumed"),
    "money_unit_conflict": (WARNING, "the 单位 line and a column title name different units; the title's is used"),
    "no_amount_columns": (ERROR, "the header has no amount column, so no money can be read or checked"),
    "unrecognised_row": (WARNING, "a row below the header is neither a total, unit, project nor indicator"),
    "duplicate_project": (WARNING, "the same project name twice under one spending unit"),
    "duplicate_sheet": (WARNING, "a sheet repeats a department read from another sheet of the same workbook; not added"),
    "duplicate_department": (WARNING, "the same department came in two files; the newest is used"),
    # per-project forms (read/forms.py, review/rules/forms.py)
    "duplicate_form": (WARNING, "the same department's same project came as a form in two files; the newest is used"),
    "form_table_mismatch": (WARNING, "a form and the department's published table disagree on a project"),
    "form_missing_name": (WARNING, "a form with no 项目名称 value"),
    "form_no_money_unit": (WARNING, "a form that states no money unit; 万元 was assumed"),
    "form_bad_period": (WARNING, "a form's project period or date could not be read"),
    "form_unread_cell": (WARNING, "a header text of a form that no label took"),
    "form_empty_block": (WARNING, "one of a form's two indicator value blocks (period, annual) is empty"),
    "form_blocks_differ": (WARNING, "the period and annual blocks of a form list different indicators on a row"),
    "form_sum_mismatch": (ERROR, "a form's annual total differs from its parts"),
    "form_subtotal_mismatch": (ERROR, "a form's 小计 line differs from the sum of its items"),
    "form_annual_exceeds_period": (ERROR, "a form's annual money exceeds its whole-period money"),
    "form_period_total_mismatch": (WARNING, "a project within one year whose annual and period money differ"),
    "form_missing_period_goal": (WARNING, "a multi-year project's form without a period goal"),
    "form_same_goals": (INFO, "a form whose period and annual goals are identical"),
    "form_missing_value": (ERROR, "a 三级指标 of a form without a value"),
    "form_period_reversed": (ERROR, "a form's project start is after its end"),
    "form_date_outside_period": (WARNING, "a 时效 indicator's date falls outside the project period"),
    # money
    "bad_amount": (ERROR, "an amount cell holds something that is not a number"),
    "formula_without_value": (ERROR, "an amount cell is a formula stored without its computed value"),
    "formula_error": (ERROR, "an amount cell is a formula whose cached value is an error (#N/A, #REF!, #DIV/0!)"),
    "row_sum_mismatch": (ERROR, "总计 differs from 财政拨款 + 财政专户拨款 + 其他资金 on a row"),
    "subtotal_mismatch": (ERROR, "a spending-unit row differs from the sum of its projects"),
    "total_mismatch": (ERROR, "the 合计 row differs from the sum of the spending units"),
    "negative_amount": (WARNING, "an amount cell holds a negative amount (-3, (3.00))"),
    "implausible_amount": (ERROR, "a project amount above the ceiling ([review] max_project_amount); not counted"),
    # indicators
    "bad_indicator": (ERROR, "part of an indicator cell could not be read"),
    # review (rules.py, value_rules.py)
    "missing_output_indicator": (WARNING, "a project with no 产出 indicator"),
    "missing_benefit_indicator": (WARNING, "a project with no 效益 indicator"),
    "missing_satisfaction_indicator": (WARNING, "a project with no 满意度 indicator"),
    "missing_cost_indicator": (WARNING, "2021 framework only: a project with no 成本 indicator"),
    "too_few_indicators": (WARNING, "a project with fewer indicators than the minimum (3)"),
    "unknown_level": (WARNING, "a level-1 or level-2 name outside the framework"),
    "level_synonym": (INFO, "a known synonym of a level name was mapped to the framework's name"),
    "level_code_mismatch": (WARNING, "a level 2 not under its level 1, or a code whose name disagrees with the code map"),
    "duplicate_indicator": (WARNING, "the same indicator name twice in one project"),
    "vague_target": (WARNING, "a vague qualitative value on an indicator whose name implies a number"),
    "missing_unit": (WARNING, "a number without a unit where the name does not say what it counts"),
    "percent_out_of_range": (ERROR, "a percentage target below 0 or above 100"),
    "degenerate_rate": (WARNING, "≥100% or >100%"),
    "template_leftover": (ERROR, "a template placeholder left in: **, XX, ××, ……, ★"),
    "period_annual_conflict": (WARNING, "实施周期 and 年度 values that contradict each other"),
    "name_value_conflict": (WARNING, "the name embeds a target that differs from the value"),
    "empty_goal": (WARNING, "绩效目标 empty or only repeating the project name"),
    # control figures (controls.py)
    "control_total_mismatch": (ERROR, "a department's total differs from its approved control figure"),
    "missing_submission": (WARNING, "a control figure for a department that sent no table"),
    "no_control_figure": (WARNING, "a department with a table but no control figure"),
    "expected_total_mismatch": (ERROR, "the grand total differs from --expect-total"),
    # what a workbook cell can hold (review/cell_length.py)
    "text_too_long": (WARNING, "a text over the 32,767 characters an Excel cell holds; the workbooks shorten it, the CSVs keep it"),
}


# code -> the short Chinese name a clerk reads in the 问题 column (report.xlsx, report.html, the e-mail);
# every code in CODES has one (tests/test_findings_titles.py)
TITLES: dict[str, str] = {
    "unreadable_file": "文件无法打开", "unsafe_file": "文件不安全或过大", "encrypted_file": "文件设有密码",
    "no_table": "没有绩效目标表", "sheet_without_table": "工作表中没有表", "missing_department_name": "缺少部门名称",
    "unknown_money_unit": "金额单位不明", "money_unit_conflict": "金额单位矛盾", "no_amount_columns": "缺少金额列",
    "unrecognised_row": "无法识别的行", "duplicate_project": "项目重复", "duplicate_department": "部门重复报送",
    "bad_amount": "金额无法读取", "row_sum_mismatch": "总计与分项不符", "subtotal_mismatch": "单位小计与项目之和不符",
    "total_mismatch": "合计与各单位之和不符", "bad_indicator": "指标无法读取",
    "missing_output_indicator": "缺少产出指标", "missing_benefit_indicator": "缺少效益指标",
    "missing_satisfaction_indicator": "缺少满意度指标", "missing_cost_indicator": "缺少成本指标",
    "too_few_indicators": "指标过少", "unknown_level": "指标层级不明", "level_synonym": "指标层级用了别名",
    "level_code_mismatch": "指标层级与编码不符", "duplicate_indicator": "指标重复", "vague_target": "指标值含糊",
    "missing_unit": "指标值缺少单位", "percent_out_of_range": "百分比超出范围", "degenerate_rate": "比率目标无意义",
    "template_leftover": "模板占位符未替换", "period_annual_conflict": "实施周期与年度指标值矛盾",
    "name_value_conflict": "指标名称与指标值矛盾", "empty_goal": "绩效目标空缺",
    "control_total_mismatch": "合计与控制数不符", "missing_submission": "未报送", "no_control_figure": "没有控制数",
    "expected_total_mismatch": "合计与预期金额不符",
    "duplicate_sheet": "工作表重复", "formula_without_value": "公式没有计算结果", "formula_error": "公式结果为错误值",
    "negative_amount": "金额为负数", "implausible_amount": "金额大得不合理",
    "duplicate_form": "申报表重复报送", "form_annual_exceeds_period": "年度资金超过实施期资金",
    "form_bad_period": "实施期间无法读取", "form_blocks_differ": "实施期与年度指标不对应",
    "form_date_outside_period": "时效日期超出实施期", "form_empty_block": "指标值栏空缺",
    "form_missing_name": "申报表缺少项目名称", "form_missing_period_goal": "缺少实施期目标",
    "form_missing_value": "指标缺少指标值", "form_no_money_unit": "申报表未写金额单位",
    "form_period_reversed": "实施期间起止颠倒", "form_period_total_mismatch": "年度与实施期资金不符",
    "form_same_goals": "实施期与年度目标相同", "form_subtotal_mismatch": "申报表小计不符",
    "form_sum_mismatch": "申报表资金合计不符", "form_table_mismatch": "申报表与汇总表不符",
    "form_unread_cell": "申报表有未识别的栏目", "read_note": "读取说明", "reader_crashed": "读取程序中断",
    "text_too_long": "文字超过单元格上限",
}


def title_of(code: str) -> str:
    """The Chinese name of a finding code (the code itself for one added without a title)."""
    return TITLES.get(code, code)


# a parameter that names where something is (a cell, a row, an item number, a file or sheet) rather than
# what is wrong: left out of `history.changes.finding_key`, since it moves when rows are inserted
_POSITION_NAMES = {"cell", "row", "seq", "file", "sheet"}
_POSITION_SUFFIXES = ("_cell", "_row", "_seq", "_file", "_files", "_sheet")


def is_position(name: str) -> bool:
    return name in _POSITION_NAMES or name.endswith(_POSITION_SUFFIXES)


Params = tuple[tuple[str, "str | int | Decimal | None"], ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """`params` are the raw figures and names the message was rendered from (`messages.MESSAGES`), sorted
    by name; None only for a finding read back from a history row recorded before params were kept.
    `body` is the rendered template alone when `finding` ended the message with a （位置：…） suffix (None
    when the message is the template alone, it names the file already): `text` gives it either way."""

    code: str
    severity: str
    file: str
    sheet: str | None
    cell: str | None
    department: str | None
    project: str | None
    message: str      # rendered once, when the finding is made (a finding is written out several times)
    params: Params | None = None
    body: str | None = None

    def as_dict(self) -> dict:
        # explicit rather than dataclasses.asdict, which deep-copies and costs 25 µs a finding
        return {"code": self.code, "severity": self.severity, "file": self.file, "sheet": self.sheet,
                "cell": self.cell, "department": self.department, "project": self.project, "message": self.message,
                "params": params_dict(self.params)}

    @property
    def where(self) -> str:
        return location(self.file, self.sheet, self.cell)

    @property
    def text(self) -> str:
        """The message without the location suffix, for a report that shows the location in its own column."""
        return self.message if self.body is None else self.body


def params_dict(params: Params | None) -> dict | None:
    """The parameters as JSON holds them (run.json, findings.csv, the history): a Decimal as its exact text."""
    if params is None:
        return None
    return {name: decimal_text(value) if isinstance(value, Decimal) else value for name, value in params}


def decimal_text(value: Decimal) -> str:
    """A Decimal's exact value as plain text without trailing zeros (`-254.000000` → `-254`, `95.50` → `95.5`),
    so the same figure read from a 元 table and from a 万元 table is the same text."""
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


def params_json(params: Params | None) -> str | None:
    """findings.csv's `params` and the history's: a JSON object, keys sorted, Chinese as it is."""
    return params_text(params_dict(params))


def params_text(params: dict | None) -> str | None:
    """`params_dict`'s result as one JSON text (None stays None)."""
    return None if params is None else json.dumps(params, ensure_ascii=False, sort_keys=True)


def location(file: str, sheet: str | None, cell: str | int | None) -> str:
    """`file!sheet!B7`, the way a clerk finds the cell."""
    return "!".join([str(p) for p in (file, sheet, cell) if p is not None and p != ""])   # a list: faster


def finding(code: str, *, file: str, sheet: str | None = None, cell: str | None = None,
            department: str | None = None, project: str | None = None, **params) -> Finding:
    """Build a finding with the code's default severity (settings may override it later), its message
    rendered from the code's template (`messages.MESSAGES`) with `params` and the position.

    Every message names the file (and sheet and cell where there is one), so it still says where
    when it is read alone: pasted into an e-mail to the department, or in findings.csv.
    """
    body = render(code, {"file": file, "sheet": sheet, "cell": cell, "department": department,
                         "project": project, **params})
    located = file and file not in body
    message = f"{body}（位置：{location(file, sheet, cell)}）" if located else body
    return Finding(code, CODES[code][0], file, sheet, cell, department, project, message,
                   tuple(sorted(params.items())), body if located else None)


def with_severities(findings: list[Finding], overrides: dict[str, str]) -> list[Finding]:
    """Apply per-code severity overrides from the settings."""
    if not overrides:
        return findings
    return [replace(f, severity=overrides[f.code]) if f.code in overrides else f for f in findings]


def sort_key(f: Finding) -> tuple:
    return (SEVERITY_ORDER[f.severity], f.file, f.sheet or "", f.department or "", f.code)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)
