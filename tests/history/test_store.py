"""The history database: two periods compared in run.json and every report, a deleted database, a run
killed while it records, a period re-run, and the `pipeline history` and `pipeline diff` commands."""

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import openpyxl
import pytest
from typer.testing import CliRunner

from builders import DEFAULT_INDICATORS, Dept, Proj, education_bureau, published_rows, write_xlsx
from pipeline.cli import app
from pipeline.errors import UsageError
from pipeline.findings import sort_key
from pipeline.history.changes import finding_key
from pipeline.history.store import SCHEMA_VERSION, history_path, open_history
from pipeline.report.xlsx import CHANGES_HEADER_ROW
from pipeline.run import run
from pipeline.settings import Settings, load_settings
from pipeline.history.snapshot import snapshot_of

EDU, OFFICE, SCHOOL = "某区教育局", "某区教育局机关", "某区第一中学"
WHERE = {"department": EDU, "spending_unit": OFFICE}


def october() -> Dept:
    """The education bureau with a project that November drops and a goal that only repeats its project's name."""
    dept = education_bureau()
    dept.units[0][1].append(Proj("课后服务经费", fiscal="10.00"))
    dept.units[1][1][0].goal = "校舍维修经费"
    return dept


def november() -> Dept:
    """October with a training budget raised, 课后服务经费 dropped, a project added, a target raised, the goal written."""
    dept = education_bureau()
    office = dept.units[0][1]
    office[0].fiscal = "150.00"
    office[1].indicators = [*DEFAULT_INDICATORS[:2], ("3-满意度指标", "31-服务对象满意度", "群众满意度", "≥90%", "≥90%")]
    office.append(Proj("心理健康教育经费", fiscal="8.00"))
    return dept


def write_inputs(folder, *departments):
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for n, dept in enumerate(departments):
        write_xlsx(folder / f"{n:02d}.xlsx", [{"name": "Sheet1", "rows": published_rows(dept)}])
    return folder


