"""A department's forms arrive one per file: combined into one department, resubmissions replaced, a
published table cross-checked against its forms, and compiled into the published table (round trip)."""

import csv
import json
import os
from decimal import Decimal

from builders import Dept, Proj, published_rows, write_xlsx
from form_builders import INDICATORS, Form, dongguan_rows, write_form_xlsx, yueyang_rows
from openpyxl import load_workbook

from pipeline.read.batch import read_batch
from pipeline.report.text import summary_lines
from pipeline.run import run

D = Decimal
FARM = "岳阳县农业农村局"


def form_file(path, form, *, mtime=None, layout=yueyang_rows):
    write_form_xlsx(path, [("申报表", *layout(form))])
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def test_forms_of_one_department_in_many_files_are_one_department(tmp_path):
    form_file(tmp_path / "1.xlsx", Form(name="高标准农田", unit="农田建设服务中心", total=854, fiscal=854))
    form_file(tmp_path / "2.xlsx", Form(name="农村公路养护", unit="农村公路中心", total=120, fiscal=100, other=20))
    form_file(tmp_path / "3.xlsx", Form(name="农田水利", unit="农田建设服务中心", total=30, fiscal=30))
    batch = read_batch([tmp_path])
    [department] = batch.departments
    assert (department.name, department.layout, department.total) == (FARM, "form", D("1004"))
    assert [(u.name, [p.name for p in u.projects]) for u in department.spending_units] == [
        ("农田建设服务中心", ["高标准农田", "农田水利"]), ("农村公路中心", ["农村公路养护"])]
    assert [p.source.file for p in department.projects] == ["1.xlsx", "3.xlsx", "2.xlsx"]
    assert [i.status for i in batch.inputs] == ["ok", "ok", "ok"]
    assert "duplicate_department" not in {f.code for f in batch.findings}


def test_a_resubmitted_form_replaces_the_older_one(tmp_path):
    form_file(tmp_path / "农田_初稿.xlsx", Form(name="高标准农田", total=800, fiscal=800), mtime=1_700_000_000)
    form_file(tmp_path / "农田_更正.xlsx", Form(name="高标准农田", total=854, fiscal=854), mtime=1_700_001_000)
    form_file(tmp_path / "公路.xlsx", Form(name="农村公路养护", total=120, fiscal=120), mtime=1_600_000_000)
    batch = read_batch([tmp_path])
    [department] = batch.departments
    assert sorted((p.name, p.amounts.total) for p in department.projects) == [
        ("农村公路养护", D("120")), ("高标准农田", D("854"))]
    [duplicate] = [f for f in batch.findings if f.code == "duplicate_form"]
    assert duplicate.file == "农田_更正.xlsx" and "农田_初稿.xlsx" in duplicate.message
    status = {i.file: i.status for i in batch.inputs}
    assert status == {"农田_初稿.xlsx": "skipped", "农田_更正.xlsx": "ok", "公路.xlsx": "ok"}


def farm_table(**changes) -> Dept:
    projects = [Proj("高标准农田", fiscal="854", indicators=[(l1, l2, n, p, a) for l1, l2, n, p, a in INDICATORS]),
                Proj("农村公路养护", fiscal="120", indicators=list(INDICATORS))]
    return Dept(FARM, [("农田建设服务中心", projects)], **changes)


def test_a_table_and_its_forms_are_cross_checked_and_counted_once(tmp_path):
    write_xlsx(tmp_path / "汇总表.xlsx", [{"name": "Sheet1", "rows": published_rows(farm_table())}])
    form_file(tmp_path / "农田.xlsx", Form(name="高标准农田"))                 # agrees with the table
    changed = list(INDICATORS)
    changed[0] = changed[0][:3] + ("≥90公里", "≥90公里")
    form_file(tmp_path / "公路.xlsx", Form(name="农村公路养护", total=125, fiscal=125, indicators=changed))
    form_file(tmp_path / "水利.xlsx", Form(name="农田水利", total=30, fiscal=30))  # not in the table
    batch = read_batch([tmp_path])
    [department] = batch.departments
    assert (department.layout, department.file, department.total) == ("table", "汇总表.xlsx", D("974"))
    mismatches = sorted((f.file, f.cell, f.project) for f in batch.findings if f.code == "form_table_mismatch")
    assert mismatches == [("公路.xlsx", "B3", "农村公路养护"), ("公路.xlsx", "B3", "农村公路养护"),
                          ("公路.xlsx", "B3", "农村公路养护"), ("水利.xlsx", "B3", "农田水利")]
    messages = " ".join(f.message for f in batch.findings if f.code == "form_table_mismatch")
    assert "总计申报表为 125.00 万元" in messages and "财政拨款申报表为 125.00 万元" in messages
    assert "「≥90公里」" in messages and "汇总表" in messages
    reasons = {i.file: (i.status, i.reason) for i in batch.inputs}
    assert reasons["公路.xlsx"] == ("ok", f"申报表：部门「{FARM}」以汇总表「汇总表.xlsx」为准，本表用于核对")
    assert reasons["汇总表.xlsx"] == ("ok", None)


