"""Control figures (pipeline.review.controls): reading the file, holding each department to its figure, and
the seed checked against 308.00 and 300.00 through the library and the command line."""

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import Dept, Proj, education_bureau, published_rows, write_text, write_xls, write_xlsx
from checked import read_checked
from pipeline.cli import app
from pipeline.review.controls import check_controls, check_expected_total, read_controls
from pipeline.errors import UsageError
from pipeline.run import check, run
from pipeline.settings import Settings

runner = CliRunner()
SEED_NAME = "广州市荔湾区信访局"


def controls_csv(tmp_path: Path, rows: list[list], name: str = "控制数.csv") -> Path:
    return write_text(tmp_path / name, rows)


def seed_controls(tmp_path: Path, amount: str, name: str = "控制数.csv") -> Path:
    return controls_csv(tmp_path, [["部门名称", "控制数"], [SEED_NAME, amount]], name)


# --- reading ------------------------------------------------------------------------------------

def test_read_a_csv_in_wanyuan(tmp_path):
    path = controls_csv(tmp_path, [["2026年部门预算控制数"], ["部门名称", "控制数"], [SEED_NAME, "308.00"],
                                   ["某区教育局", "1,234.5"], [], ["合计", "1542.50"]])
    controls = read_controls(path)
    assert controls.file == "控制数.csv"
    assert {f.department: f.amount for f in controls.figures.values()} == {
        SEED_NAME: Decimal("308.00"), "某区教育局": Decimal("1234.5")}
    assert controls.get(f" {SEED_NAME[:3]} {SEED_NAME[3:]}").source.cell == "B3"  # spaces do not matter


@pytest.mark.parametrize("rows", [
    [["单位：元"], ["部门名称", "控制数"], [SEED_NAME, "3,080,000.00"]],
    [["部门名称", "控制数（元）"], [SEED_NAME, "3080000"]],
    [["金额单位：千元"], ["序号", "部门名称", "控制数"], ["1", SEED_NAME, "３０８０"]],
])
def test_a_unit_line_or_header_changes_the_unit(tmp_path, rows):
    assert read_controls(controls_csv(tmp_path, rows)).get(SEED_NAME).amount == Decimal("308")


def test_read_an_xlsx(tmp_path):
    path = write_xlsx(tmp_path / "控制数.xlsx", [
        {"name": "说明", "rows": [["本表为 2026 年控制数"]]},
        {"name": "控制数", "rows": [["单位：万元"], ["部门名称", "控制数"], [SEED_NAME, 308.0], ["某区教育局", 235.0]]}])
    controls = read_controls(path)
    figure = controls.get(SEED_NAME)
    assert figure.amount == Decimal("308.0") and (figure.source.sheet, figure.source.cell) == ("控制数", "B3")


@pytest.mark.parametrize("rows, words", [
    ([["部门", "金额"], [SEED_NAME, "308"]], "没有找到表头"),
    ([["部门名称", "控制数"], [SEED_NAME, "三百零八"]], "第 2 行（单元格 B2）部门「广州市荔湾区信访局」的控制数「三百零八」不是金额"),
    ([["部门名称", "控制数"], [SEED_NAME, ""]], "第 2 行部门「广州市荔湾区信访局」没有填写控制数"),
    ([["部门名称", "控制数"], [SEED_NAME, "308"], [SEED_NAME, "300"]], "出现了两次（第 2 行和第 3 行）"),
    ([["部门名称", "控制数"]], "表头下没有任何部门"),
])
def test_a_bad_controls_file_is_a_usage_error(tmp_path, rows, words):
    with pytest.raises(UsageError) as info:
        read_controls(controls_csv(tmp_path, rows))
    assert words in info.value.message and "控制数.csv" in info.value.message


