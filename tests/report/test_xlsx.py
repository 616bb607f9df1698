"""report.xlsx and departments/: read back with openpyxl (and this project's own reader) and held to
run.json, the CSV tables and the conventions of issue 4."""

import re
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import openpyxl
import pytest

from builders import DEFAULT_INDICATORS, Dept, Proj, long_rows, published_rows, write_xlsx
from checked import read_checked
from pipeline.outputs import FORMULA_PREFIXES as OWASP_PREFIXES
from pipeline.report.departments import department_file_names, safe_stem
from pipeline.report.workbook import line_count
from pipeline.report.xlsx import CHANGES_HEADER_ROW, SHEETS, display_width
from pipeline.report.xlsx_summary import SUMMARY_HEADER, SUMMARY_HEADER_ROW
from pipeline.run import run
from report_runs import FORMULA_NAMES, PERIOD, SCRIPT, Run, cents, rounded, run_tables

HEADERS = {
    "项目": ["部门", "资金使用单位", "项目名称", "总计", "财政拨款", "财政专户拨款", "其他资金", "指标数", "问题数",
             "绩效目标", "来源", "无法读取的金额"],
    "绩效指标": ["部门", "资金使用单位", "项目名称", "序号", "一级指标", "二级指标", "三级指标", "实施周期指标值",
                 "年度指标值", "运算符", "目标值", "单位", "类型", "来源"],
    "核对": ["部门", "金额列", "核对内容", "应为（万元）", "实际（万元）", "差额（万元）", "位置", "结果"],
    "问题清单": ["部门", "资金使用单位", "项目", "单元格", "级别", "问题", "说明"],
    "文件": ["文件", "状态", "原因", "sha256", "读取行数", "使用", "忽略", "拒收"],
}
SUMMARY_TOP = SUMMARY_HEADER_ROW + 1          # the 1-based row of the department header in 汇总
HEADER_ROW = {"汇总": SUMMARY_TOP, "变化": CHANGES_HEADER_ROW + 1}   # 1-based; the other sheets' is row 1
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def workbook(run, *, cached=False):
    return openpyxl.load_workbook(run.folder / "report.xlsx", data_only=cached)


def table(ws, first_row: int = 1) -> list[list]:
    return [list(row) for row in ws.iter_rows(min_row=first_row, values_only=True)]


def as_text(csv_value: str) -> str:
    """What a CSV cell says once its OWASP `'` is taken off: the workbook holds the text itself, as a text cell."""
    return csv_value[1:] if csv_value[:1] == "'" and csv_value[1:2] in tuple(OWASP_PREFIXES) else csv_value


def summary_rows(run, *, cached=True) -> tuple[list[list], list]:
    """The department rows of 汇总 and its 合计 row."""
    rows = table(workbook(run, cached=cached)["汇总"], SUMMARY_TOP + 1)
    count = len(run.record["departments"])
    return rows[:count], rows[count]


# --- sheets and headers --------------------------------------------------------------------------

def test_sheets_and_headers(any_run):
    wb = workbook(any_run)
    assert wb.sheetnames == SHEETS == ["汇总", "问题清单", "核对", "项目", "绩效指标", "变化", "文件"]
    assert [c.value for c in wb["汇总"][SUMMARY_TOP]][:9] == SUMMARY_HEADER == [
        "部门", "项目数", "指标数", "合计（申报）", "合计（计算）", "控制数", "差额", "状态", "未计入的金额（无法读取，个）"]
    for name, header in HEADERS.items():
        assert [c.value for c in wb[name][1]] == header, name
    assert wb["汇总"]["A1"].value == f"项目支出绩效目标审核汇总（{PERIOD}）"
    assert wb["汇总"].cell(2, 1).value.startswith(f"期间：{PERIOD}　　运行时间：")
    assert re.search(r"运行时间：\d{4}-\d\d-\d\d \d\d:\d\d　", wb["汇总"].cell(2, 1).value)   # local, no T, no offset
    assert wb["汇总"].cell(5, 1).value == "单位：万元"


# --- every amount and total against run.json -----------------------------------------------------

