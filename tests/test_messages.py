"""messages.MESSAGES: every code's template renders from raw parameters, and `finding` adds the location."""

from decimal import Decimal
from string import Formatter

import pytest

from pipeline.findings import CODES, Finding, finding, is_position, params_dict, params_json
from pipeline.messages import MESSAGES, PARTS, render, template_of

# a raw value for every parameter any template names: figures as Decimal, counts as int, names as text
SAMPLE = {
    "file": "信访局.xlsx", "sheet": "Sheet1", "cell": "C7", "department": "某区信访局", "project": "信访维稳经费",
    "actual": Decimal("12.5"), "expected": Decimal("10.00"), "difference": Decimal("2.5"), "amount": Decimal("-3"),
    "annual": Decimal("30"), "whole": Decimal("20"), "ceiling": Decimal("1000000"), "control": Decimal("308.00"),
    "total": Decimal("310.25"), "parts": Decimal("300"), "subtotal": Decimal("8"), "items": Decimal("7.5"),
    "form_amount": Decimal("5"), "table_amount": Decimal("6"), "target": Decimal("100"),
    "embedded_target": Decimal("100"), "unit": "元", "column": "fiscal", "part": "other", "row_kind": "unit",
    "row_name": "某区信访局机关", "row": 12, "row_count": 40, "count": 2, "minimum": 3, "seq": 4, "first_seq": 2,
    "controls_row": 9, "length": 40000, "limit": 32767, "level": 2, "hidden": 1, "visibility_differs": 0,
    "lacks_name": 1, "period_block": 0, "annual_missing": 1, "annual_name": "年度名", "period_name": "周期名",
    "annual_operator": "≤", "period_operator": "≥", "annual_unit": "", "period_unit": "人", "annual_value": "≥95%",
    "period_value": "≥90%", "period_cell": "E7", "annual_cell": "F7", "agreed": "≥95%", "belongs_to": "产出指标",
    "level1": "效益指标", "level1_code": "2", "level2": "数量指标", "level2_code": "11", "mapped1": None,
    "mapped2": "质量指标", "controls_file": "控制数.xlsx", "kept_total": Decimal("308.00"),
    "copy_total": Decimal("308"), "copy_projects": 10, "extra_projects": None, "missing_projects": None,
    "changed_projects": None,
    "embedded_operator": "=", "embedded_unit": "%", "start": "2026-01", "end": "2026-12", "error": "#REF!",
    "example": "≥95%", "form_value": "≥90%", "framework": "2015", "goal": "信访维稳经费", "group": "满意度指标",
    "header_unit": "元", "indicator": "办结率", "indicator_cell": "H9", "indicators": "产出/办结率；效益/满意度",
    "kept_sheet": "Sheet2", "label": "年度资金总额", "meant": "92", "month": "2027-06", "name": "办结率",
    "names": "产出指标、效益指标", "note": "按其内容读取", "older_files": "「旧.xlsx」", "operator": "≥", "other": "2021",
    "placeholder": "**", "problem": "units", "raw": "(3.00)", "reason": "文件已加密", "resolved": "服务对象满意度",
    "spending_unit": "某区信访局机关", "table_cell": "D8", "table_file": "汇总.xlsx", "table_value": "≥95%",
    "text": "填表人：张三", "unit_line": "万元", "unit_text": "", "units": "天个", "value": "≥100", "value_label": "年度指标值",
    "what": "合计行的总计与各资金使用单位总计之和", "word": "及时", "written": "效益指标",
}


def variants():
    for code, template in MESSAGES.items():
        for variant in (template if isinstance(template, dict) else [None]):
            yield code, variant


def fields(template: str) -> list[tuple[str, str]]:
    return [(name, spec or "") for _, name, spec, _ in Formatter().parse(template) if name]


def test_every_code_has_a_template_and_every_template_a_code():
    assert set(MESSAGES) == set(CODES)
    assert set(PARTS) <= set(CODES)
    assert all(template for template in MESSAGES.values())


@pytest.mark.parametrize("code, variant", list(variants()))
def test_every_template_renders_from_raw_parameters(code, variant):
    template = template_of(code, variant)
    message = render(code, {**SAMPLE, "variant": variant})
    assert "{" not in message and "}" not in message and "None" not in message, message
    for name, spec in fields(template):
        assert name in SAMPLE, f"{code}: no sample for {name}"
        if not spec:
            assert str(SAMPLE[name]) in message