def run_period(tmp_path, period, *departments, **options):
    return run(write_inputs(tmp_path / "inputs", *departments), tmp_path / "outputs", period, **options)


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def two_periods(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("history")
    first = run_period(tmp_path, "2026-10", october())
    second = run_period(tmp_path, "2026-11", november())
    return tmp_path, first, second


# --- what changed, in run.json and in every report ------------------------------------------------

def test_two_periods_find_exactly_the_known_differences(two_periods):
    _, first, second = two_periods
    assert [f["code"] for f in first.record["findings"]] == ["empty_goal"]
    assert second.record["findings"] == []
    changes = second.record["changes"]
    assert changes == {
        "period": "2026-11", "previous_period": "2026-10",
        "total": {"old": "265.00", "new": "292.50", "difference": "27.50"},
        "departments": {"added": [], "removed": [], "changed": [
            {"department": EDU, "old": "265.00", "new": "292.50", "difference": "27.50"}]},
        "projects": {
            "added": [{**WHERE, "project": "心理健康教育经费", "old": None, "new": "8.00", "difference": "8.00"}],
            "removed": [{**WHERE, "project": "课后服务经费", "old": "10.00", "new": None, "difference": "-10.00"}],
            "changed": [{**WHERE, "project": "教师培训经费", "old": "120.50", "new": "150.00", "difference": "29.50"}]},
        "indicators": {"added": [], "removed": [], "changed": [
            {**WHERE, "project": "教研活动经费", "indicator": "群众满意度", "old": "≥85%", "new": "≥90%"}],
            # the three indicators of the added and of the removed project, counted with their project
            "with_added_projects": 3, "with_removed_projects": 3},
        "findings": {"new": [], "resolved": first.record["findings"]},
    }
    on_disk = json.loads((second.folder / "run.json").read_text(encoding="utf-8"))
    assert on_disk["changes"] == changes


def test_the_first_period_has_nothing_to_compare_with(two_periods):
    _, first, _ = two_periods
    assert first.record["changes"]["previous_period"] is None and first.record["changes"]["total"] is None


def test_the_change_sheet_lists_the_same_changes(two_periods):
    _, _, second = two_periods
    ws = openpyxl.load_workbook(second.folder / "report.xlsx")["变化"]
    header = CHANGES_HEADER_ROW + 1
    assert ws["A1"].value == "与上期相比的变化（上期 2026-10，本期 2026-11）"
    assert ws["A2"].value == "与上期 2026-10 相比：合计由 265.00 万元变为 292.50 万元，增加 27.50 万元。"
    assert [c.value for c in ws[header]] == ["类别", "变化", "部门", "资金使用单位", "项目", "指标 / 问题", "原值", "新值",
                                             "原金额（万元）", "新金额（万元）", "差额（万元）", "说明"]
    rows = [list(r) for r in ws.iter_rows(min_row=header + 1, values_only=True)]
    assert [r[:11] for r in rows] == [
        ["部门", "金额调整", EDU, None, None, None, None, None, 265, 292.5, 27.5],
        ["项目", "新增", EDU, OFFICE, "心理健康教育经费", None, None, None, None, 8, 8],
        ["项目", "删除", EDU, OFFICE, "课后服务经费", None, None, None, 10, None, -10],
        ["项目", "金额调整", EDU, OFFICE, "教师培训经费", None, None, None, 120.5, 150, 29.5],
        ["指标", "目标值调整", EDU, OFFICE, "教研活动经费", "群众满意度", "≥85%", "≥90%", None, None, None],
        ["问题", "已解决", EDU, None, "校舍维修经费", "绩效目标空缺", None, None, None, None, None],
    ]
    assert rows[-1][11].startswith("[警告] 00.xlsx!Sheet1!F") and "校舍维修经费" in rows[-1][11]
    assert {ws.cell(header + 1, c).number_format for c in (9, 10, 11)} == {"#,##0.00"}
    assert ws.freeze_panes == f"A{header + 1}" and ws.auto_filter.ref == f"A{header}:L{header + len(rows)}"


def test_report_html_and_summary_html_show_the_changes(two_periods):
    _, _, second = two_periods
    page = (second.folder / "report.html").read_text(encoding="utf-8")
    assert re.findall(r'data-change="([^"]+)"', page) == [
        "部门-金额调整", "项目-新增", "项目-删除", "项目-金额调整", "指标-目标值调整", "问题-已解决"]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr data-change[^>]*>(.*?)</tr>", page)]
    assert [row[2:7] for row in rows[:5]] == [
        [EDU, "", "265.00", "292.50", "+27.50"],
        [f"{EDU} / {OFFICE} / 心理健康教育经费", "", "—", "8.00", "+8.00"],
        [f"{EDU} / {OFFICE} / 课后服务经费", "", "10.00", "—", "-10.00"],
        [f"{EDU} / {OFFICE} / 教师培训经费", "", "120.50", "150.00", "+29.50"],
        [f"{EDU} / {OFFICE} / 教研活动经费", "群众满意度", "≥85%", "≥90%", ""]]
    summary = (second.folder / "summary.html").read_text(encoding="utf-8")
    lines = re.findall(r'data-change-line="\d+"[^>]*>([^<]*)<', summary)
    assert lines == ["与上期 2026-10 相比：合计由 265.00 万元变为 292.50 万元，增加 27.50 万元。",
                     "部门：新增 0 个，删除 0 个，金额调整 1 个。", "项目：新增 1 个，删除 1 个，金额调整 1 个。",
                     "绩效指标：新增 0 条（另有 3 条随新增的项目一并新增），删除 0 条（另有 3 条随删除的项目一并删除），"
                     "目标值调整 1 条。", "问题：新发现 0 个，已解决 1 个。"]


def test_the_database_holds_what_the_run_had(two_periods):
    tmp_path, _, second = two_periods
    with open_history(tmp_path / "outputs" / "history.sqlite", create=False) as history:
        assert history.snapshot("2026-11") == snapshot_of(second.batch, second.record)
        assert history.snapshot("2026-09") is None
        assert history.latest_before("2026-11").period == "2026-10"
        assert history.latest_before("2026-10") is None
    db = sqlite3.connect(tmp_path / "outputs" / "history.sqlite")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    # money is integer 分, never a float: 150.00 万元 is 150,000,000 分
    assert db.execute("SELECT DISTINCT typeof(total_fen) FROM projects").fetchall() == [("integer",)]
    assert db.execute("SELECT total_fen FROM projects WHERE period = '2026-11' AND name = '教师培训经费'").fetchone() == (
        150_000_000,)
    inputs = db.execute("SELECT file, sha256, status FROM inputs WHERE period = '2026-11'").fetchall()
    assert inputs == [(i["file"], i["sha256"], i["status"]) for i in second.record["inputs"]]
    db.close()


# --- a deleted database, a re-run period, a failed or killed run --------------------------------

def test_deleting_the_database_loses_only_the_history(tmp_path):
    run_period(tmp_path, "2026-10", october())
    (tmp_path / "outputs" / "history.sqlite").unlink()
    second = run_period(tmp_path, "2026-11", november())
    assert second.record["changes"]["previous_period"] is None
    for name in ("run.json", "report.xlsx", "report.html", "summary.html", "projects.csv"):
        assert (second.folder / name).is_file(), name
    assert "变化" in openpyxl.load_workbook(second.folder / "report.xlsx").sheetnames
    assert (tmp_path / "outputs" / "2026-10" / "run.json").is_file()       # earlier run folders stay
    with open_history(tmp_path / "outputs" / "history.sqlite", create=False) as history:
        assert [r.period for r in history.runs()] == ["2026-11"]


def test_re_running_a_period_replaces_its_record(tmp_path):
    run_period(tmp_path, "2026-10", october())
    run_period(tmp_path, "2026-11", october())
    again = run_period(tmp_path, "2026-11", november())
    assert again.record["changes"]["previous_period"] == "2026-10"   # never compared with itself
    with open_history(tmp_path / "outputs" / "history.sqlite", create=False) as history:
        runs = history.runs()
        assert [(r.period, str(r.total), r.projects) for r in runs] == [("2026-10", "265.000000", 4),
                                                                       ("2026-11", "292.500000", 4)]
        assert history.snapshot("2026-11") == snapshot_of(again.batch, again.record)
    result = invoke("history", "--outputs", tmp_path / "outputs")
    assert [line.split()[0] for line in result.output.splitlines()[1:]] == ["2026-10", "2026-11"]


def test_an_earlier_period_run_later_compares_with_the_one_before_it(tmp_path):
    run_period(tmp_path, "2026-09", october())
    run_period(tmp_path, "2026-11", november())
    late = run_period(tmp_path, "2026-10", october())
    assert late.record["changes"]["previous_period"] == "2026-09"


def test_a_run_whose_folder_fails_to_write_is_not_recorded(tmp_path):
    run_period(tmp_path, "2026-10", october())

    def broken_writer(folder, batch, record, view):
        raise OSError("disk full")

    with pytest.raises(OSError):
        run_period(tmp_path, "2026-11", november(), writers=[broken_writer])
    with open_history(tmp_path / "outputs" / "history.sqlite", create=False) as history:
        assert [r.period for r in history.runs()] == ["2026-10"]


def test_rows_written_but_not_committed_are_not_the_record_until_committed(tmp_path):
    """The run writes its rows while its last report is still being written: until the commit the
    database reads as before, for anyone; abandoned, they are gone; committed, they replace the period."""
    run_period(tmp_path, "2026-11", october())
    db = tmp_path / "outputs" / "history.sqlite"
    before = database_content(db)
    run(write_inputs(tmp_path / "inputs", november()), tmp_path / "other", "2026-11")
    with open_history(tmp_path / "other" / "history.sqlite", create=False) as other:
        snapshot = other.snapshot("2026-11")
    with open_history(db, create=False) as history:
        def names() -> set[str]:
            return {p.name for p in history.snapshot("2026-11").projects}

        october_names = names()
        recording = history.prepare(snapshot)
        recording.write()
        assert database_content(db) == before              # another connection reads the old record
        recording.abandon()
        assert database_content(db) == before and names() == october_names
        recording = history.prepare(snapshot)
        recording.write()
        recording.commit()
        recording.abandon()                                # after the commit: nothing to take back
        assert names() == {p.name for p in snapshot.projects} != october_names
        assert "心理健康教育经费" in names() and "课后服务经费" in october_names - names()
    assert database_content(db) != before


def database_content(path) -> dict:
    db = sqlite3.connect(path)
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    content = {table: db.execute(f"SELECT * FROM {table} ORDER BY period, 2").fetchall() for table in tables}
    db.close()
    return content


def big_department(projects: int) -> Dept:
    return Dept("某大局", [("某大局", [Proj(f"项目{n:05d}", fiscal="1.00") for n in range(projects)])])


# `pipeline` whose history transaction holds its COMMIT back for a minute after writing its rows, and
# says so by creating the file named first on its command line, so the test can kill the process at
# that moment (the hook lives here, not in the product)
PAUSED_RUN = """
import contextlib, pathlib, sys, time
from pipeline.history import store

original, marker = store.History.transaction, pathlib.Path(sys.argv.pop(1))

@contextlib.contextmanager
def paused(self):
    with original(self) as db:
        yield db
        marker.touch()
        time.sleep(60)

store.History.transaction = paused
from pipeline.cli import app
app(sys.argv[1:], prog_name="pipeline")
"""


@pytest.mark.parametrize("period, inputs", [
    ("2026-11", [november()]),                          # re-running a recorded period: its old record must survive
    ("2026-12", [november(), big_department(6_000)]),   # enough rows that SQLite writes pages into the file itself
], ids=["re-run", "spilled"])
def test_a_run_killed_while_recording_leaves_the_database_as_it_was(tmp_path, period, inputs):
    """Killed inside the transaction, after its rows are written and before COMMIT: the database reads
    as before (SQLite rolls back a hot journal when the file is next opened) and the next run records."""
    run_period(tmp_path, "2026-10", october())
    run_period(tmp_path, "2026-11", october())
    db = tmp_path / "outputs" / "history.sqlite"
    before, size = database_content(db), db.stat().st_size
    write_inputs(tmp_path / "inputs", *inputs)
    marker = tmp_path / "paused"
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_RUN, str(marker), "run", "-q", "-i", str(tmp_path / "inputs"), "-o",
         str(tmp_path / "outputs"), "-p", period], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = db.with_name(db.name + "-journal")
    deadline = time.monotonic() + 120
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    # the rows are written, the folder is in place, the pause holds the COMMIT back
    assert process.poll() is None, "the run ended before it could be killed"
    assert journal.exists() and (period != "2026-12" or db.stat().st_size > size)   # spilled into the file
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    with open_history(db, create=False) as history:
        assert [r.period for r in history.runs()] == ["2026-10", "2026-11"]
    assert database_content(db) == before and db.stat().st_size == size
    assert (tmp_path / "outputs" / period / "run.json").is_file()    # the run folder was swapped in before
    result = invoke("run", "-q", "-i", tmp_path / "inputs", "-o", tmp_path / "outputs", "-p", period)
    assert result.exit_code == 0, result.output
    with open_history(db, create=False) as history:
        assert [r.period for r in history.runs()] == sorted({"2026-10", "2026-11", period})
        names = [p.name for p in history.snapshot(period).projects]
        assert "心理健康教育经费" in names and ("项目04999" in names) == (period == "2026-12")