def test_summary_rows_and_totals_equal_run_json(any_run):
    rows, total = summary_rows(any_run)
    departments = any_run.record["departments"]
    for row, d in zip(rows, departments):
        assert row[:3] == [d["name"], d["projects"], d["indicators"]]
        assert (cents(row[3]), cents(row[4])) == (rounded(d["declared_total"]), rounded(d["total"]))
        assert row[8] == d["total_unknown"] == 0
    assert total[0] == "合计"
    assert total[1:3] == [sum(d["projects"] for d in departments), sum(d["indicators"] for d in departments)]
    assert cents(total[4]) == rounded(any_run.record["total"])
    declared = [Decimal(d["declared_total"]) for d in departments if d["declared_total"] is not None]
    assert cents(total[3]) == rounded(str(sum(declared)))
    severities = {f["severity"] for f in any_run.record["findings"]}
    expected = "未通过" if "error" in severities else "有警告" if "warning" in severities else "通过"
    assert total[7] == expected and (expected == "未通过") == (any_run.record["status"] == "failed")


def test_the_totals_are_formulas_that_carry_their_values(several):
    _, formulas = summary_rows(several, cached=False)
    first, last = SUMMARY_TOP + 1, SUMMARY_TOP + len(several.record["departments"])
    assert formulas[4] == f"=SUM(E{first}:E{last})"
    assert formulas_without_cached_values(several.folder / "report.xlsx") == []


def test_yuan_amounts_keep_their_cents_so_sums_show_run_json(several):
    """A table in 元 gives amounts finer than 0.01 万元: the cells keep them, so the displayed department
    total is run.json's, not the sum of rounded projects."""
    rows, _ = summary_rows(several)
    yuan = next(r for r in rows if r[0] == "某区司法局")
    assert yuan[4] == pytest.approx(3.579134) and cents(yuan[4]) == "3.58"
    projects = [r for r in table(workbook(several, cached=True)["项目"], 2) if r[0] == "某区司法局"]
    assert [cents(r[3]) for r in projects] == ["1.23", "2.34"]


def test_differences_and_status(several):
    rows, total = summary_rows(several)
    by_name = {r[0]: r for r in rows}
    assert by_name["某区卫生健康局"][6] == pytest.approx(-2.0)      # 213.00 computed − 215.00 declared
    assert by_name["某区卫生健康局"][7] == "未通过"
    assert by_name["某区教育局"][6] == 0 and by_name["某区教育局"][7] == "通过"
    assert by_name["某区司法局"][7] == "有警告"
    assert total[7] == "未通过"


def test_project_sheet_equals_projects_csv(any_run):
    rows = table(workbook(any_run, cached=True)["项目"], 2)
    expected = any_run.csv("projects.csv")
    rows, total = rows[:-1], rows[-1]
    assert len(rows) == len(expected)
    assert total[0] == f"合计（{len(expected)} 个项目）"
    assert cents(total[3]) == rounded(any_run.record["total"])         # the exact sum, not of rounded rows
    assert total[7] == sum(int(p["indicators"]) for p in expected)
    for row, p in zip(rows, expected):
        assert row[:3] == [p["department"], p["spending_unit"], as_text(p["project"])]
        assert [cents(v) for v in row[3:7]] == [p["total"], p["fiscal"], p["special_account"], p["other"]]
        assert row[7] == int(p["indicators"]) and row[9] == p["goal"]
    findings = {(f["department"], f["project"]) for f in any_run.record["findings"] if f["project"]}
    assert all((row[8] > 0) == ((row[0], row[2]) in findings) for row in rows)


SCHOOLS = ("某区第一中学", "某区第二中学")


def same_named_projects(tmp_path, troubled: str, layout: str) -> Run:
    """办公经费 under both schools; only the one under `troubled` has problems: an empty goal and, on its
    last indicator row, a template leftover."""
    def office(school):
        if school != troubled:
            return Proj("办公经费", fiscal="10.00")
        return Proj("办公经费", fiscal="10.00", goal="",
                    indicators=[*DEFAULT_INDICATORS[:-1], (*DEFAULT_INDICATORS[-1][:3], "≥**%", "≥**%")])

    dept = Dept("某区教育局", [(school, [office(school)]) for school in SCHOOLS])
    if layout == "packed":
        return run_tables(tmp_path, dept)
    (tmp_path / "inputs").mkdir()
    rows, merges = long_rows(dept)
    write_xlsx(tmp_path / "inputs" / "教育局.xlsx", [{"name": "Sheet1", "rows": rows, "merges": merges}])
    result = run(tmp_path / "inputs", tmp_path / "outputs", PERIOD)
    return Run(result.folder, result.record)