@pytest.mark.parametrize("code, variant", [(c, v) for c, v in variants() if v is not None])
def test_a_code_with_several_phrasings_is_told_which(code, variant):
    with pytest.raises(KeyError, match=code):
        render(code, {**SAMPLE, "variant": "no_such_variant"})


def test_figures_are_formatted_when_the_message_is_rendered():
    f = finding("negative_amount", file="a.xlsx", sheet="S", cell="C5", department="某局", project="甲",
                row_kind="project", row_name="甲", column="fiscal", raw="-30000", amount=Decimal("-3"), unit="元")
    assert f.message == ("项目「甲」的「财政拨款」单元格 C5 为负数「-30000」，即 -30,000.00 元（-3.00 万元）。预算金额通常不为负，"
                         "请核对是否误录（如括号或减号）；确为调减的，请在说明中注明。（位置：a.xlsx!S!C5）")
    assert dict(f.params)["amount"] == Decimal("-3")                   # raw, not the text shown
    mismatch = finding("control_total_mismatch", file="a.xlsx", sheet="S", cell="B4", department="某局",
                       total=Decimal("1234.5"), control=Decimal("1200"), difference=Decimal("34.5"),
                       controls_file="控制数.xlsx", controls_row=3)
    assert mismatch.message.startswith("部门「某局」各项目合计 1,234.50 万元，与控制数 1,200.00 万元不符，超出控制数 34.50 万元"
                                       "（控制数见 控制数.xlsx 第 3 行）。")


def test_the_location_is_added_unless_the_message_names_the_file():
    at_cell = finding("no_amount_columns", file="a.xlsx", sheet="S", cell="B4")
    assert at_cell.message.endswith("请使用标准表样，或把金额列标题改为「总计」等标准名称。（位置：a.xlsx!S!B4）")
    assert finding("no_amount_columns", file="a.xlsx").message.endswith("（位置：a.xlsx）")
    named = finding("read_note", file="a.xlsx", note="按其内容读取")
    assert named.message == "文件「a.xlsx」按其内容读取。"
    assert finding("expected_total_mismatch", file="", total=Decimal(1), expected=Decimal(2),
                   difference=Decimal(-1)).message.endswith("请核对报表金额，或检查 --expect-total 的数值。")


def test_parameters_are_immutable_sorted_and_written_as_sorted_json():
    f = finding("form_sum_mismatch", file="a.xlsx", cell="B3", project="甲", total=Decimal("10.50"),
                parts=Decimal("10"))
    assert f.params == (("parts", Decimal("10")), ("total", Decimal("10.50")))
    assert params_dict(f.params) == {"parts": "10", "total": "10.5"}
    assert params_json(f.params) == '{"parts": "10", "total": "10.5"}'
    assert params_json(finding("form_missing_name", file="a.xlsx", project="项目甲").params) == "{}"
    assert f.as_dict()["params"] == {"parts": "10", "total": "10.5"}
    legacy = Finding("empty_goal", "warning", "a.xlsx", None, None, None, None, "旧的消息")
    assert legacy.as_dict()["params"] is None and params_json(legacy.params) is None
    with pytest.raises(AttributeError):
        f.params = ()


@pytest.mark.parametrize("name, position", [("cell", True), ("row", True), ("seq", True), ("first_seq", True),
                                            ("table_cell", True), ("controls_file", True), ("older_files", True),
                                            ("kept_sheet", True), ("controls_row", True), ("row_count", False),
                                            ("total", False), ("row_kind", False), ("text", False)])
def test_parameters_that_name_a_position(name, position):
    assert is_position(name) is position


@pytest.mark.parametrize("variant, text, message", [
    ("period", "2023年13月", "项目期限「2023年13月」无法读取，请写成「2023.01-2023.12」或「2023年-2025年」。（位置：a.xlsx!S!C4）"),
    ("date", "明年", "日期「明年」无法读取，请写成「2023-01-01」。（位置：a.xlsx!S!C4）"),
])
def test_a_form_period_that_cannot_be_read(variant, text, message):
    f = finding("form_bad_period", file="a.xlsx", sheet="S", cell="C4", variant=variant, text=text)
    assert f.message == message and dict(f.params) == {"variant": variant, "text": text}
