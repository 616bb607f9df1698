"""The reviewer's checks on a form: each code raised by a form that breaks it, at its cell, and not by one that keeps it."""

import pytest

from form_builders import INDICATORS, Form, dongguan_rows, write_form_xlsx, yueyang_rows
from pipeline.findings import CODES
from pipeline.run import check

TIMELY = ("产出指标", "时效指标", "完工时间", "2022年11月底前", "2022年11月底前")


def yueyang(**changes):
    return ("yueyang", Form(**changes))


def dongguan(**changes):
    base = dict(name="物业管理费支出", department="东莞展览馆", unit="东莞展览馆", total=282.92, fiscal="",
                period_total=848.76, period="2022.01-2024.12", goal="保障展馆日常运转", period_goal="三年保障展馆运转")
    base.update(changes)
    return ("dongguan", Form(**base))


# code -> (a form that breaks the rule, the cell it is reported at, a form that keeps it)
CASES = {
    "form_sum_mismatch": (yueyang(total=900, fiscal=854), "C6", yueyang(total=900, fiscal=854, other=46)),
    "form_annual_exceeds_period": (dongguan(period_total=200), "F2", dongguan()),
    "form_period_total_mismatch": (dongguan(period="2022.01-2022.12", period_goal=""), "F2",
                                   dongguan(period="2022.01-2022.12", period_goal="", period_total=282.92)),
    "form_missing_period_goal": (yueyang(period="2022.01-2024.12"), "C9",
                                 dongguan(period="2022.01-2024.12")),
    "form_same_goals": (dongguan(period_goal="保障展馆日常运转"), "B5", dongguan()),
    "form_missing_value": (yueyang(indicators=INDICATORS + [("产出指标", "质量指标", "验收合格率", "", "")]), "D15",
                           yueyang()),
    "form_period_reversed": (yueyang(period="2023.01-2022.12"), "B5", yueyang()),
    "form_date_outside_period": (yueyang(indicators=INDICATORS + [TIMELY], period="2022.01-2022.10"), "D15",
                                 yueyang(indicators=INDICATORS + [TIMELY])),
}


def run_form(tmp_path, case):
    kind, form = case
    rows, merges = yueyang_rows(form) if kind == "yueyang" else dongguan_rows(form)
    return check([write_form_xlsx(tmp_path / "表.xlsx", [("S", rows, merges)])]).findings


@pytest.mark.parametrize("code", sorted(CASES))
def test_a_form_that_breaks_the_rule_raises_it_at_the_cell(tmp_path, code):
    breaks, cell, _ = CASES[code]
    raised = [f for f in run_form(tmp_path, breaks) if f.code == code]
    assert len(raised) == 1, [f.code for f in run_form(tmp_path, breaks)]
    finding = raised[0]
    assert (finding.cell, finding.severity, finding.file, finding.sheet) == (cell, CODES[code][0], "表.xlsx", "S")
    assert finding.project == breaks[1].name and f"「{breaks[1].name}」" in finding.message
    assert "请" in finding.message or "如" in finding.message


@pytest.mark.parametrize("code", sorted(CASES))
def test_a_form_that_keeps_the_rule_does_not_raise_it(tmp_path, code):
    assert code not in {f.code for f in run_form(tmp_path, CASES[code][2])}


def test_the_table_rules_apply_to_forms_unchanged(tmp_path):
    form = Form(indicators=[("产出指标", "质量指标", "验收合格率", "292%", "292%")])
    codes = {f.code for f in run_form(tmp_path, ("yueyang", form))}
    assert {"percent_out_of_range", "missing_benefit_indicator", "missing_satisfaction_indicator",
            "too_few_indicators"} <= codes


def test_subtotals_equal_their_items(tmp_path):
    rows, merges = yueyang_rows(Form(total=100, fiscal=100))
    money = next(r for r, row in enumerate(rows) if row[1] == "其中:财政拨款")
    rows[money][1] = "(一)财政拨款小计"
    rows.insert(money + 1, ["", "一般公共预算", 60, "", ""])
    rows.insert(money + 2, ["", "政府性基金", 30, "", ""])
    merges = [(r0 + (2 if r0 > money else 0), c0, r1 + (2 if r1 > money else 0), c1) for r0, c0, r1, c1 in merges]
    findings = check([write_form_xlsx(tmp_path / "表.xlsx", [("S", rows, merges)])]).findings
    [mismatch] = [f for f in findings if f.code == "form_subtotal_mismatch"]
    assert mismatch.cell == "C7" and "90.00" in mismatch.message and "100.00" in mismatch.message