@pytest.mark.parametrize("layout", ["packed", "long"])
@pytest.mark.parametrize("troubled", SCHOOLS)
def test_same_named_projects_count_only_their_own_findings(tmp_path, troubled, layout):
    result = same_named_projects(tmp_path, troubled, layout)
    own = [f for f in result.record["findings"] if f["project"] == "办公经费"]
    assert {f["code"] for f in own} >= {"empty_goal", "template_leftover"}
    counts = {row[1]: row[8] for row in table(workbook(result, cached=True)["项目"], 2)[:-1] if row[2] == "办公经费"}
    assert counts == {school: len(own) if school == troubled else 0 for school in SCHOOLS}


def test_indicator_sheet_equals_indicators_csv(any_run):
    rows = table(workbook(any_run)["绩效指标"], 2)
    expected = any_run.csv("indicators.csv")
    rows, count = rows[:-1], rows[-1]
    assert len(rows) == len(expected) == sum(d["indicators"] for d in any_run.record["departments"])
    assert count[0] == f"计数：{len(expected)} 条"
    for row, i in zip(rows, expected):
        assert row[2:4] == [as_text(i["project"]), int(i["seq"])]
        assert row[6:10] == [i["name"], i["period_value"], i["annual_value"], i["operator"] or None]
        assert (str(Decimal(repr(row[10])).normalize()) if row[10] is not None else "") == (
            str(Decimal(i["target"]).normalize()) if i["target"] else "")
        assert row[12] == {"quantitative": "定量", "qualitative": "定性"}[i["kind"]]


def test_check_sheet_lists_every_failure_and_counts_the_passed_checks_per_department(several):
    """Failures one by one with their figures; the checks that passed as one line per department and money
    column (a city batch has thousands), their counts adding up to every check the run made."""
    from checked import read_checked

    ws = workbook(several)["核对"]
    rows = table(ws, 2)
    failed = [r for r in rows if r[7] == "不符"]
    assert {r[0] for r in failed} == {"某区卫生健康局", "某区文化局"}
    assert all(r[5] == pytest.approx(r[4] - r[3]) and r[5] != 0 for r in failed)
    checks = read_checked([several.folder.parent.parent / "inputs"]).checks
    assert len(failed) == sum(not c.passed for c in checks)
    passed = {(r[0], r[1]): r[2] for r in rows if r[7] == "通过"}
    assert len(passed) == len([r for r in rows if r[7] == "通过"])        # one line per department and column
    assert {column for _, column in passed} == {"总计", "财政拨款", "财政专户拨款", "其他资金"}
    for department, column in {(c.department, c.column_label) for c in checks}:
        count = sum(c.passed for c in checks if (c.department, c.column_label) == (department, column))
        assert passed[(department, column)] == f"其余 {count:,} 项{column}核对（行、小计、合计）均相符"
    # department by department in the order every sheet lists them (the 项目 sheet's), not the files'
    projects = [r[0] for r in table(workbook(several)["项目"], 2) if not r[0].startswith("合计")]
    assert list(dict.fromkeys(r[0] for r in rows if r[7] == "通过")) == list(dict.fromkeys(projects))
    assert list(dict.fromkeys(projects)) == sorted(set(projects)) and len(set(projects)) >= 3
    rules = [(str(cf.sqref), rule.formula) for cf in ws.conditional_formatting for rule in cf.rules]
    assert rules == [(f"A2:H{len(rows) + 1}", ["$F2<>0"])]


def test_finding_sheet_is_grouped_by_department_and_says_the_location_once(any_run):
    from pipeline.findings import TITLES

    rows = table(workbook(any_run)["问题清单"], 2)
    findings = any_run.record["findings"]
    assert len(rows) == len(findings)
    label = {"error": "错误", "warning": "警告", "info": "提示"}
    expected = sorted(((f["department"] or "", label[f["severity"]], TITLES[f["code"]]) for f in findings))
    assert sorted((r[0] or "", r[4], r[5]) for r in rows) == expected
    departments = [r[0] for r in rows if r[0]]
    assert departments == sorted(departments)                       # grouped by department, by name
    for r in rows:
        assert r[5] in TITLES.values() and "_" not in r[5]           # the code's Chinese name, not the code
        assert r[3] not in (r[6] or "")                              # the location is in 单元格, not again in 说明
    for department in set(departments):                             # errors first within a department and unit
        group = [["错误", "警告", "提示"].index(r[4]) for r in rows if r[0] == department]
        assert group == sorted(group) or len({r[1] for r in rows if r[0] == department}) > 1


