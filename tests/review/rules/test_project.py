"""The reviewer's rules (pipeline.review.rules.project, pipeline.review.rules.values): each one broken by a table, kept by another.

Projects are built directly as model objects; `make` describes indicators as the packed layout writes
them (`1-产出指标`, `11-数量指标`, name, 实施周期 value, 年度 value).
"""

from dataclasses import replace
from decimal import Decimal

import pytest

from checked import read_checked
from pipeline.findings import CODES
from pipeline.read.indicators import parse_target
from pipeline.model import Amounts, Department, Indicator, Project, Source, SpendingUnit
from pipeline.read.normalise import split_code
from pipeline.review.rules.project import review
from pipeline.settings import Settings

from conftest import ROOT  # noqa: E402
OUT = ("1-产出指标", "11-数量指标", "培训人次", "≥100人次", "≥100人次")
BEN = ("2-效益指标", "22-社会效益", "政策知晓率", "≥90%", "≥90%")
SAT = ("3-满意度指标", "31-服务对象满意度", "群众满意度", "≥85%", "≥85%")
COST = ("4-成本指标", "41-经济成本指标", "人均培训成本", "≤500元", "≤500元")
GOOD = [OUT, BEN, SAT]
COLUMNS = {"name": 0, "total": 1, "fiscal": 2, "special_account": 3, "other": 4, "goal": 5, "indicators": 6}


def indicator(seq: int, l1: str, l2: str, name: str, period: str, annual: str) -> Indicator:
    (c1, n1), (c2, n2) = split_code(l1), split_code(l2)
    t = parse_target(annual)
    return Indicator(seq, c1, n1, c2, n2, name, period, annual, t.operator, t.target, t.unit, t.kind,
                     Source("培训中心.xlsx", "Sheet1", 7, 6))


def make(items=GOOD, *, name="教师培训经费", goal="全年培训教师不少于 100 人次，政策知晓率达 90% 以上。") -> Project:
    project = Project("某区教育局", "某区教育局机关", name, Amounts(Decimal("10")), goal,
                      Source("培训中心.xlsx", "Sheet1", 7, 0), dict(COLUMNS))
    project.indicators = [indicator(n, *item) for n, item in enumerate(items, 1)]
    return project


def department(*projects: Project) -> Department:
    unit = SpendingUnit("某区教育局机关", None, None, list(projects))
    return Department("某区教育局", "培训中心.xlsx", "Sheet1", "万元", None, None, dict(COLUMNS), [unit])


def findings(project: Project, settings: Settings = Settings()):
    return review([department(project)], settings)


def codes(project: Project, settings: Settings = Settings()) -> list[str]:
    return [f.code for f in findings(project, settings)]


def with_value(value: str, name: str = "培训人次", period: str | None = None, level=OUT[:2]):
    """A good project whose first indicator is replaced by one with this name and value."""
    return make([(*level, name, value if period is None else period, value), BEN, SAT])


def test_a_well_formed_project_raises_nothing():
    assert findings(make()) == []


# --- one table that breaks each rule, one that does not ------------------------------------------

