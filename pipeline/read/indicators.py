"""Parse performance indicators (绩效指标): target values and the packed one-cell layout.

`parse_target` turns a written value (`≥15宗`, `服务对象…满意度水平达80%`, `及时`) into a `Target`.
`parse_packed` splits a packed 绩效指标 cell (`1、1-产出指标；12-质量指标；…。2、…`) into items.
Both are pure functions: nothing is printed, raised or read; unreadable text comes back as problems.
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from pipeline.model import WrittenIndicator

__all__ = ["Target", "parse_target", "parse_range", "parse_packed"]


class Target(NamedTuple):
    """A value read (shared through the cache of `_read`, so immutable); a tuple, as the review makes
    one for every value it checks, and a frozen dataclass costs four times as much to make."""

    operator: str | None  # one of "≥" "≤" ">" "<" "=" "±"; None when qualitative
    target: Decimal | None  # exact number parsed from the text; None when qualitative
    unit: str  # "" when none
    kind: str  # "quantitative" or "qualitative"


QUANTITATIVE = "quantitative"
QUALITATIVE = "qualitative"
_NO_TARGET = Target(None, None, "", QUALITATIVE)

# Full-width ASCII (U+FF01..U+FF5E) -> ASCII, ideographic space -> space, plus the comparison
# variants. Deliberately not unicodedata NFKC: that would also fold `m²` into `m2` (and so on).
# `≥`/`≤` have no compatibility form and stay as they are.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: " ", ord("≧"): "≥", ord("≦"): "≤", ord("﹤"): "<", ord("﹥"): ">",
              ord("﹦"): "=", ord("﹪"): "%"})

# Operator words/symbols written directly before the number; longer spellings first so that
# `>=` wins over `>` and `不超过` over `超过` (finditer is leftmost, so `不…` is seen first anyway).
_PREFIX_OPS = {
    ">=": "≥", "≥": "≥", "不低于": "≥", "不少于": "≥", "不小于": "≥", "大于或等于": "≥",
    "大于等于": "≥", "达到": "≥", "达": "≥",
    "<=": "≤", "≤": "≤", "不超过": "≤", "不高于": "≤", "不多于": "≤", "不大于": "≤",
    "小于或等于": "≤", "小于等于": "≤",
    "大于": ">", "高于": ">", "超过": ">", "多于": ">", ">": ">",
    "小于": "<", "低于": "<", "少于": "<", "<": "<",
    "等于": "=", "=": "=", "±": "±", "+/-": "±",
}
_OPS_ALT = "|".join(re.escape(k) for k in sorted(_PREFIX_OPS, key=len, reverse=True))
# A number: optional operator, optional sign, optional thousands separators, optional decimals.
# Never starts right after a digit (so `2-3天` is not -3); whether a sign is a minus is decided later.
_NUMBER = re.compile(
    rf"(?:(?P<op>{_OPS_ALT})\s*)?(?<![0-9.])(?P<sign>[-+])?"
    r"(?P<num>(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?)"
)
# Where a unit ends: punctuation, whitespace, a dash or digit, a range's 至/到, or a ≥/≤ suffix word.
_UNIT_STOP = re.compile(r"[\s，,；;。.、（）()：:！!？?<>=≥≤±~～\-–—0-9]|[至到](?=\s*[0-9])|及?以[上下内]|之内|内")
# Between the two numbers of a range (`85%-95%`, `85-95%`, `85%～95%`, `85%至95%`, `5人到10人`).
_RANGE_SEP = re.compile(r"\s*[-–—~至到]\s*")
_SUFFIX_OPS = (("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"),
               ("之内", "≤"), ("内", "≤"))
_PLACEHOLDER = re.compile(r"[*×]|[Xx]{2}")  # template leftovers: ≥**%, XX人, ××
_MAX_UNIT_LEN = 6  # a longer "unit" is descriptive text, so the value is qualitative


def parse_target(text: str) -> Target:
    """Read a written target value into operator, number and unit.

    Decisions on ambiguous input (kept simple and predictable):
    * Full-width digits/signs are folded to ASCII (`８０％` is `80%`); `≧`/`≦` become `≥`/`≤`.
    * Leading descriptive text is ignored (`每年接待群众的人数≥30人` is ≥ 30 人). An operator word
      counts only when written directly before the number (spaces allowed).
    * A sign belongs to the number only at the start of the value or after an operator or a space
      (`-5%`, `≥-5`, `增长 -5%`); a dash after text, a unit or a digit is a separator (`满意度-90%` is
      = 90 %).
    * A range `a-b` with a ≤ b (also `~`, `～`, `—`, `至`, `到`; the unit written once or twice:
      `85-95%`, `85%-95%`, `5人至10人`) is read as its lower bound: ≥ a with the range's unit
      (`85%-95%` is ≥ 85 %); with a suffix `以内`/`以下`/`内` it is its upper bound, ≤ b (`3-5天内`
      is ≤ 5 天). A prefix operator is kept as written. `parse_range` gives both bounds.
    * Several numbers: the last one with an operator wins; failing that, the last one followed by
      a unit; failing that, the last number (`2023年完成80%` is = 80 %; `2023年` alone is = 2023 年).
    * No operator: a suffix `以上` means ≥, `以内`/`之内`/`内`/`以下` mean ≤, otherwise "=". An
      explicit prefix operator beats a suffix (`±3%以内` stays ±).
    * The unit is the text after the number up to punctuation, whitespace, a digit/sign or a
      suffix word; after `%`/`‰` the unit is just that sign (`100%完成` is = 100 %). A unit longer
      than six characters is description, and the whole value is qualitative. A full stop ending the
      value is not part of it (`≥100人次.` is ≥ 100 人次).
    * No Arabic number (`及时`, `十万分之一`), or a template placeholder (`≥**%`, `XX人`, `××`)
      → qualitative.
    """
    return _read(text)[0]


def parse_range(text: str) -> tuple[Decimal, Decimal] | None:
    """The (lower, upper) bounds when `parse_target` read the value from a range (`85%-195%` →
    (85, 195)), else None. Rules use the upper bound a `Target` does not carry."""
    return _read(text)[1]


@dataclass(frozen=True, slots=True)
class _Number:
    op: str | None
    value: Decimal
    unit: str
    rest: str  # the text after the unit
    upper: Decimal | None = None  # set when the number is the lower bound of a range


@functools.lru_cache(maxsize=8192)  # values repeat across projects (100%, ≥95%); results are immutable
def _read(text: str) -> tuple[Target, tuple[Decimal, Decimal] | None]:
    s = (text or "").translate(_FOLD).strip().rstrip("。；;.").strip()
    if not s or _PLACEHOLDER.search(s):
        return _NO_TARGET, None
    found = _numbers(s)
    if not found:
        return _NO_TARGET, None
    with_op = [n for n in found if n.op]
    with_unit = [n for n in found if n.unit]
    n = (with_op or with_unit or found)[-1]
    if len(n.unit) > _MAX_UNIT_LEN:
        return _NO_TARGET, None
    bounds = (n.value, n.upper) if n.upper is not None else None
    if n.op:
        return Target(_PREFIX_OPS[n.op], n.value, n.unit, QUANTITATIVE), bounds
    rest = n.rest.lstrip()
    operator = next((op for word, op in _SUFFIX_OPS if rest.startswith(word)), "=")
    if bounds and operator == "≤":
        return Target("≤", n.upper, n.unit, QUANTITATIVE), bounds
    return Target("≥" if bounds else operator, n.value, n.unit, QUANTITATIVE), bounds


def _unit_end(s: str, pos: int) -> int:
    """Where the unit written after the number ending at `pos` ends."""
    tail = s[pos:]
    lead = len(tail) - len(tail.lstrip())
    if tail[lead:lead + 1] in ("%", "‰"):
        return pos + lead + 1
    stop = _UNIT_STOP.search(tail, lead)
    return pos + (stop.start() if stop else len(tail))


def _numbers(s: str) -> list[_Number]:
    """Each number in `s` with its operator and unit; the two numbers of a range become one."""
    matches = list(_NUMBER.finditer(s))
    found: list[_Number] = []
    i = 0
    while i < len(matches):
        m = matches[i]
        sign = m["sign"] or ""
        if sign and not m["op"] and m.start() > 0 and not s[m.start() - 1].isspace():
            sign = ""  # `85%-95%`, `满意度-90%`: a separator, not a minus
        end = _unit_end(s, m.end())
        unit = s[m.end():end].strip()
        number = _Number(m["op"], Decimal(sign + m["num"].replace(",", "")), unit, s[end:])
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        if nxt is not None and not nxt["op"] and _RANGE_SEP.fullmatch(s, end, nxt.start("num")):
            upper_end = _unit_end(s, nxt.end())
            upper_unit = s[nxt.end():upper_end].strip()
            upper = Decimal(nxt["num"].replace(",", ""))
            if unit in ("", upper_unit) and upper >= number.value:
                number = _Number(m["op"], number.value, upper_unit, s[upper_end:], upper)
                i += 1
        found.append(number)
        i += 1
    return found


# --- packed layout -------------------------------------------------------------------------

# An item starts at `N、` that is followed by a level-1 group: either `code-name；` (the name not
# starting with a digit, so a value like `2-3天；` is not taken for one) or a bare name ending in
# 指标 (`产出指标；`). Any other `N、` belongs to the text it appears in.
_ITEM_START = re.compile(
    r"(?<![0-9０-９])(?P<seq>[0-9０-９]{1,3})\s*、\s*"
    r"(?=(?:[0-9０-９]+\s*[-－—]\s*[^；;:：。\n0-9０-９][^；;:：。\n]{0,11}?"
    r"|[^；;:：。、\n0-9０-９]{1,10}?指标)\s*[；;])"
)
_LABEL = re.compile(r"(?P<label>实施周期指标值|年度指标值|指标值)\s*[:：]")
_HEAD_SEP = re.compile(r"[；;]")
_CODE_NAME = re.compile(r"^(?P<code>[0-9０-９]+)\s*[-－—]\s*(?P<name>.+)$", re.S)
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")
_TRAILING = "。．.；; \t\r\n\u3000"  # stripped from the end of a value (a final `.` is a full stop)


def _clean(field: str) -> str:
    """Join lines broken inside a cell (Chinese needs no space) and strip the edges."""
    return _LINE_BREAK.sub("", field).strip().rstrip(_TRAILING).strip()


def _code_name(field: str) -> tuple[str, str]:
    m = _CODE_NAME.match(field)
    if not m:
        return "", field
    return m["code"].translate(_FOLD), m["name"].strip()


# The shape nearly every cell has, items `N、1-产出指标；11-数量指标；name；实施周期指标值:v；年度指标值:v。` one
# after the other, read in one pass. No field holds `、` (so every `N、` is an item start, and no other
# is) and a level-1 name is at most 12 characters (what `_ITEM_START` takes for one), so the items are
# the ones `_ITEM_START` finds; any other cell takes the general path, which gives the same result for
# this shape (tests/read/test_indicators.py checks the two).
_PLAIN = r"[^；;:：。\s、]"
_FAST_ITEM = re.compile(
    rf"(?P<seq>[0-9]{{1,3}})、(?P<c1>[0-9]+)-(?P<l1>[^；;:：。\s、0-9０-９]{_PLAIN}{{0,11}})；"
    rf"(?P<c2>[0-9]+)-(?P<l2>[^；;:：。\s、0-9０-９]{_PLAIN}*)；(?P<name>{_PLAIN}+)；"
    rf"实施周期指标值[:：](?P<period>{_PLAIN}+)；年度指标值[:：](?P<annual>{_PLAIN}+)(?:[。；]\s*|\s*\Z)")
_FULL_STOPS = (".", "．")      # a value may end with one: the general path strips it


def _parse_fast(text: str) -> list[WrittenIndicator] | None:
    """The items of a cell made only of items of the common shape; None for any other cell. The texts
    are interned: the same levels, names and values recur on thousands of rows of a batch."""
    items: list[WrittenIndicator] = []
    pos, end, match, intern = 0, len(text), _FAST_ITEM.match, sys.intern
    while pos < end:
        m = match(text, pos)
        if m is None:
            return None
        seq, c1, l1, c2, l2, name, period, annual = m.groups()
        if name.endswith(_FULL_STOPS) or period.endswith(_FULL_STOPS) or annual.endswith(_FULL_STOPS):
            return None
        items.append(WrittenIndicator(int(seq), intern(c1), intern(l1), intern(c2), intern(l2), intern(name),
                                     intern(period), intern(annual)))
        pos = m.end()
    return items or None


def _parse_item(seq: int, body: str, quote: str) -> WrittenIndicator | str:
    labels = list(_LABEL.finditer(body))
    if not labels:
        return f"第{seq}项缺少指标值：「{quote}」"
    kinds = [m["label"] for m in labels]
    if len(set(kinds)) != len(kinds) or ("指标值" in kinds and len(kinds) > 1):
        # e.g. two items glued together without a recognisable `N、` between them
        return f"第{seq}项指标值标签重复，无法拆分：「{quote}」"
    ends = [m.start() for m in labels[1:]] + [len(body)]
    values = {m["label"]: _clean(body[m.end():end]) for m, end in zip(labels, ends)}
    plain = values.get("指标值", "")
    period = values.get("实施周期指标值", plain)
    annual = values.get("年度指标值", plain)
    if not period and not annual:
        return f"第{seq}项缺少指标值：「{quote}」"
    head = _clean(body[:labels[0].start()])
    parts = [p.strip() for p in _HEAD_SEP.split(head, maxsplit=2)]
    # Two fields: a coded second one (`12-质量指标`) means the name is missing, else a level is.
    name_missing = (len(parts) == 2 and bool(_CODE_NAME.match(parts[1]))) or (
        len(parts) == 3 and not parts[2])
    if name_missing:
        return f"第{seq}项缺少指标名称：「{quote}」"
    if len(parts) < 3 or not parts[0] or not parts[1]:
        return f"第{seq}项缺少一级或二级指标：「{quote}」"
    (c1, l1), (c2, l2) = _code_name(parts[0]), _code_name(parts[1])
    return WrittenIndicator(seq, *map(sys.intern, (c1, l1, c2, l2, parts[2], period, annual)))


def parse_packed(text: str) -> tuple[list[WrittenIndicator], list[str]]:
    """Split one packed 绩效指标 cell into items. Returns (items, problems); each problem is a short
    Chinese description quoting the exact fragment that could not be read, e.g. '无法识别的片段：「…」'.
    Nothing may be dropped silently: any text not consumed by a well-formed item is reported.

    Each item is `N、level1；level2；name；实施周期指标值:v；年度指标值:v` with an optional `。`.
    Codes (`1-`) are optional; `；`/`;` and `:`/`：` are equivalent; line breaks inside fields are
    removed. Values run up to the next label or item, so they may contain `。` and `；`; trailing
    `。`/`；` are stripped. A lone `指标值:v` fills both values; if only one of 实施周期/年度 is given
    the other is "". Items without a name, without levels or without any value are problems.
    """
    text = text or ""
    fast = _parse_fast(text)
    return (fast, []) if fast is not None else _parse_general(text)


def _parse_general(text: str) -> tuple[list[WrittenIndicator], list[str]]:
    items: list[WrittenIndicator] = []
    problems: list[str] = []
    starts = list(_ITEM_START.finditer(text))
    lead = text[: starts[0].start() if starts else len(text)].strip()
    if lead.strip(_TRAILING):
        problems.append(f"无法识别的片段：「{lead}」")
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        seq = int(m["seq"].translate(_FOLD))
        result = _parse_item(seq, text[m.end():end], text[m.start():end].strip())
        if isinstance(result, str):
            problems.append(result)
        else:
            items.append(result)
    return items, problems