def test_check_sheet_lists_failures_first(several):
    rows = table(workbook(several)["核对"], 2)
    results = [r[7] for r in rows]
    assert results == sorted(results, key=lambda x: x != "不符") and results[0] == "不符"


def test_file_sheet_accounts_for_every_input(any_run):
    rows = table(workbook(any_run)["文件"], 2)
    assert [[r[0], r[3], *r[4:8]] for r in rows] == [
        [i["file"], i["sha256"], *i["rows"].values()] for i in any_run.record["inputs"]]


# --- conventions --------------------------------------------------------------------------------

def test_print_settings_frozen_panes_and_autofilter(any_run):
    wb = workbook(any_run)
    for ws in wb:
        top = HEADER_ROW.get(ws.title, 1)
        setup = ws.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0    # one page wide (1 is the default)
        assert ws.print_title_rows == f"${top}:${top}"
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
        assert ws.oddFooter.left.text.startswith("制表日期：")
        assert ws.oddHeader.center.text == f"期间：{PERIOD}" and ws.oddHeader.right.text == "单位：万元"
        assert ws.freeze_panes == f"A{top + 1}"
        assert ws.auto_filter.ref.startswith(f"A{top}:")
        assert ws.cell(top, 1).font.b and ws.cell(top, 1).fill.fgColor.rgb.endswith("DDEBF7")


def test_amounts_are_formatted_and_long_text_wraps(several):
    wb = workbook(several)
    projects = wb["项目"]
    assert {projects.cell(2, c).number_format for c in range(4, 8)} == {"#,##0.00"}
    assert projects.cell(2, 10).alignment.wrap_text
    rows, total = SUMMARY_TOP + 1, SUMMARY_TOP + 1 + len(several.record["departments"])
    assert {wb["汇总"].cell(r, c).number_format for r in (rows, total) for c in range(4, 6)} == {"#,##0.00"}
    # a difference shows as many decimals as it has (0.0001 is never 0.00), two at least
    assert {wb["汇总"].cell(r, c).number_format for r in (rows, total) for c in (6, 7)} == {"#,##0.00####"}
    checks = wb["核对"]
    assert {checks.cell(2, c).number_format for c in (4, 5, 6)} == {"#,##0.00####"}


def test_column_widths_count_a_chinese_character_double():
    assert display_width("部门") == 4 and display_width("abc") == pytest.approx(3.3)


def test_column_widths_fit_chinese_names(sample_run):
    ws = workbook(sample_run)["汇总"]
    assert ws.column_dimensions["A"].width >= display_width("广州市荔湾区信访局")
    projects = workbook(sample_run)["项目"]
    assert projects.column_dimensions["C"].width >= display_width("办公室水电及物业管理费等")
    assert projects.column_dimensions["J"].width <= 41                  # long text wraps at a cap...
    width = projects.column_dimensions["J"].width
    for r in range(2, projects.max_row):                                 # ...in a row tall enough for it
        lines = line_count(projects.cell(r, 10).value or "", width)
        assert (projects.row_dimensions[r].height or 15) >= 15 * lines, r


def test_document_properties(sample_run):
    props = workbook(sample_run).properties
    assert props.title == f"项目支出绩效目标审核报告 {PERIOD}" and PERIOD in props.subject
    assert "pipeline" in props.description and props.keywords == PERIOD


def test_summary_has_a_native_chart_of_money(any_run):
    with zipfile.ZipFile(any_run.folder / "report.xlsx") as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode("utf-8")
    assert '<c:barDir val="bar"/>' in xml and "汇总" in xml
    ws = workbook(any_run, cached=True)["汇总"]
    rows = table(ws, SUMMARY_TOP + len(any_run.record["departments"]) + 4)
    kind = "项目" if len(any_run.record["departments"]) == 1 else "部门"
    assert rows[0][:2] == [kind, "金额（万元）"]
    bars = [r[:2] for r in rows[1:] if r[0] is not None]
    assert cents(sum(b[1] for b in bars)) == rounded(any_run.record["total"])


