"""Property tests: any table we can generate reads back exactly; any corruption is read or rejected."""

import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import Dept, Proj, long_rows, published_rows, text_bytes, write_xls, write_xlsx
from checked import read_checked
from pipeline.read.layout import TOTAL_NAMES, _LOOKUP, normalise_title

SLOW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HANZI = "培训经费项目建设维护购置工作专项信访教育卫生城市管理服务保障系统运行网络安全"

names = st.text(HANZI, min_size=2, max_size=12).filter(
    lambda n: normalise_title(n) not in _LOOKUP and n not in TOTAL_NAMES)

INDICATOR_POOL = st.tuples(
    st.sampled_from([("1-产出指标", "11-数量指标"), ("1-产出指标", "12-质量指标"), ("2-效益指标", "22-社会效益"),
                     ("3-满意度指标", "31-服务对象满意度")]),
    names,
    st.sampled_from(["≥", "≤", ">", "", "不低于"]),
    st.integers(0, 100_000),
    st.sampled_from(["%", "人", "宗", "天", "个", ""]),
).map(lambda t: (t[0][0], t[0][1], "指标" + t[1], f"{t[2]}{t[3]}{t[4]}", f"{t[2]}{t[3]}{t[4]}"))


@st.composite
def departments(draw):
    money_unit = draw(st.sampled_from(["万元", "元"]))
    # integer 分 -> 万元; a table in 万元 holds 2 decimals of 万元, one in 元 any number of 分
    step = 10_000 if money_unit == "万元" else 1
    cents = st.integers(0, 10**10 // step).map(lambda n: Decimal(n * step) / Decimal(1_000_000))
    units = []
    used = set()
    for _ in range(draw(st.integers(1, 3))):
        unit = draw(names.filter(lambda n: n not in used))
        used.add(unit)
        projects = []
        for _ in range(draw(st.integers(1, 4))):
            name = draw(names.filter(lambda n: n not in used))
            used.add(name)
            projects.append(Proj(name, fiscal=str(draw(cents)), special=str(draw(cents)), other=str(draw(cents)),
                                 goal="目标：" + draw(names),
                                 indicators=draw(st.lists(INDICATOR_POOL, min_size=1, max_size=4,
                                                          unique_by=lambda i: i[2]))))
        units.append((unit, projects))
    return Dept("部门" + draw(names), units, money_unit=money_unit)


def write(folder: Path, dept: Dept, layout: str, fmt: str) -> Path:
    if layout == "published":
        rows, merges = published_rows(dept, style="number" if fmt in ("xlsx", "xls") else "thousands"), []
    else:
        rows, merges = long_rows(dept, style="number" if fmt in ("xlsx", "xls") else "text")
    if fmt == "xlsx":
        return write_xlsx(folder / "t.xlsx", [{"name": "S", "rows": rows, "merges": merges}])
    if fmt == "xls":
        return write_xls(folder / "t.xls", rows)
    encoding = {"csv-utf8": "utf-8", "csv-gb18030": "gb18030"}[fmt]
    path = folder / "t.csv"
    path.write_bytes(text_bytes(rows, encoding=encoding))
    return path


@SLOW
@given(dept=departments(), layout=st.sampled_from(["published", "long"]),
       fmt=st.sampled_from(["xlsx", "xls", "csv-utf8", "csv-gb18030"]))
def test_generated_tables_read_back_exactly(dept, layout, fmt):
    with tempfile.TemporaryDirectory() as folder:
        batch = read_checked([write(Path(folder), dept, layout, fmt)])
    assert batch.findings == []
    (got,) = batch.departments
    assert (got.name, got.unit) == (dept.name, dept.money_unit)
    assert [u.name for u in got.spending_units] == [u for u, _ in dept.units]
    expected = [(p.name, p.amounts(), [(i[2], i[4]) for i in p.indicators]) for _, ps in dept.units for p in ps]
    actual = [(p.name, [p.amounts.total, p.amounts.fiscal, p.amounts.special_account, p.amounts.other],
               [(i.name, i.annual_value) for i in p.indicators]) for p in got.projects]
    assert actual == expected
    assert got.total == got.declared_total.total == dept.total_amounts()[0]


GOOD = {}


def good_bytes(kind: str) -> bytes:
    if kind not in GOOD:
        dept = Dept("某局", [("某局", [Proj("甲项目", fiscal="1.50"), Proj("乙项目", other="2.25")])])
        with tempfile.TemporaryDirectory() as folder:
            GOOD[kind] = write(Path(folder), dept, "published", kind).read_bytes()
    return GOOD[kind]


@settings(max_examples=60, deadline=5000)
@given(kind=st.sampled_from(["xlsx", "xls", "csv-gb18030"]), data=st.data())
def test_corrupted_files_are_read_or_rejected_never_crash(kind, data):
    content = bytearray(good_bytes(kind))
    action = data.draw(st.sampled_from(["flip", "truncate", "insert"]))
    if action == "truncate":
        content = content[: data.draw(st.integers(0, len(content) - 1))]
    else:
        for _ in range(data.draw(st.integers(1, 20))):
            at = data.draw(st.integers(0, len(content) - 1))
            byte = data.draw(st.integers(0, 255))
            if action == "flip":
                content[at] = byte
            else:
                content.insert(at, byte)
    suffix = {"xlsx": ".xlsx", "xls": ".xls", "csv-gb18030": ".csv"}[kind]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"c{suffix}"
        path.write_bytes(bytes(content))
        batch = read_checked([path])
    (entry,) = batch.inputs
    assert entry.status in ("ok", "rejected")
    assert entry.rows.read == entry.rows.used + entry.rows.ignored + entry.rows.rejected
    if entry.status == "rejected":
        assert any(f.file == entry.file and f.severity == "error" for f in batch.findings)
        assert entry.reason
