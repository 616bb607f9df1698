"""`pipeline run` and `pipeline check` (cli/run.py): exit codes, the Chinese summary, files written."""

import json
from decimal import Decimal
import shutil

import pytest
from typer.testing import CliRunner

from builders import education_bureau, published_rows, write_text
from pipeline.cli import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_run_on_the_bundled_sample_writes_the_run_folder(tmp_path, sample):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(sample, inputs)
    result = invoke("run", "--inputs", inputs, "--outputs", tmp_path / "out", "--period", "2026-11")
    assert result.exit_code == 0, result.output
    assert "项目 10 个，绩效指标 33 条" in result.output
    assert "合计 308.00 万元" in result.output
    folder = tmp_path / "out" / "2026-11"
    record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert (record["period"], record["status"], record["total"]) == ("2026-11", "warnings", "308.00")
    (department,) = record["departments"]
    assert (department["spending_units"], department["projects"], department["indicators"]) == (1, 10, 33)
    assert department["declared_total"] == department["total"] == "308.00" and department["reconciled"]
    (entry,) = record["inputs"]
    assert entry["status"] == "ok" and len(entry["sha256"]) == 64
    rows = entry["rows"]
    assert rows["read"] == rows["used"] + rows["ignored"] + rows["rejected"]
    projects = (folder / "projects.csv").read_bytes()
    assert projects.startswith("\ufeff".encode())  # BOM so Excel reads the Chinese
    lines = projects.decode("utf-8-sig").splitlines()
    # the original columns stay first and in order; columns are only added at the end
    assert lines[0] == ("department,spending_unit,project,total,fiscal,special_account,other,goal,indicators,"
                        "source_file,source_sheet,source_row,unreadable,layout,period_total,period_start,period_end,"
                        "period_goal,source_range")
    assert len(lines) == 11 and ",100.00,100.00,0.00,0.00," in lines[1]
    indicators = (folder / "indicators.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(indicators) == 34
    assert any(",进京到非接待场所上访纯人数,≤10,≤10,≤,10,," in line for line in indicators)


def test_run_with_errors_exits_1_and_still_writes(tmp_path):
    dept = education_bureau()
    dept.declared = "1.00"
    (tmp_path / "in").mkdir()
    write_text(tmp_path / "in" / "t.csv", published_rows(dept))
    result = invoke("run", "-i", tmp_path / "in", "-o", tmp_path / "out", "-p", "2026-10")
    assert result.exit_code == 1
    assert "total_mismatch" not in result.output and "合计行的总计与各资金使用单位总计之和不符" in result.output
    record = json.loads((tmp_path / "out" / "2026-10" / "run.json").read_text(encoding="utf-8"))
    assert record["status"] == "failed"
    # the 合计 row disagrees with its own parts and with the units below it
    assert [(f["code"], f["cell"]) for f in record["findings"]] == [("row_sum_mismatch", "B4"),
                                                                     ("total_mismatch", "B4")]
    findings = (tmp_path / "out" / "2026-10" / "findings.csv").read_text(encoding="utf-8-sig").splitlines()
    assert findings[0] == "code,severity,file,sheet,cell,department,project,message,params"
    assert findings[2].startswith("total_mismatch,error,t.csv,,B4,某区教育局,,合计行的总计与各资金使用单位总计之和不符")
    # the figures the message was rendered from, as data: exact decimals, the unit, the column checked
    params = record["findings"][1]["params"]
    assert (params["column"], params["unit"], params["difference"]) == ("total", "万元", "-254")
    assert Decimal(params["actual"]) - Decimal(params["expected"]) == Decimal(params["difference"])


@pytest.mark.parametrize("args, message", [
    (["run", "--inputs", "no/such/folder"], "输入文件夹 no/such/folder 不存在"),
    (["run", "--period", "2026-13"], "期间「2026-13」的月份 13 不存在：月份应为 01 到 12"),
    (["run", "--period", "2026-00"], "期间「2026-00」的月份 00 不存在"),
    (["run", "--period", "2026-1"], "期间「2026-1」的月份应写两位：2026-01"),
    (["run", "--period", "202611"], "期间「202611」格式不对，应为 YYYY-MM"),
    (["email", "--period", "11月"], "期间「11月」格式不对"),
    (["diff", "2026-11", "2026-10"], "先写较早的期间、再写较晚的：2026-11 不早于 2026-10。应为 pipeline diff 2026-10 2026-11"),
    (["diff", "2026-11", "2026-11"], "先写较早的期间、再写较晚的：2026-11 不早于 2026-11。请给出两个不同的期间"),
    (["diff", "2026-10", "2026-14"], "期间「2026-14」的月份 14 不存在"),
    (["check", "no/such.xlsx"], "找不到：no/such.xlsx"),
])
def test_usage_errors_exit_2_with_a_chinese_message(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inputs").mkdir()
    result = invoke(*args)
    assert result.exit_code == 2
    assert f"错误：{message}" in result.output


def test_check_prints_without_writing(tmp_path, seed, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("check", seed)
    assert result.exit_code == 0, result.output
    assert "部门 1 个，资金使用单位 1 个，项目 10 个，绩效指标 33 条" in result.output
    assert "广州市荔湾区信访局：项目 10 个，指标 33 条，计算 308.00 万元，申报 308.00 万元" in result.output
    assert "状态：有警告" in result.output   # the sample's six warnings
    assert list(tmp_path.iterdir()) == []


def test_check_exits_1_on_a_rejected_file(tmp_path):
    (tmp_path / "fake.xlsx").write_text("not a workbook")
    result = invoke("check", tmp_path)
    assert result.exit_code == 1
    assert "[拒收] fake.xlsx" in result.output


def test_quiet_prints_only_the_status_and_the_folder(tmp_path, sample):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(sample, inputs)
    result = invoke("run", "-q", "-i", inputs, "-o", tmp_path / "out", "-p", "2026-11")
    assert result.exit_code == 0
    assert result.output.splitlines() == ["状态：有警告", f"结果已写入 {tmp_path / 'out' / '2026-11'}"]


def test_progress_is_reported_per_file_and_per_output_and_stages_are_timed(tmp_path):
    from pipeline.run import run

    inputs = tmp_path / "in"
    inputs.mkdir()
    for n in range(3):
        dept = education_bureau()
        dept.name = f"第{n}局"
        write_text(inputs / f"{n}.csv", published_rows(dept))
    calls = []
    result = run(inputs, tmp_path / "out", "2026-11", progress=lambda *a: calls.append(a))
    # before each file, naming it; then once when all are read
    assert [c for c in calls if c[0] == "read"] == [("read", 0, 3, "0.csv"), ("read", 1, 3, "1.csv"),
                                                    ("read", 2, 3, "2.csv"), ("read", 3, 3, "")]
    writes = [c for c in calls if c[0] == "write"]
    assert writes[-1][1] == writes[-1][2] == len(writes) - 1 >= 2
    assert ("write", 1, len(writes) - 1, "report.xlsx") in writes
    assert {"read", "parse", "reconcile", "rules", "write_tables", "write_report_xlsx"} <= set(result.batch.timings)


def test_run_prints_the_change_since_the_last_period(tmp_path, sample):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(sample, inputs)
    first = invoke("run", "-i", inputs, "-o", tmp_path / "out", "-p", "2026-10")
    assert "历史记录中没有早于 2026-10 的期间" in first.output
    second = invoke("run", "-i", inputs, "-o", tmp_path / "out", "-p", "2026-11")
    lines = second.output.splitlines()
    assert "与上期 2026-10 相比：合计由 308.00 万元变为 308.00 万元，没有变化。" in lines
    assert lines[-3:-1] == ["状态：有警告", f"结果已写入 {tmp_path / 'out' / '2026-11'}"]


def test_inputs_given_a_file_points_to_check(tmp_path, sample):
    result = invoke("run", "-i", sample, "-o", tmp_path / "out", "-p", "2026-11")
    assert result.exit_code == 2
    assert "是一个文件，不是文件夹" in result.output and "pipeline check" in result.output


def test_an_inputs_folder_without_tables_keeps_last_results(tmp_path, sample):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(sample, inputs)
    assert invoke("run", "-i", inputs, "-o", tmp_path / "out", "-p", "2026-11").exit_code == 0
    before = (tmp_path / "out" / "2026-11" / "run.json").read_bytes()
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "说明.docx").write_bytes(b"PK")
    result = invoke("run", "-i", empty, "-o", tmp_path / "out", "-p", "2026-11")
    assert result.exit_code == 2 and "中没有任何表格文件" in result.output
    assert (tmp_path / "out" / "2026-11" / "run.json").read_bytes() == before


def test_check_on_a_folder_without_tables_is_a_usage_error(tmp_path):
    (tmp_path / "说明.docx").write_bytes(b"PK")
    result = invoke("check", tmp_path)
    assert result.exit_code == 2 and "中没有任何表格文件" in result.output