# code -> (a table that breaks the rule, one that keeps it)
CASES = {
    "missing_output_indicator": (
        make([BEN, SAT, ("2-效益指标", "21-经济效益", "节约经费", "≥5万元", "≥5万元")]),
        make([("预期产出指标", "数量指标", "培训人次", "≥100人次", "≥100人次"), BEN, SAT])),
    "missing_benefit_indicator": (
        make([OUT, SAT, ("1-产出指标", "12-质量指标", "合格率", "≥95%", "≥95%")]),
        make([OUT, SAT, ("效果指标", "社会效益指标", "政策知晓率", "≥90%", "≥90%")])),
    "missing_satisfaction_indicator": (
        make([OUT, BEN, ("1-产出指标", "12-质量指标", "合格率", "≥95%", "≥95%")]),
        make([OUT, BEN, ("满意度指标", "社会公众或服务对象满意度", "满意度", "≥90%", "≥90%")])),
    "too_few_indicators": (
        make([OUT, BEN]),
        make()),
    "unknown_level": (
        make([("1-产出指标", "15-过程指标", "培训人次", "≥100人次", "≥100人次"), BEN, SAT]),
        make([("产出", "数量指标", "培训人次", "≥100人次", "≥100人次"), BEN, SAT])),
    "level_synonym": (
        make([("预期产出指标", "数量指标", "培训人次", "≥100人次", "≥100人次"), BEN, SAT]),
        make([("产出指标", "数量指标", "培训人次", "≥100人次", "≥100人次"), BEN, SAT])),
    "level_code_mismatch": (
        make([("1-产出指标", "22-社会效益", "培训人次", "≥100人次", "≥100人次"), BEN, SAT]),
        make([("1-产出指标", "11-数量", "培训人次", "≥100人次", "≥100人次"), BEN, SAT])),
    "duplicate_indicator": (
        make([OUT, BEN, SAT, OUT]),
        make([OUT, BEN, SAT, ("1-产出指标", "11-数量指标", "培训课时", "≥40课时", "≥40课时")])),
    "vague_target": (
        with_value("稳步提高", name="培训合格率"),
        with_value("稳步提高", name="培训质量")),
    "missing_unit": (
        with_value("≥100", name="培训规模"),
        with_value("≥100", name="培训人数")),
    "percent_out_of_range": (
        with_value("292%", name="培训合格率"),
        with_value("100%", name="培训合格率")),
    "degenerate_rate": (
        with_value("≥100%", name="培训合格率"),
        with_value("=100%", name="培训合格率")),
    "template_leftover": (
        with_value("≥**%", name="培训合格率"),
        with_value("≥95%", name="Linux 培训合格率")),
    "period_annual_conflict": (
        with_value("≥95%", name="培训合格率", period="≥90%"),
        with_value("≥95%", name="培训合格率", period="≥95%")),
    "name_value_conflict": (
        with_value("≥98%", name="培训达标率100%"),
        with_value("≥100%", name="培训达标率100%")),
    "empty_goal": (
        make(goal="教师培训经费"),
        make(goal="通过实施教师培训经费项目，培训教师 100 人次。")),
}
BREAKS = {code: breaks for code, (breaks, _) in CASES.items()}
KEEPS = {code: keeps for code, (_, keeps) in CASES.items()}


@pytest.mark.parametrize("code", sorted(BREAKS))
def test_a_table_that_breaks_the_rule_raises_it(code):
    raised = [f for f in findings(BREAKS[code]) if f.code == code]
    assert len(raised) == 1, codes(BREAKS[code])
    f = raised[0]
    assert f.severity == CODES[code][0]
    assert (f.file, f.sheet, f.department, f.project) == ("培训中心.xlsx", "Sheet1", "某区教育局", "教师培训经费")
    assert f.cell and f.cell in f.message and "「教师培训经费」" in f.message
    assert "如" in f.message or "请" in f.message  # says what a well-formed one looks like


@pytest.mark.parametrize("code", sorted(KEEPS))
def test_a_table_that_keeps_the_rule_does_not_raise_it(code):
    assert code not in codes(KEEPS[code])


def test_every_review_code_has_a_table_that_breaks_it_and_one_that_keeps_it():
    assert _review_codes() == set(BREAKS) | {"missing_cost_indicator"}
    assert set(BREAKS) == set(KEEPS)


def _review_codes():
    text = (ROOT / "pipeline" / "findings.py").read_text(encoding="utf-8")
    block = text[text.index("# review (rules.py"):text.index("# control figures")]
    return {line.split('"')[1] for line in block.splitlines() if line.strip().startswith('"')}


def test_missing_cost_indicator_only_with_the_2021_framework():
    assert "missing_cost_indicator" not in codes(make())
    assert codes(make(), Settings(framework="2021")) == ["missing_cost_indicator"]
    assert codes(make([OUT, BEN, SAT, COST]), Settings(framework="2021")) == []
    # under 2015 a 成本 level 1 is outside the framework, and the message says which framework has it
    unknown = [f for f in findings(make([OUT, BEN, SAT, COST])) if f.code == "unknown_level"]
    assert len(unknown) == 2 and "framework = \"2021\"" in unknown[0].message


# --- messages ---------------------------------------------------------------------------------

def test_messages_name_the_project_and_indicator_quote_the_value_and_advise():
    (f,) = findings(BREAKS["vague_target"])
    assert f.message == ("项目「教师培训经费」的指标「培训合格率」（单元格 G7）指标值为「稳步提高」：指标名称表明应有数值，"
                         "「稳步提高」却无法衡量。请写明目标值，如「≥95%」。（位置：培训中心.xlsx!Sheet1!G7）")
    (f,) = findings(BREAKS["missing_unit"])
    assert "指标值「≥100」只有数字，没有单位" in f.message and "「≥100天」" in f.message
    (f,) = findings(BREAKS["percent_out_of_range"])
    assert "「292%」超出 0%～100% 的范围；如原意是「≥92%」" in f.message


