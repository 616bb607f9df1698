"""Tests for pipeline.read.indicators: target values and the packed 绩效指标 layout."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.model import WrittenIndicator
from pipeline.read.indicators import Target, parse_packed, parse_range, parse_target

QUAL = Target(None, None, "", "qualitative")


def q(op: str, num: str, unit: str = "") -> Target:
    return Target(op, Decimal(num), unit, "quantitative")


# --- parse_target ----------------------------------------------------------------------------

TARGET_CASES = [
    # the domain.md table
    ("≥15宗", q("≥", "15", "宗")),
    ("≤10", q("≤", "10")),
    ("6人", q("=", "6", "人")),
    (">80%", q(">", "80", "%")),
    ("每年接待群众的人数≥30人", q("≥", "30", "人")),
    ("服务对象对项目开展的满意度水平达80%", q("≥", "80", "%")),
    (">=85", q("≥", "85")),
    ("不低于90%", q("≥", "90", "%")),
    ("不超过5天", q("≤", "5", "天")),
    ("±3%以内", q("±", "3", "%")),
    ("高质量完成", QUAL),
    ("及时", QUAL),
    ("提高我区的和谐稳定程度", QUAL),
    # the brief's further examples
    ("100%", q("=", "100", "%")),
    ("接访案件转办及时率100%", q("=", "100", "%")),
    ("按照相关要求专款专用", QUAL),
    ("赴访人数不超过辖区人口数的十万分之一", QUAL),
    # synonyms: ≥
    ("≧85", q("≥", "85")),
    ("不少于20人次", q("≥", "20", "人次")),
    ("达到95%", q("≥", "95", "%")),
    ("达95%", q("≥", "95", "%")),
    ("90%以上", q("≥", "90", "%")),
    ("90%及以上", q("≥", "90", "%")),
    ("大于等于60分", q("≥", "60", "分")),
    # synonyms: ≤
    ("<=3", q("≤", "3")),
    ("≦3个工作日", q("≤", "3", "个工作日")),
    ("不高于5%", q("≤", "5", "%")),
    ("不多于2次", q("≤", "2", "次")),
    ("5天以内", q("≤", "5", "天")),
    ("10万元以下", q("≤", "10", "万元")),
    ("5个工作日内办结", q("≤", "5", "个工作日")),
    # full-width forms
    ("＞80%", q(">", "80", "%")),
    ("＜5", q("<", "5")),
    ("＝100％", q("=", "100", "%")),
    ("８０％", q("=", "80", "%")),
    ("≥　９５．５％", q("≥", "95.5", "%")),
    ("＞＝８５", q("≥", "85")),
    # numbers
    ("1,000万元", q("=", "1000", "万元")),
    ("≥1,250,000元", q("≥", "1250000", "元")),
    ("3.5万元", q("=", "3.5", "万元")),
    ("-5%", q("=", "-5", "%")),
    ("≥-5", q("≥", "-5")),
    (" ≥ 15 宗 ", q("≥", "15", "宗")),
    ("100%。", q("=", "100", "%")),
    # several numbers / descriptive tails
    ("2023年完成80%", q("=", "80", "%")),
    ("2023年", q("=", "2023", "年")),
    ("≥95%，2023年", q("≥", "95", "%")),
    ("100%完成", q("=", "100", "%")),
    ("≥30人次，覆盖全区各街道", q("≥", "30", "人次")),
    ("完成3个以上", q("≥", "3", "个")),
    ("完成2023年度重点工作任务", QUAL),  # "unit" longer than 6 characters
    # template leftovers and out-of-range values
    ("≥**%", QUAL),
    ("XX人", QUAL),
    ("××", QUAL),
    ("≥292%", q("≥", "292", "%")),
    # a sign only at the start or after an operator or a space; elsewhere a dash is a separator
    ("增长 -5%", q("=", "-5", "%")),
    ("满意度-90%", q("=", "90", "%")),
    ("2023年-5%", q("=", "5", "%")),
    # ranges: the lower bound as ≥, or the upper bound as ≤ with 以内/以下/内
    ("85%-95%", q("≥", "85", "%")),
    ("85-95%", q("≥", "85", "%")),
    ("85%～95%", q("≥", "85", "%")),
    ("85%~95%", q("≥", "85", "%")),
    ("85%至95%", q("≥", "85", "%")),
    ("85%—95%", q("≥", "85", "%")),
    ("８５％－９５％", q("≥", "85", "%")),
    ("85% - 95%", q("≥", "85", "%")),
    ("5人至10人", q("≥", "5", "人")),
    ("2到3个", q("≥", "2", "个")),
    ("覆盖率85%-95%", q("≥", "85", "%")),
    ("3-5天内", q("≤", "5", "天")),
    ("≥85%-95%", q("≥", "85", "%")),
    ("-5%-5%", q("≥", "-5", "%")),
    ("3天-5人", q("=", "5", "人")),  # different units: not a range
    # a full stop ending the value is not part of the unit
    ("≥100人次.", q("≥", "100", "人次")),
    ("≥1.5万元.", q("≥", "1.5", "万元")),
    ("100.", q("=", "100")),
    ("≥100人次. 覆盖全区", q("≥", "100", "人次")),
    ("", QUAL),
    ("   ", QUAL),
]


@pytest.mark.parametrize(("text", "expected"), TARGET_CASES, ids=[c[0] or "<empty>" for c in TARGET_CASES])
def test_parse_target(text, expected):
    assert parse_target(text) == expected


@pytest.mark.parametrize(("text", "bounds"), [
    ("85%-95%", ("85", "95")),
    ("85-195%", ("85", "195")),
    ("3-5天内", ("3", "5")),
    ("≥95%", None),
    ("2023年完成80%", None),
    ("及时", None),
])
def test_parse_range_gives_both_bounds(text, bounds):
    assert parse_range(text) == (tuple(Decimal(b) for b in bounds) if bounds else None)


def test_parse_target_is_exact_decimal():
    t = parse_target("≥0.1万元")
    assert isinstance(t.target, Decimal)
    assert t.target == Decimal("0.1")  # a float would not compare equal to Decimal("0.1")


OPERATOR_SPELLINGS = st.sampled_from(
    [("≥", "≥"), (">=", "≥"), ("不低于", "≥"), ("≤", "≤"), ("<=", "≤"), ("不超过", "≤"),
     (">", ">"), ("<", "<"), ("=", "="), ("", "="), ("±", "±")]
)
UNITS = st.sampled_from(["", "%", "宗", "人", "天", "万元", "个工作日", "人次", "次/年"])


@given(
    spelling=OPERATOR_SPELLINGS,
    number=st.decimals(min_value=-10**7, max_value=10**7, places=2, allow_nan=False),
    unit=UNITS,
    prefix=st.sampled_from(["", "满意度", "每年接待人数"]),
)
def test_parse_target_round_trip(spelling, number, unit, prefix):
    written, operator = spelling
    text = f"{prefix}{written}{number}{unit}"
    # a dash glued to text is a separator (`满意度-90%`), a minus only after an operator or at the start
    expected = abs(number) if prefix and not written else number
    assert parse_target(text) == Target(operator, expected, unit, "quantitative")


# --- parse_packed ----------------------------------------------------------------------------

SEED_EXAMPLE = (
    "1、1-产出指标；12-质量指标；信访事项及时受理率；实施周期指标值:100%；年度指标值:100%。"
    "2、1-产出指标；12-质量指标；应急处置劝返率；实施周期指标值:100%；年度指标值:100%。"
    "3、2-效益指标；22-社会效益；社会稳定贡献；实施周期指标值:提高我区的和谐稳定程度。；"
    "年度指标值:提高我区的和谐稳定程度。"
    "4、3-满意度指标；31-服务对象满意度；群众满意度；实施周期指标值:≥80%；年度指标值:≥80%。"
)


def test_parse_packed_seed_example():
    items, problems = parse_packed(SEED_EXAMPLE)
    assert problems == []
    assert items == [
        WrittenIndicator(1, "1", "产出指标", "12", "质量指标", "信访事项及时受理率", "100%", "100%"),
        WrittenIndicator(2, "1", "产出指标", "12", "质量指标", "应急处置劝返率", "100%", "100%"),
        WrittenIndicator(3, "2", "效益指标", "22", "社会效益", "社会稳定贡献",
                        "提高我区的和谐稳定程度", "提高我区的和谐稳定程度"),
        WrittenIndicator(4, "3", "满意度指标", "31", "服务对象满意度", "群众满意度", "≥80%", "≥80%"),
    ]


def test_parse_packed_missing_codes_ascii_separators_and_spaces():
    text = "1、产出指标; 数量指标 ; 培训人次 ; 实施周期指标值：≥200人次 ; 年度指标值: ≥100人次。" \
           "2、满意度指标；服务对象满意度；满意率；实施周期指标值:≥90%；年度指标值:≥90%"
    items, problems = parse_packed(text)
    assert problems == []
    assert items == [
        WrittenIndicator(1, "", "产出指标", "", "数量指标", "培训人次", "≥200人次", "≥100人次"),
        WrittenIndicator(2, "", "满意度指标", "", "服务对象满意度", "满意率", "≥90%", "≥90%"),
    ]


def test_parse_packed_newline_separated_with_breaks_inside():
    text = ("1、1-产出指标；11-数量指标；覆盖\n街道数；实施周期指标值:22个；年度指标值:22个\n"
            "2、 2-效益指标；22-社会效益；群众知晓率；\r\n实施周期指标值:≥85%；年度指标值:≥85%\n")
    items, problems = parse_packed(text)
    assert problems == []
    assert [(i.seq, i.level2_code, i.name, i.period_value, i.annual_value) for i in items] == [
        (1, "11", "覆盖街道数", "22个", "22个"),
        (2, "22", "群众知晓率", "≥85%", "≥85%"),
    ]


def test_parse_packed_full_width_item_numbers_and_codes():
    items, problems = parse_packed("１、１-产出指标；１３-时效指标；办结时限；实施周期指标值:≤5天；年度指标值:≤5天。")
    assert problems == []
    assert items == [WrittenIndicator(1, "1", "产出指标", "13", "时效指标", "办结时限", "≤5天", "≤5天")]


def test_parse_packed_single_value():
    items, problems = parse_packed("1、1-产出指标；11-数量指标；接访场次；指标值:≥12场。")
    assert problems == []
    assert items == [WrittenIndicator(1, "1", "产出指标", "11", "数量指标", "接访场次", "≥12场", "≥12场")]


def test_parse_packed_strips_a_final_full_stop_but_not_a_decimal_point():
    items, problems = parse_packed("1、1-产出指标；11-数量指标；培训人次；实施周期指标值:≥100人次.；年度指标值:≥1.5万元.")
    assert problems == []
    assert (items[0].period_value, items[0].annual_value) == ("≥100人次", "≥1.5万元")


def test_parse_packed_only_annual_value_leaves_period_empty():
    items, problems = parse_packed("1、1-产出指标；11-数量指标；接访场次；年度指标值:≥12场。")
    assert problems == []
    assert (items[0].period_value, items[0].annual_value) == ("", "≥12场")


def test_parse_packed_value_with_full_stop_semicolon_and_numbered_list():
    text = ("1、2-效益指标；22-社会效益；宣传效益；实施周期指标值:1、开展宣传；2、发放资料。效果良好。；"
            "年度指标值:按要求开展《信访工作条例》集中宣传活动，提高群众对《条例》的知悉度。"
            "2、3-满意度指标；31-服务对象满意度；服务满意度；实施周期指标值:≥80%；年度指标值:≥80%。")
    items, problems = parse_packed(text)
    assert problems == []
    assert len(items) == 2
    assert items[0].period_value == "1、开展宣传；2、发放资料。效果良好"
    assert items[0].annual_value == "按要求开展《信访工作条例》集中宣传活动，提高群众对《条例》的知悉度"
    assert items[1].name == "服务满意度"


def test_parse_packed_broken_items_are_reported_not_dropped():
    text = ("1、1-产出指标；12-质量指标；；实施周期指标值:100%；年度指标值:100%。"
            "2、1-产出指标；11-数量指标；接访场次。"
            "3、1-产出指标；11-数量指标；接访场次；实施周期指标值:；年度指标值:。"
            "4、1-产出指标；接访场次；实施周期指标值:5场；年度指标值:5场。"
            "5、3-满意度指标；31-服务对象满意度；满意度；实施周期指标值:≥80%；年度指标值:≥80%。")
    items, problems = parse_packed(text)
    assert [i.seq for i in items] == [5]
    assert problems == [
        "第1项缺少指标名称：「1、1-产出指标；12-质量指标；；实施周期指标值:100%；年度指标值:100%。」",
        "第2项缺少指标值：「2、1-产出指标；11-数量指标；接访场次。」",
        "第3项缺少指标值：「3、1-产出指标；11-数量指标；接访场次；实施周期指标值:；年度指标值:。」",
        "第4项缺少一级或二级指标：「4、1-产出指标；接访场次；实施周期指标值:5场；年度指标值:5场。」",
    ]


def test_parse_packed_glued_items_are_reported():
    # `10012、` cannot be an item number, so the second item is glued onto the first one
    text = ("1、1-产出指标；11-数量指标；场次；实施周期指标值:100；年度指标值:10012、1-产出指标；"
            "12-质量指标；办结率；实施周期指标值:100%；年度指标值:100%。")
    items, problems = parse_packed(text)
    assert items == []
    assert problems == [f"第1项指标值标签重复，无法拆分：「{text}」"]


def test_parse_packed_leading_and_unstructured_text_reported():
    items, problems = parse_packed("详见附件。1、1-产出指标；11-数量指标；场次；指标值:3场")
    assert [i.name for i in items] == ["场次"]
    assert problems == ["无法识别的片段：「详见附件。」"]
    assert parse_packed("全年完成信访工作任务") == ([], ["无法识别的片段：「全年完成信访工作任务」"])


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_parse_packed_empty(text):
    assert parse_packed(text) == ([], [])


# --- the reference sample ----------------------------------------------------------------------

from conftest import SEED  # noqa: E402


def _seed_file() -> Path:
    return SEED


def _packed_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter="\t") if len(r) > 6 and r[5].strip()]
    # the export is a text table: skip its header row and the `----` rule under it
    return [r[6] for r in rows if r[5].strip() != "绩效目标" and r[5].strip("-")]


def test_seed_file_every_packed_cell():
    cells = _packed_cells(_seed_file())
    assert len(cells) == 10
    items: list[WrittenIndicator] = []
    for cell in cells:
        parsed, problems = parse_packed(cell)
        assert problems == []
        items.extend(parsed)
    assert len(items) == 33
    by_name = {i.name: i for i in items}

    item = by_name["进京到非接待场所上访纯人数"]
    assert (item.level1, item.level2_code, item.annual_value) == ("产出指标", "11", "≤10")
    assert parse_target(item.annual_value) == q("≤", "10")

    item = by_name["每年接待群众的人数"]
    assert item.period_value == item.annual_value == "每年接待群众的人数≥30人"
    assert parse_target(item.annual_value) == q("≥", "30", "人")

    assert parse_target(by_name["需配备保安人员数量"].annual_value) == q("=", "6", "人")

    item = by_name["接访案件转办及时率"]
    assert item.annual_value == "接访案件转办及时率100%"
    assert (item.level2_code, item.level2) == ("13", "时效指标")
    assert parse_target(item.annual_value) == q("=", "100", "%")

    assert by_name["安保服务质量"].annual_value == "高质量完成"
    assert parse_target(by_name["安保服务质量"].annual_value) == QUAL
    assert by_name["服务满意度"].period_value == "≥80%"
    levels = {(i.level1_code, i.level1) for i in items}
    assert levels == {("1", "产出指标"), ("2", "效益指标"), ("3", "满意度指标")}


def test_the_one_pass_cell_reading_gives_what_the_general_path_gives():
    """`parse_packed` reads a cell of items of the common shape with one regex pass; every cell, on that
    path or not, must come out exactly as the general path reads it (trailing full stops, digits, odd
    separators, a 、 inside a field, a long level name, items glued without a full stop)."""
    import itertools

    from pipeline.read.indicators import _parse_fast, _parse_general

    level1 = ["1-产出指标", "1-产出指标.", "1-2产出", "1-产出-指标", "１-产出指标", "2-效益指标；", "1 -产出指标",
              "成本指标", "1-产出、指标", "1-一二三四五六七八九十一二", "1-一二三四五六七八九十一二三"]
    level2 = ["11-数量指标", "11-数量指标．", "11-2数量"]
    names = ["开展培训次数", "开展培训次数.", ".", "名称、含顿号", "a.b", "3、满意度指标"]
    values = ["≥100次", "≥100人次.", "100%", "≥95%．", "明显提升", "1、2期"]
    ends = ["", "。", "；", "。\n", " \n", "；。", ".."]
    seqs = ["1、", "01、", "1 、", "1000、", "１、"]
    fast = 0
    for l1, l2, name, value, end in itertools.product(level1, level2, names, values, ends):
        item = f"{l1}；{l2}；{name}；实施周期指标值:{value}；年度指标值:{value}{end}"
        for seq, second in itertools.product(seqs, ("", f"2、1-产出指标；11-数量指标；次数；实施周期指标值:1；年度指标值:1。")):
            cell = seq + item + second
            items = _parse_fast(cell)
            if items is not None:
                fast += 1
                assert (items, []) == _parse_general(cell), cell
    assert fast > 700        # the fast path is taken, and agrees
    assert parse_packed("1、1-产出指标；11-数量指标；次数；实施周期指标值:1；年度指标值:1") == _parse_general(
        "1、1-产出指标；11-数量指标；次数；实施周期指标值:1；年度指标值:1")
