"""`pipeline history` and `pipeline diff` (cli/history.py): the recorded periods listed, the changes printed
in Chinese or as JSON, and each usage error named."""

import json
import re

import pytest

from history.test_store import invoke, two_periods  # noqa: F401 (a fixture)
from pipeline.history.store import open_history


def test_pipeline_history_lists_the_recorded_runs(two_periods):
    tmp_path, first, _ = two_periods
    result = invoke("history", "--outputs", tmp_path / "outputs")
    assert result.exit_code == 0, result.output
    minute = first.record["started"].replace("T", " ")[:16]
    assert result.output.splitlines()[0] == f"历史数据库 {tmp_path / 'outputs' / 'history.sqlite'}：已记录 2 期"
    assert result.output.splitlines()[1] == (
        f"  2026-10  运行于 {minute}  部门 1 个  项目 4 个  合计 265.00 万元  有警告")
    assert re.fullmatch(r"  2026-11  运行于 .{16}  部门 1 个  项目 4 个  合计 292\.50 万元  通过",
                        result.output.splitlines()[2])


def test_pipeline_diff_prints_the_changes_in_chinese_and_as_json(two_periods):
    tmp_path, _, second = two_periods
    db = tmp_path / "outputs" / "history.sqlite"
    text = invoke("diff", "2026-10", "2026-11", "--db", db)
    assert text.exit_code == 0, text.output
    assert text.output.splitlines()[:2] == ["与上期 2026-10 相比：合计由 265.00 万元变为 292.50 万元，增加 27.50 万元。",
                                            "部门：新增 0 个，删除 0 个，金额调整 1 个。"]
    assert "  [指标 目标值调整] 某区教育局 / 某区教育局机关 / 教研活动经费 / 群众满意度：≥85% → ≥90%" in text.output
    as_json = invoke("diff", "2026-10", "2026-11", "--outputs", tmp_path / "outputs", "--format", "json")
    assert as_json.exit_code == 0 and json.loads(as_json.output) == second.record["changes"]
    # reversed periods would read every addition as a removal: refused, saying which order is meant
    backwards = invoke("diff", "2026-11", "2026-10", "--db", db, "--format", "json")
    assert backwards.exit_code == 2 and "应为 pipeline diff 2026-10 2026-11" in backwards.output


@pytest.mark.parametrize("args, message", [
    (["diff", "2026-09", "2026-11"], "错误：期间 2026-09 不在历史数据库 {db} 中（已记录：2026-10、2026-11）"),
    (["diff", "2026-10", "2026-12"], "错误：期间 2026-12 不在历史数据库 {db} 中"),
    (["diff", "2026-10", "202611"], "错误：期间「202611」格式不对"),
    (["diff", "2026-10", "2026-11", "--format", "xml"], "错误：--format「xml」无效：只能是 text 或 json。"),
])
def test_diff_usage_errors_exit_2_naming_the_problem(two_periods, args, message):
    tmp_path, _, _ = two_periods
    db = tmp_path / "outputs" / "history.sqlite"
    result = invoke(*args, "--db", db)
    assert result.exit_code == 2
    assert message.format(db=db) in result.output


def test_without_a_database_history_and_diff_exit_2_and_create_nothing(tmp_path):
    for args in (["history"], ["diff", "2026-10", "2026-11"]):
        result = invoke(*args, "--outputs", tmp_path / "outputs")
        assert result.exit_code == 2
        assert f"错误：历史数据库 {tmp_path / 'outputs' / 'history.sqlite'} 不存在" in result.output
    assert not (tmp_path / "outputs").exists()


def test_history_of_a_database_with_no_runs_yet(tmp_path):
    with open_history(tmp_path / "h.sqlite"):
        pass
    result = invoke("history", "--db", tmp_path / "h.sqlite")
    assert result.exit_code == 0 and result.output == f"历史数据库 {tmp_path / 'h.sqlite'}：已记录 0 期\n"