# --- schema and settings --------------------------------------------------------------------------

def test_an_old_database_is_migrated_forward_and_a_newer_one_refused(tmp_path):
    empty = tmp_path / "old.sqlite"
    sqlite3.connect(empty).close()                       # version 0: a file with no tables
    with open_history(empty) as history:
        assert history.runs() == []
    assert sqlite3.connect(empty).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    newer = tmp_path / "newer.sqlite"
    connection = sqlite3.connect(newer)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    result = invoke("history", "--db", newer)
    assert result.exit_code == 2 and f"由更新版本的 pipeline 建立（结构版本 {SCHEMA_VERSION + 1}" in result.output


def test_a_file_that_is_not_a_database_stops_the_run_before_anything_is_written(tmp_path):
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / "history.sqlite").write_bytes(b"this is not a database" * 100)
    write_inputs(tmp_path / "inputs", october())
    result = invoke("run", "-q", "-i", tmp_path / "inputs", "-o", tmp_path / "outputs", "-p", "2026-10")
    assert result.exit_code == 2
    assert f"错误：历史数据库 {tmp_path / 'outputs' / 'history.sqlite'} 无法使用" in result.output
    assert "请把它移到别处保存" in result.output and not (tmp_path / "outputs" / "2026-10").exists()


def test_the_history_path_comes_from_pipeline_toml(tmp_path):
    assert history_path(Settings(), tmp_path / "out") == tmp_path / "out" / "history.sqlite"
    config = tmp_path / "设置" / "pipeline.toml"
    config.parent.mkdir()
    config.write_text('[history]\npath = "历史/runs.sqlite"\n', encoding="utf-8")
    settings = load_settings(config)
    assert history_path(settings, tmp_path / "out") == tmp_path / "设置" / "历史" / "runs.sqlite"
    result = run(write_inputs(tmp_path / "inputs", october()), tmp_path / "out", "2026-10", settings=settings)
    assert (tmp_path / "设置" / "历史" / "runs.sqlite").is_file() and not (tmp_path / "out" / "history.sqlite").exists()
    assert result.record["changes"]["previous_period"] is None
    listed = invoke("history", "--outputs", tmp_path / "out", "--config", config)
    assert listed.exit_code == 0 and "2026-10" in listed.output