def test_a_mixed_batch_gives_one_consistent_total_in_every_output(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    write_xlsx(inputs / "教育局.xlsx", [{"name": "Sheet1", "rows": published_rows(
        Dept("某区教育局", [("某区教育局", [Proj("教师培训经费", fiscal="120.50")])]))}])
    write_xlsx(inputs / "农业农村局汇总.xlsx", [{"name": "Sheet1", "rows": published_rows(farm_table())}])
    form_file(inputs / "农田.xlsx", Form(name="高标准农田"))
    form_file(inputs / "展馆1.xlsx", Form(name="物业管理费支出", department="东莞展览馆", unit="东莞展览馆",
                                         total=282.92, period_total=282.92, period="2022.01-2022.12"),
              layout=dongguan_rows)
    form_file(inputs / "展馆2.xlsx", Form(name="展览布置", department="东莞展览馆", unit="东莞展览馆", total=17.08),
              layout=dongguan_rows)
    result = run(inputs, tmp_path / "outputs", "2026-11")
    record, folder = result.record, result.folder
    assert record["total"] == "1394.50"                      # 120.50 + 974 + 282.92 + 17.08
    assert record["status"] == "warnings"                   # ≥100% values: warnings, no error
    assert sorted((d["name"], d["layout"], d["total"], d["reconciled"]) for d in record["departments"]) == [
        ("东莞展览馆", "form", "300.00", True), (FARM, "table", "974.00", True), ("某区教育局", "table", "120.50", True)]
    with (folder / "projects.csv").open(encoding="utf-8-sig") as handle:
        projects = list(csv.DictReader(handle))
    assert sum(D(p["total"]) for p in projects) == D("1394.50")
    forms = [p for p in projects if p["layout"] == "form"]
    assert sorted((p["project"], p["source_file"], p["source_range"]) for p in forms) == [
        ("展览布置", "展馆2.xlsx", "A1:H10"), ("物业管理费支出", "展馆1.xlsx", "A1:H10")]
    assert json.loads((folder / "run.json").read_text(encoding="utf-8"))["total"] == "1394.50"
    compiled = read_batch([folder / "departments" / "东莞展览馆.xlsx"])
    assert compiled.total == D("300.00")
    workbook = load_workbook(folder / "report.xlsx", data_only=True)
    summary = [list(r) for r in workbook["汇总"].iter_rows(values_only=True)]
    total_row = next(r for r in summary if r[0] == "合计")
    assert (total_row[1], f"{total_row[4]:.2f}") == (5, "1394.50")
    project_rows = list(workbook["项目"].iter_rows(values_only=True))
    column = project_rows[0].index("来源")
    sources = [r[column] for r in project_rows[1:]]
    assert "展馆1.xlsx!申报表!A1:H10" in sources and "教育局.xlsx!Sheet1!A6" in sources
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert 'data-total="computed">1,394.50<' in page and "来源：展馆1.xlsx!申报表!A1:H10" in page
    lines = summary_lines(result.batch)
    assert lines[1].endswith("（其中申报表 2 份）") and "合计 1,394.50 万元" in lines[2]
    assert any("东莞展览馆" in line and "由 2 份申报表汇总" in line for line in lines)


def test_compiled_forms_read_back_as_the_same_projects_amounts_and_indicators(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    form_file(inputs / "1.xlsx", Form(name="高标准农田", total=854, fiscal=800, other=54))
    form_file(inputs / "2.xlsx", Form(name="农村公路养护", unit="农村公路中心", total=120.5, fiscal=120.5))
    form_file(inputs / "3.xlsx", Form(name="物业管理费支出", department=FARM, unit="农村公路中心", total=282.92,
                                      period_total=848.76, period="2022.01-2024.12", period_goal="三年目标"),
              layout=lambda f: dongguan_rows(f, period_block_empty=True))
    result = run(inputs, tmp_path / "outputs", "2026-11")
    [original] = result.batch.departments
    back = read_batch([result.folder / "departments" / f"{FARM}.xlsx"])
    [compiled] = back.departments
    assert compiled.layout == "table" and compiled.declared_total.total == D("1257.42")
    assert not [f for f in back.findings if f.severity == "error"]

    def content(department):
        return [(u.name, p.name, p.amounts, p.goal,
                 [(i.level1, i.level2, i.name, i.period_value, i.annual_value, i.operator, i.target, i.unit)
                  for i in p.indicators])
                for u in department.spending_units for p in u.projects]

    assert content(compiled) == content(original)
    assert [p.name for p in compiled.projects] == ["高标准农田", "农村公路养护", "物业管理费支出"]


def test_a_form_whose_money_does_not_add_up_leaves_its_department_unreconciled(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    form_file(inputs / "1.xlsx", Form(name="高标准农田", total=900, fiscal=854))
    form_file(inputs / "2.xlsx", Form(name="展览布置", department="东莞展览馆", unit="东莞展览馆", total=17.08),
              layout=dongguan_rows)
    record = run(inputs, tmp_path / "outputs", "2026-11").record
    assert {d["name"]: d["reconciled"] for d in record["departments"]} == {FARM: False, "东莞展览馆": True}
    assert record["status"] == "failed" and record["total"] == "917.08"
    checks = load_workbook(tmp_path / "outputs" / "2026-11" / "report.xlsx")["核对"]
    assert [list(row) for row in checks.iter_rows(min_row=2, values_only=True)] == [
        [FARM, "总计", "项目「高标准农田」申报表的年度资金总额与各项之和", 854, 900, 46, "1.xlsx!申报表!C6", "不符"]]


def test_an_unreadable_form_amount_stays_unknown_through_the_run_and_the_compiled_table(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    form_file(inputs / "1.xlsx", Form(name="高标准农田", total=854, fiscal="854万854万(重复)"))
    form_file(inputs / "2.xlsx", Form(name="农村公路养护", total=10, fiscal=10))
    result = run(inputs, tmp_path / "outputs", "2026-11")
    [department] = result.record["departments"]
    assert (department["total"], department["unknown_amounts"], department["reconciled"]) == ("864.00", 1, False)
    [bad] = [f for f in result.record["findings"] if f["code"] == "bad_amount"]
    assert (bad["file"], bad["cell"]) == ("1.xlsx", "C7") and "「其中:财政拨款」" in bad["message"]
    compiled = load_workbook(result.folder / "departments" / f"{FARM}.xlsx")["项目支出绩效目标表"]
    rows = [list(r[:5]) for r in compiled.iter_rows(min_row=4, values_only=True)]
    assert rows[0] == ["合计", 864, None, 0, 0]          # the 财政拨款 sum is unknown: blank, never a smaller sum
    assert ["高标准农田", 854, None, 0, 0] in rows


def test_the_history_keeps_which_projects_came_from_forms(tmp_path, sample):
    """A period recorded with a form department and the sample's table: the history says which is which."""
    import shutil

    from pipeline.history.store import open_history

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(sample, inputs)
    form_file(inputs / "1.xlsx", Form(name="高标准农田", total=854, fiscal=854))
    form_file(inputs / "2.xlsx", Form(name="农田水利", total=30, fiscal=30))
    run(inputs, tmp_path / "outputs", "2026-11")
    with open_history(tmp_path / "outputs" / "history.sqlite", create=False) as history:
        snapshot = history.snapshot("2026-11")
        [recorded] = history.runs()
    assert {(d.name, d.layout) for d in snapshot.departments} == {(FARM, "form"), ("广州市荔湾区信访局", "table")}
    assert sorted(p.name for p in snapshot.projects if p.layout == "form") == ["农田水利", "高标准农田"]
    assert (recorded.projects, recorded.form_projects) == (12, 2)
    from typer.testing import CliRunner

    from pipeline.cli import app

    listed = CliRunner().invoke(app, ["history", "--outputs", str(tmp_path / "outputs")])
    assert "部门 2 个  项目 12 个（其中申报表 2 个）" in listed.output


def test_level_names_beyond_the_framework_are_mapped_in_indicators_csv(tmp_path):
    """Forms print 项目完成指标 or 社会公众或服务对象满意度指标: indicators.csv keeps them as printed and names
    the framework's level beside them; a name the framework does not know maps to nothing."""
    indicators = [("项目完成指标", "数量指标", "硬化里程", "≥100公里", "≥100公里"),
                  ("效益指标", "社会公众或服务对象满意度指标", "群众满意度", "≥90%", "≥90%"),
                  ("其他指标", "杂项", "某事", "完成", "完成")]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    form_file(inputs / "1.xlsx", Form(name="高标准农田", total=854, fiscal=854, indicators=indicators))
    result = run(inputs, tmp_path / "outputs", "2026-11")
    with (result.folder / "indicators.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["level1"], r["level2"], r["level1_framework"], r["level2_framework"]) for r in rows] == [
        ("项目完成指标", "数量指标", "产出指标", "数量指标"),
        ("效益指标", "社会公众或服务对象满意度指标", "效益指标", "服务对象满意度"),
        ("其他指标", "杂项", "", ""),
    ]