def test_a_project_without_any_indicator_gets_one_finding():
    assert codes(make([])) == ["too_few_indicators"]
    assert "没有任何绩效指标" in findings(make([]))[0].message


def test_period_and_annual_values_are_each_checked_when_they_differ():
    project = with_value("≥95%", name="培训合格率", period="稳步提高")
    (f,) = [f for f in findings(project) if f.code == "vague_target"]
    assert "实施周期指标值为「稳步提高」" in f.message


@pytest.mark.parametrize("period, annual", [("≥30人", "≥30人次"), ("≥90%", "≤10%"), ("6", "6人")])
def test_period_annual_conflict_units_and_directions(period, annual):
    assert "period_annual_conflict" in codes(with_value(annual, name="受训人数", period=period))


def test_a_multi_year_project_may_set_a_stricter_annual_rate():
    # the period target of a count is three years' worth: the project runs longer than a year
    project = make([("1-产出指标", "11-数量指标", "培训人次", "≥300人次", "≥100人次"),
                    ("1-产出指标", "12-质量指标", "培训合格率", "≥90%", "≥95%"), BEN, SAT])
    assert "period_annual_conflict" not in codes(project)


def test_level_code_mismatch_against_the_code_map():
    project = make([("1-产出指标", "12-数量指标", "培训人次", "≥100人次", "≥100人次"), BEN, SAT])
    (f,) = [f for f in findings(project) if f.code == "level_code_mismatch"]
    assert "二级指标编码 12 在编码表中是「质量指标」，表中却写作「数量指标」" in f.message
    other_system = Settings(code_map={"1": "产出指标", "12": "数量指标"})
    assert "level_code_mismatch" not in codes(project, other_system)
    synonyms = Settings(code_map={"1": "预期产出指标", "12": "数量指标"})
    assert "level_code_mismatch" not in codes(project, synonyms)


@pytest.mark.parametrize("goal", ["", "无", "做好教师培训经费项目。", "  教师培训经费  "])
def test_an_empty_goal(goal):
    assert "empty_goal" in codes(make(goal=goal))


@pytest.mark.parametrize("name, goal, empty", [
    ("⼈员经费", "人员经费", True),             # a Kangxi radical in the name: NFKC makes it 人
    ("人员经费", "⼈员经费项目", True),
    ("教师培训经费", "教师培训经费 ﹐做好", True),  # a small comma: punctuation once NFKC folds it
    ("教师培训经费", "教师培训经费，完成培训", False),   # 培 and 训 are the name's, but 完成培训 is more
    ("教师培训经费", "培训", False),
    ("教师培训经费", "教师培训经费①", False),    # ① is a word character (1 after NFKC)
    ("教师培训经费", "教师培训经费 XYZ", False),
    ("", "做好工作", False),                     # no name: filler words alone say something
])
def test_a_goal_is_empty_only_when_nothing_but_the_name_and_filler_words_is_left(name, goal, empty):
    assert ("empty_goal" in codes(make(name=name or "　", goal=goal))) is empty


def test_the_vague_word_list_and_minimum_come_from_the_settings():
    project = with_value("尽快完成", name="培训完成率")
    assert "vague_target" not in codes(project)
    assert "vague_target" in codes(project, Settings(vague_words=("尽快",)))
    assert "too_few_indicators" in codes(make(), Settings(min_indicators=4))


@pytest.mark.parametrize("text", ["XX人", "××", "……", "★", "≥xx%"])
def test_template_placeholders(text):
    assert "template_leftover" in codes(with_value(text, name="培训人数"))


@pytest.mark.parametrize("field", ["level1", "level2", "name", "period", "annual"])
@pytest.mark.parametrize("placeholder", ["**", "XX", "ｘｘ", "××", "……", "☆"])
def test_a_placeholder_in_any_text_of_an_indicator_is_found_and_labelled(field, placeholder):
    texts = {"level1": "1-产出指标", "level2": "11-数量指标", "name": "培训人次", "period": "≥300人次",
             "annual": "≥100人次"}
    texts[field] = texts[field] + placeholder
    project = make([tuple(texts.values()), BEN, SAT])
    (f,) = [f for f in findings(project) if f.code == "template_leftover"]
    label = {"level1": "一级指标", "level2": "二级指标", "name": "指标名称", "period": "实施周期指标值",
             "annual": "年度指标值"}[field]
    assert dict(f.params)["label"] == label and dict(f.params)["placeholder"] == placeholder