def test_input_text_never_becomes_a_formula_or_a_link(several):
    wb = workbook(several)
    for name, col in (("项目", 3), ("绩效指标", 3)):
        cells = {c.value: c for c in wb[name][openpyxl.utils.get_column_letter(col)] if c.value in FORMULA_NAMES}
        assert set(cells) == set(FORMULA_NAMES), name
        assert all(c.data_type == "s" for c in cells.values())
        assert not wb[name]._hyperlinks
    # only the totals row holds formulas
    with zipfile.ZipFile(several.folder / "report.xlsx") as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    formulas = re.findall(r"<f>(.*?)</f>", xml)
    assert formulas and all(re.fullmatch(r"SUM\([A-Z]+\d+:[A-Z]+\d+\)", f) for f in formulas)
    # the sheets hold their text inline (constant_memory): the input's text itself, but never as markup
    markup = re.sub(r"<is><t[^>]*>.*?</t></is>", "", xml, flags=re.S)
    assert "HYPERLINK" in xml and "HYPERLINK" not in markup and "<hyperlink" not in markup


def formulas_without_cached_values(path) -> list[str]:
    """Cells with a formula (<f>) but no cached value (<v>): LibreOffice or a PDF would show them blank or 0."""
    missing = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                for cell in ElementTree.fromstring(z.read(name)).iter(f"{MAIN_NS}c"):
                    value = cell.find(f"{MAIN_NS}v")
                    if cell.find(f"{MAIN_NS}f") is not None and (value is None or not value.text):
                        missing.append(f"{name}!{cell.get('r')}")
    return missing


def test_no_formula_anywhere_lacks_its_cached_value(any_run):
    assert formulas_without_cached_values(any_run.folder / "report.xlsx") == []
    for path in (any_run.folder / "departments").iterdir():
        assert formulas_without_cached_values(path) == []


# --- departments/ ---------------------------------------------------------------------------------

def shape(department) -> list:
    return [(u.name, u.amounts, [(p.name, p.amounts, p.goal,
                                  [(i.level1, i.level2, i.name, i.period_value, i.annual_value, i.operator, i.target,
                                    i.unit, i.kind) for i in p.indicators]) for p in u.projects])
            for u in department.spending_units]


def test_department_workbooks_read_back_as_the_tables_they_came_from(any_run):
    inputs = read_checked([any_run.folder.parent.parent / "inputs"])
    names = department_file_names([d.name for d in inputs.departments])
    assert sorted(p.name for p in (any_run.folder / "departments").iterdir()) == sorted(names)
    for original, name in zip(inputs.departments, names):
        batch = read_checked([any_run.folder / "departments" / name])
        (published,) = batch.departments
        assert published.name == original.name and published.unit == "万元"
        assert shape(published) == shape(original)
        assert published.total == original.total
        assert published.declared_total == original.declared_total
        assert [i.status for i in batch.inputs] == ["ok"]


def test_formula_like_project_names_stay_text_in_department_workbooks(several):
    (path,) = [p for p in (several.folder / "departments").iterdir() if p.stem == "某区文化局"]
    ws = openpyxl.load_workbook(path).active
    cells = [c for c in ws["A"] if c.value in FORMULA_NAMES]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)
    assert SCRIPT in [c.value for c in ws["A"]]


@pytest.mark.parametrize("name, stem", [
    ("../../etc", "_.._etc"),
    ('部门/科室\\组:*?"<>|', "部门_科室_组_______"),
    ("某局\x00\x1f\u202e", "某局___"),
    ("..", "未命名部门"),
    (" 某局. ", "某局"),
    ("CON", "_CON"),
    ("广州市荔湾区信访局", "广州市荔湾区信访局"),
])
def test_department_names_become_safe_file_names(name, stem):
    assert safe_stem(name) == stem


def test_a_long_name_is_cut_to_fit_a_file_system():
    assert len(safe_stem("某" * 200).encode("utf-8")) <= 150


def test_colliding_names_get_distinct_files():
    assert department_file_names(["某局/一", "某局:一", "某局?一", "A局", "a局"]) == [
        "某局_一.xlsx", "某局_一（2）.xlsx", "某局_一（3）.xlsx", "A局.xlsx", "a局（2）.xlsx"]