def test_a_missing_or_unsupported_controls_file(tmp_path):
    with pytest.raises(UsageError, match="找不到控制数文件"):
        read_controls(tmp_path / "nope.csv")
    (tmp_path / "控制数.pdf").write_bytes(b"%PDF")
    with pytest.raises(UsageError, match="格式不支持"):
        read_controls(tmp_path / "控制数.pdf")
    (tmp_path / "坏.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(UsageError, match="无法读取"):
        read_controls(tmp_path / "坏.xlsx")


# --- the findings -------------------------------------------------------------------------------

def departments(tmp_path: Path, *depts: Dept):
    tmp_path.mkdir()
    for n, dept in enumerate(depts):
        write_text(tmp_path / f"{n}.csv", published_rows(dept))
    return read_checked([tmp_path]).departments


def test_each_department_is_held_to_its_figure(tmp_path):
    school = Dept("某区第一中学", [("某区第一中学", [Proj("校舍维修经费", fiscal="80.00")])])
    depts = departments(tmp_path / "in", education_bureau(), school)  # 教育局 totals 255.00
    controls = read_controls(controls_csv(tmp_path, [["部门名称", "控制数"], ["某区教育局", "250.00"],
                                                     ["某区卫生健康局", "500"]]))
    found = {f.code: f for f in check_controls(depts, controls)}
    assert set(found) == {"control_total_mismatch", "no_control_figure", "missing_submission"}
    mismatch = found["control_total_mismatch"]
    assert (mismatch.severity, mismatch.department, mismatch.file, mismatch.cell) == ("error", "某区教育局", "0.csv", "B4")
    assert "各项目合计 255.00 万元，与控制数 250.00 万元不符，超出控制数 5.00 万元（控制数见 控制数.csv 第 2 行）" in mismatch.message
    assert found["no_control_figure"].severity == "warning" and found["no_control_figure"].department == "某区第一中学"
    missing = found["missing_submission"]
    assert (missing.severity, missing.file, missing.cell, missing.department) == ("warning", "控制数.csv", "B3", "某区卫生健康局")
    assert "没有收到它的报表" in missing.message


def test_a_difference_below_a_cent_of_wanyuan_is_shown_exactly(tmp_path):
    # a 元 table of three projects of 50 元 (150 元) against 151 元: 0.0001 万元, not "0.00"
    unit = ("某区第一中学", [Proj(name, fiscal="0.005") for name in ("办公经费", "培训经费", "维修经费")])
    depts = departments(tmp_path / "in", Dept("某区第一中学", [unit], money_unit="元"))
    controls = read_controls(controls_csv(tmp_path, [["部门名称", "控制数（元）"], ["某区第一中学", "151"]]))
    (f,) = check_controls(depts, controls)
    assert f.code == "control_total_mismatch"
    assert "各项目合计 0.015 万元，与控制数 0.0151 万元不符，少于控制数 0.0001 万元" in f.message


def test_an_expected_total_below_a_cent_of_wanyuan_is_shown_exactly():
    (f,) = check_expected_total(Decimal("0.015"), Decimal("0.0151"), file="a.xlsx")
    assert "全部项目合计 0.015 万元，与预期总额 0.0151 万元不符，少于 0.0001 万元" in f.message


def test_an_xls_or_tsv_controls_file_is_read(tmp_path):
    write_xls(tmp_path / "控制数.xls", [["部门名称", "控制数"], [SEED_NAME, 308.0]])
    write_text(tmp_path / "控制数.tsv", [["部门名称", "控制数"], [SEED_NAME, "308"]], delimiter="\t")
    for name in ("控制数.xls", "控制数.tsv"):
        assert read_controls(tmp_path / name).get(SEED_NAME).amount == Decimal("308")


def test_matching_figures_raise_nothing(tmp_path):
    depts = departments(tmp_path / "in", education_bureau())
    controls = read_controls(controls_csv(tmp_path, [["部门名称", "控制数"], ["某区教育局", "255"]]))
    assert check_controls(depts, controls) == []


def test_expected_total():
    assert check_expected_total(Decimal("308"), Decimal("308.00"), file="a.xlsx") == []
    (f,) = check_expected_total(Decimal("300"), Decimal("308"), file="a.xlsx")
    assert (f.code, f.severity, f.file) == ("expected_total_mismatch", "error", "a.xlsx")
    assert "全部项目合计 300.00 万元，与预期总额 308.00 万元不符，少于 8.00 万元" in f.message


# --- the seed -----------------------------------------------------------------------------------

def test_the_seed_alone_is_ok_with_the_review_warnings_only(seed):
    batch = check([seed])
    assert batch.ok and not [f for f in batch.findings if f.severity == "error"]
    assert batch.control_totals == {}


def test_the_seed_against_its_control_figure(tmp_path, seed):
    ok = check([seed], Settings(controls=seed_controls(tmp_path, "308.00")))
    assert ok.ok and ok.control_totals == {SEED_NAME: Decimal("308.00")}
    assert not [f for f in ok.findings if f.code in ("control_total_mismatch", "no_control_figure", "missing_submission")]
    failed = check([seed], Settings(controls=seed_controls(tmp_path, "300.00")))
    assert not failed.ok
    (f,) = [f for f in failed.findings if f.severity == "error"]
    assert f.code == "control_total_mismatch" and "8.00 万元" in f.message
    assert f.message.startswith(f"部门「{SEED_NAME}」各项目合计 308.00 万元，与控制数 300.00 万元不符，超出控制数 8.00 万元")


def test_the_seed_against_an_expected_total(seed):
    assert check([seed], Settings(expect_total=Decimal("308"))).ok
    batch = check([seed], Settings(expect_total=Decimal("300")))
    assert [f.code for f in batch.findings if f.severity == "error"] == ["expected_total_mismatch"]


def test_run_json_carries_the_control_total(tmp_path, sample):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(sample, inputs)
    plain = run(inputs, tmp_path / "out", "2026-10")
    assert plain.record["departments"][0]["control_total"] is None
    result = run(inputs, tmp_path / "out", "2026-11", settings=Settings(controls=seed_controls(tmp_path, "300")))
    record = json.loads((tmp_path / "out" / "2026-11" / "run.json").read_text(encoding="utf-8"))
    assert record["status"] == "failed" and record["departments"][0]["control_total"] == "300.00"
    assert record == result.record
    assert [f["code"] for f in record["findings"] if f["severity"] == "error"] == ["control_total_mismatch"]


def test_cli_run_with_controls(tmp_path, sample):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(sample, inputs)
    args = ["run", "-i", str(inputs), "-o", str(tmp_path / "out"), "-p", "2026-11", "--controls"]
    result = runner.invoke(app, [*args, str(seed_controls(tmp_path, "308.00"))])
    assert result.exit_code == 0, result.output
    assert f"{SEED_NAME}：项目 10 个，指标 33 条，计算 308.00 万元，申报 308.00 万元，控制数 308.00 万元" in result.output
    result = runner.invoke(app, [*args, str(seed_controls(tmp_path, "300.00"))])
    assert result.exit_code == 1
    assert (f"  [错误] 部门「{SEED_NAME}」各项目合计 308.00 万元，与控制数 300.00 万元不符，超出控制数 8.00 万元"
            in result.output)
    assert "（位置：广州市荔湾区信访局.xlsx!项目支出绩效目标表!B4）" in result.output


def test_cli_check_with_expect_total_and_controls_from_pipeline_toml(tmp_path, monkeypatch, seed):
    seed_controls(tmp_path, "300.00")
    (tmp_path / "pipeline.toml").write_text('controls = "控制数.csv"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["check", str(seed)]).exit_code == 1
    result = runner.invoke(app, ["check", str(seed), "--expect-total", "308"])
    assert result.exit_code == 1 and "control_total" not in result.output  # codes stay out of the summary
    result = runner.invoke(app, ["check", str(seed), "--controls", str(seed_controls(tmp_path, "308", "ok.csv"))])
    assert result.exit_code == 0, result.output


def test_cli_bad_controls_file_exits_2_before_writing(tmp_path, sample):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(sample, inputs)
    bad = controls_csv(tmp_path, [["部门", "金额"]])
    result = runner.invoke(app, ["run", "-i", str(inputs), "-o", str(tmp_path / "out"), "--controls", str(bad)])
    assert result.exit_code == 2 and "错误：控制数文件" in result.output
    assert not (tmp_path / "out").exists()