def test_every_placeholder_holds_one_of_the_characters_searched_first():
    """template_leftover rules placeholders out by their characters before the full search."""
    import itertools

    from pipeline.review.rules.values import _LEFTOVER_CHARS, LEFTOVER

    pool = "*XxＸｘ×…★☆aZ1。 \n"
    for size in (1, 2, 3):
        for chars in itertools.product(pool, repeat=size):
            text = "".join(chars)
            if LEFTOVER.search(text):
                assert _LEFTOVER_CHARS.search(text), text
    assert [bool(_LEFTOVER_CHARS.search(t)) for t in ("≥95%", "1-产出指标", "Linux")] == [False, False, True]


def test_template_leftover_in_the_goal():
    (f,) = [f for f in findings(make(goal="通过实施本项目，完成XX工作。")) if f.code == "template_leftover"]
    assert f.cell == "F7" and "「XX」" in f.message


# --- the seed's real values ---------------------------------------------------------------------

@pytest.mark.parametrize("name, value", [
    ("提供法律咨询服务案件数", "≥15宗"),
    ("每年接待群众的人数", "每年接待群众的人数≥30人"),
    ("服务满意度", "服务对象对项目开展的满意度水平达80%"),
    ("需配备保安人员数量", "6人"),
    ("进京到非接待场所上访纯人数", "≤10"),
    ("安保服务质量", "高质量完成"),
    ("编外人员工资支付及时性", "及时"),
    ("接访案件转办及时率", "接访案件转办及时率100%"),
    ("到国家信访局走访量", "走访纯人数不超过辖区人口数的十万分之一"),
])
def test_the_seeds_values_raise_no_false_finding(name, value):
    assert codes(with_value(value, name=name)) == []


SEED_EXPECTED = {
    ("missing_benefit_indicator", "公务接待费"), ("missing_benefit_indicator", "办公室水电及物业管理费等"),
    ("missing_satisfaction_indicator", "进京劝返协调工作经费"), ("missing_satisfaction_indicator", "购置经费"),
    ("too_few_indicators", "公务接待费"), ("too_few_indicators", "购置经费"),
}


@pytest.mark.parametrize("path", [ROOT / "tests" / "fixtures" / "seed_xinfangju.txt",
                                  ROOT / "inputs" / "广州市荔湾区信访局.xlsx"])
def test_the_seed_raises_exactly_what_a_reviewer_would_say(path):
    batch = read_checked([path])
    assert len(batch.departments[0].indicators) == 33
    found = review(batch.departments, Settings())
    assert {(f.code, f.project) for f in found} == SEED_EXPECTED and len(found) == len(SEED_EXPECTED)
    assert all(f.severity == "warning" for f in found)


def test_review_is_pure():
    project = make([OUT, BEN])
    before = replace(project, indicators=list(project.indicators))
    assert findings(project) == findings(project)
    assert project == before


def test_a_percentage_range_is_judged_by_its_numbers():
    assert codes(with_value("85%-95%", name="覆盖率")) == []
    assert "percent_out_of_range" in codes(with_value("85%-195%", name="覆盖率"))


@pytest.mark.parametrize("period", ["85%-95%", "85-95%", "85%～95%", "85%至95%"])
def test_a_percentage_range_is_its_lower_bound_not_a_negative_number(period):
    # read as `= -95%` the range made the annual ≥85% look stricter than the period
    assert codes(with_value("≥85%", period=period, name="覆盖率")) == []


@pytest.mark.parametrize(("period", "annual"), [("≥100人次.", "≥100人次"), ("≥1.5万元", "≥1.5万元.")])
def test_a_final_full_stop_does_not_change_the_unit(period, annual):
    assert "period_annual_conflict" not in codes(with_value(annual, period=period))


def test_docs_list_every_review_and_control_code_with_its_severity():
    docs = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    control = {"control_total_mismatch", "missing_submission", "no_control_figure", "expected_total_mismatch"}
    for code in _review_codes() | control:
        assert f"| {code} | {CODES[code][0]} |" in docs, code