@pytest.mark.parametrize("text, words", [
    ("[history]\nkeep = 12\n", "第 2 行：[history] 中的 keep 不是已知的设置项（可用：path）"),
    ("[history]\npath = 3\n", "第 2 行：[history] 中的 path 应为数据库文件的路径"),
    ('[history]\npath = " "\n', "[history] 中的 path 应为数据库文件的路径"),
    ('history = "h.sqlite"\n', "history 应为一节（[history]）"),
])
def test_malformed_history_settings_are_usage_errors(tmp_path, text, words):
    config = tmp_path / "pipeline.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as error:
        load_settings(config)
    assert f"设置文件 {config}" in error.value.message and words in error.value.message


def test_the_example_settings_file_keeps_the_default_path(tmp_path):
    from conftest import ROOT

    assert history_path(load_settings(ROOT / "pipeline.toml.example"), tmp_path) == tmp_path / "history.sqlite"


def test_a_finding_whose_row_moved_is_not_new_next_month(tmp_path):
    """A project inserted above moves the school's goal cell down a row: its empty_goal is the same finding."""
    first = run_period(tmp_path, "2026-10", october())
    moved = october()
    moved.units[0][1].insert(0, Proj("新增培训经费", fiscal="5.00"))
    second = run_period(tmp_path, "2026-11", moved)
    before = [f for f in first.batch.findings if f.code == "empty_goal"]
    after = [f for f in second.batch.findings if f.code == "empty_goal"]
    assert len(before) == len(after) == 1 and before[0].cell != after[0].cell
    assert second.record["changes"]["findings"] == {"new": [], "resolved": []}