def test_path_like_department_names_stay_inside_departments(tmp_path):
    departments = [Dept(name, [(name, [Proj("培训经费", fiscal="1.00")])])
                   for name in ("../../etc", "..\\..\\某局", "某局/科室", "某局:科室")]
    run = run_tables(tmp_path, *departments)
    folder = run.folder / "departments"
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted(["_.._etc.xlsx", "_.._某局.xlsx", "某局_科室.xlsx", "某局_科室（2）.xlsx"])
    assert {p.resolve().parent for p in folder.iterdir()} == {folder.resolve()}
    everything = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert {p for p in everything if p.endswith(".xlsx")} == {
        *(f"inputs/{n:02d}.xlsx" for n in range(4)), f"outputs/{PERIOD}/report.xlsx",
        *(f"outputs/{PERIOD}/departments/{name}" for name in written)}
    assert not any(part == "etc" for p in everything for part in p.split("/"))
    published = {read_checked([folder / name]).departments[0].name for name in written}
    assert published == {d["name"] for d in run.record["departments"]}


def test_control_figures_fill_the_control_and_difference_columns(tmp_path):
    from conftest import SAMPLE
    from pipeline.run import run
    from pipeline.settings import Settings

    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "信访局.xlsx").write_bytes(SAMPLE.read_bytes())
    controls = tmp_path / "控制数.csv"
    controls.write_text("部门名称,控制数\n广州市荔湾区信访局,300.00\n", encoding="utf-8")
    result = run(tmp_path / "inputs", tmp_path / "outputs", PERIOD, settings=Settings(controls=controls))
    (department,) = result.record["departments"]
    assert department["control_total"] == "300.00"
    summary = openpyxl.load_workbook(result.folder / "report.xlsx", data_only=True)["汇总"]
    row, total = ([c.value for c in summary[r]][:8] for r in (SUMMARY_TOP + 1, SUMMARY_TOP + 2))
    assert [cents(v) for v in row[3:7]] == ["308.00", "308.00", "300.00", "8.00"] and row[7] == "未通过"
    assert [cents(v) for v in total[3:7]] == ["308.00", "308.00", "300.00", "8.00"]
    page = (result.folder / "summary.html").read_text(encoding="utf-8")
    assert 'data-total="control"' in page and "300.00 万元" in page


def sheet_contents(path) -> dict:
    """Every sheet's cells (value, number format, bold), row heights, merged ranges and column widths."""
    contents = {}
    for ws in openpyxl.load_workbook(path):
        cells = {c.coordinate: (c.value, c.number_format, bool(c.font.b)) for row in ws.iter_rows() for c in row
                 if c.value is not None}
        heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height is not None}
        widths = {k: d.width for k, d in ws.column_dimensions.items()}
        contents[ws.title] = (cells, heights, sorted(map(str, ws.merged_cells.ranges)), widths)
    return contents


def test_report_written_row_by_row_holds_what_the_in_memory_workbook_holds(tmp_path):
    """constant_memory drops, without a word, any cell or row height written above the last row written."""
    from report_runs import several_departments
    from pipeline.report.view import build_view
    from pipeline.report.xlsx import WORKBOOK_OPTIONS, write_workbook

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for n, dept in enumerate(several_departments()):
        write_xlsx(inputs / f"{n:02d}.xlsx", [{"name": "Sheet1", "rows": published_rows(dept)}])
    run(inputs, tmp_path / "outputs", "2026-10")
    (inputs / "00.xlsx").unlink()
    result = run(inputs, tmp_path / "outputs", PERIOD)     # a second period without a department: 变化 has rows
    assert WORKBOOK_OPTIONS["constant_memory"] and not WORKBOOK_OPTIONS.get("in_memory")
    in_memory = tmp_path / "in_memory.xlsx"
    write_workbook(build_view(result.batch, result.record), in_memory,
                   {**WORKBOOK_OPTIONS, "constant_memory": False, "in_memory": True})
    streamed, held = sheet_contents(result.folder / "report.xlsx"), sheet_contents(in_memory)
    assert list(streamed) == SHEETS and all(streamed[name][0] for name in SHEETS[:5])
    assert len(streamed["变化"][0]) > 20
    assert streamed == held