def _as_schema_3(source, target):
    """`source` (the current schema) copied into a database of schema 3, which kept no finding parameters."""
    from pipeline.history.schema import MIGRATIONS

    old = sqlite3.connect(target)
    for migration in MIGRATIONS[:3]:
        for statement in migration:
            old.execute(statement)
    old.execute("ATTACH DATABASE ? AS new", (str(source),))
    for table in ("runs", "inputs", "departments", "projects", "indicators"):
        old.execute(f"INSERT INTO main.{table} SELECT * FROM new.{table}")
    old.execute("INSERT INTO main.findings SELECT period, position, code, severity, file, sheet, cell, department, "
                "project, message FROM new.findings")
    old.commit()
    old.execute("DETACH DATABASE new")
    old.execute("PRAGMA user_version = 3")
    old.close()


def test_a_schema_3_database_is_read_and_its_findings_compared_by_message(tmp_path):
    first = run_period(tmp_path, "2026-10", october())
    legacy = tmp_path / "legacy.sqlite"
    _as_schema_3(tmp_path / "outputs" / "history.sqlite", legacy)
    moved = october()
    moved.units[0][1].insert(0, Proj("新增培训经费", fiscal="5.00"))
    second = run_period(tmp_path, "2026-11", moved, settings=Settings(history=legacy))
    # the earlier period's findings come back with their messages and without parameters; the new one's have them
    db = sqlite3.connect(legacy)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    rows = dict(db.execute("SELECT period, count(*) FROM findings WHERE params IS NULL GROUP BY period").fetchall())
    assert rows == {"2026-10": len(first.batch.findings)}
    stored = json.loads(db.execute("SELECT params FROM findings WHERE period = '2026-11' AND code = 'empty_goal'")
                        .fetchone()[0])
    assert stored == {"goal": "校舍维修经费", "variant": "repeats_name"}
    db.close()
    with open_history(legacy) as history:
        recorded = history.snapshot("2026-10").findings
    assert [f.message for f in recorded] == [f.message for f in sorted(first.batch.findings, key=sort_key)]
    assert {f.params for f in recorded} == {None}
    # keyed by message for this comparison: the moved goal finding is still not new
    assert second.record["changes"]["findings"] == {"new": [], "resolved": []}


def test_a_finding_with_figures_comes_back_from_the_history_as_run_json_has_it(tmp_path):
    dept = education_bureau()
    dept.declared = "1.00"
    result = run_period(tmp_path, "2026-10", dept)
    with open_history(tmp_path / "outputs" / "history.sqlite", create=False) as history:
        recorded = history.snapshot("2026-10").findings
    assert [f.as_dict() for f in recorded] == result.record["findings"]
    assert dict(recorded[0].params)["difference"] == "-254"       # a Decimal comes back as its exact text
    assert [finding_key(f) for f in recorded] == [finding_key(f) for f in sorted(result.batch.findings, key=sort_key)]
