"""Amounts no budget has: negative ones warned, huge ones an error on the cell and never a crash, figures
typed by the clerk validated, and the history and the run folder always agreeing."""

import json
import sqlite3
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from builders import Dept, Proj, education_bureau, published_rows, write_text, write_xlsx
from checked import read_checked
from pipeline.cli import app
from pipeline.errors import UsageError
from pipeline.history import store
from pipeline.history.schema import MIGRATIONS
from pipeline.history.store import open_history
from pipeline.review.batch import reconcile_batch
from pipeline.read.batch import read_batch
from pipeline.run import run

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


# --- negative amounts ------------------------------------------------------------------------------

def test_negative_amounts_are_a_warning_on_their_cell(tmp_path):
    dept = Dept("某局", [("某局", [Proj("甲", fiscal="-3"), Proj("乙", fiscal="10.00", other="-3.00")])])
    rows = published_rows(dept, style="text")
    rows[5][1] = rows[5][2] = "-3"             # 甲: written with a minus
    rows[6][4] = "(3.00)"                      # 乙: an accounting negative
    batch = read_checked([write_text(tmp_path / "t.csv", rows)])
    negative = [(f.severity, f.cell, f.project) for f in batch.findings if f.code == "negative_amount"]
    assert ("warning", "B6", "甲") in negative and ("warning", "C6", "甲") in negative
    assert ("warning", "E7", "乙") in negative
    (message,) = [f.message for f in batch.findings if f.code == "negative_amount" and f.cell == "E7"]
    assert message.startswith("项目「乙」的「其他资金」单元格 E7 为负数「(3.00)」，即 -3.00 万元。预算金额通常不为负")
    assert batch.departments[0].projects[1].amounts.other == Decimal("-3.00")   # counted as written
    assert batch.ok                                                               # a warning, not an error


# --- implausible amounts ---------------------------------------------------------------------------

def id_number_in_yuan(tmp_path):
    """A 元 table whose 乙 has an 18-digit ID number in 总计 and 财政拨款 (row 7)."""
    dept = Dept("某局", [("某局", [Proj("甲", fiscal="1.00"), Proj("乙", fiscal="2.00")])], money_unit="元")
    rows = published_rows(dept, style="text")
    rows[6][1] = rows[6][2] = "440103198001011234"
    return write_text(tmp_path / "t.csv", rows)


def test_an_amount_above_the_ceiling_is_an_error_on_its_cell_and_not_counted(tmp_path):
    batch = read_checked([id_number_in_yuan(tmp_path)])
    implausible = [(f.severity, f.cell, f.project) for f in batch.findings if f.code == "implausible_amount"]
    assert implausible == [("error", "B7", "乙"), ("error", "C7", "乙")]
    message = next(f.message for f in batch.findings if f.code == "implausible_amount")
    assert message.startswith("项目「乙」的「总计」单元格 B7 为 440,103,198,001,011,234.00 元（44,010,319,800,101.12 万元），"
                              "超过每个项目 1,000,000.00 万元的上限")
    (department,) = batch.departments
    assert department.projects[1].amounts.total is None and department.total == Decimal("1.00")
    assert department.incomplete and not batch.ok


def test_the_ceiling_is_a_setting(tmp_path):
    path = write_text(tmp_path / "t.csv", published_rows(education_bureau()))
    batch = reconcile_batch(read_batch([path]), Decimal("100"))            # 教师培训经费 is 120.50
    assert [(f.code, f.cell) for f in batch.findings] == [("implausible_amount", "B6"), ("implausible_amount", "C6")]


def test_1e22_is_an_implausible_amount_not_a_rejected_sheet(tmp_path):
    rows = published_rows(Dept("某局", [("某局", [Proj("甲", fiscal="1.00"), Proj("乙", fiscal="2.00")])]))
    rows[6][1] = rows[6][2] = 1e22
    batch = read_checked([write_xlsx(tmp_path / "t.xlsx", [{"name": "S", "rows": rows}])])
    assert [i.status for i in batch.inputs] == ["ok"] and len(batch.departments[0].projects) == 2
    assert {f.code for f in batch.findings} >= {"implausible_amount"}
    assert "unreadable_file" not in {f.code for f in batch.findings}


def test_a_huge_declared_total_is_stored_in_the_history_exactly(tmp_path):
    dept = Dept("某局", [("某局", [Proj("甲", fiscal="1.00")])], money_unit="元", declared="12345678901234.5678")
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_text(inputs / "t.csv", published_rows(dept, style="text"))
    result = run(inputs, tmp_path / "out", "2026-11")          # the 合计 row holds an 18-digit 元 amount
    assert result.record["departments"][0]["declared_total"] == "12345678901234.5678"
    with open_history(tmp_path / "out" / "history.sqlite") as history:
        (department,) = history.snapshot("2026-11").departments
        assert department.declared_total == Decimal("12345678901234.5678")
        stored = history.connection.execute("SELECT declared_total_fen FROM departments").fetchone()[0]
    assert stored == "12345678901234567800"                   # beyond 64 bits: the exact 分 as text


# --- figures typed by the clerk --------------------------------------------------------------------

@pytest.mark.parametrize("figure, problem", [
    ("1" * 30, "超过 10,000,000,000.00 万元，不是可信的总额"), ("-" + "9" * 12, "超过 10,000,000,000.00 万元"),
    ("1e22", "不是金额"),
])
def test_expect_total_beyond_any_budget_is_a_usage_error(seed, figure, problem):
    result = invoke("check", seed, "--expect-total", figure)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith(f"错误：--expect-total「{figure}」{problem}")


@pytest.mark.parametrize("figure", [1e13, 1e30, "10000000000000"])
def test_a_control_figure_beyond_any_budget_is_a_usage_error(tmp_path, seed, figure):
    controls = write_xlsx(tmp_path / "控制数.xlsx", [{"name": "S", "rows": [["部门名称", "控制数"],
                                                                          ["广州市荔湾区信访局", figure]]}])
    result = invoke("check", seed, "--controls", controls)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "部门「广州市荔湾区信访局」的控制数" in result.output and "不是可信的控制数" in result.output


def test_the_ceiling_setting_is_checked(tmp_path):
    from pipeline.settings import load_settings

    (tmp_path / "pipeline.toml").write_text("[review]\nmax_project_amount = 500\n", encoding="utf-8")
    assert load_settings(tmp_path / "pipeline.toml").max_project_amount == Decimal(500)
    (tmp_path / "pipeline.toml").write_text("[review]\nmax_project_amount = 1e30\n", encoding="utf-8")
    with pytest.raises(UsageError, match="第 2 行：\\[review\\] 中的 max_project_amount 应为大于 0"):
        load_settings(tmp_path / "pipeline.toml")


# --- the history and the run folder agree ----------------------------------------------------------

def test_when_the_history_cannot_be_written_the_previous_run_stays(tmp_path, monkeypatch):
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_text(inputs / "t.csv", published_rows(education_bureau()))
    first = run(inputs, tmp_path / "out", "2026-11")
    before = (first.folder / "run.json").read_bytes()
    write_text(inputs / "t.csv", published_rows(Dept("某局", [("某局", [Proj("甲", fiscal="1.00")])])))

    def broken(self):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store.History, "transaction", broken)
    with pytest.raises(UsageError, match="无法把本次运行记入历史数据库.*本期结果未写出"):
        run(inputs, tmp_path / "out", "2026-11")
    with pytest.raises(UsageError):
        run(inputs, tmp_path / "out", "2026-12")               # a new period: no folder is left claiming it
    monkeypatch.undo()
    assert (first.folder / "run.json").read_bytes() == before
    assert not (tmp_path / "out" / "2026-12").exists()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".pipeline.lock", "2026-11", "history.sqlite"]
    with open_history(tmp_path / "out" / "history.sqlite") as history:
        assert [(r.period, r.projects) for r in history.runs()] == [("2026-11", 3)]
        assert json.loads(before)["started"] == history.runs()[0].started


def test_an_older_history_is_migrated_with_its_runs(tmp_path):
    path = tmp_path / "history.sqlite"
    db = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        db.execute(statement)
    db.execute("INSERT INTO runs VALUES ('2026-10', 's', 'r', 'ok', 255000000)")
    db.execute("INSERT INTO departments VALUES ('2026-10', 0, '某局', 'a.xlsx', 'S', '万元', 255000000, NULL, NULL, 1)")
    db.execute("INSERT INTO projects VALUES ('2026-10', 0, '某局', '某局', '甲', 255000000, 255000000, 0, 0, '', 'a.xlsx', "
               "'S', 6)")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with open_history(path) as history:
        snapshot = history.snapshot("2026-10")
    assert (snapshot.status, snapshot.total, snapshot.total_unknown) == ("ok", Decimal("255"), 0)
    assert [(d.name, d.total, d.reconciled) for d in snapshot.departments] == [("某局", Decimal("255"), True)]
    assert [(p.name, p.total, p.other) for p in snapshot.projects] == [("甲", Decimal("255"), Decimal("0"))]


def test_a_run_killed_between_its_folder_and_its_history_leaves_what_the_history_recorded(tmp_path):
    from pipeline.outputs import settle_interrupted

    inputs = tmp_path / "in"
    inputs.mkdir()
    write_text(inputs / "t.csv", published_rows(education_bureau()))
    outputs = tmp_path / "out"
    first = run(inputs, outputs, "2026-11")
    recorded = (first.folder / "run.json").read_bytes()
    # what a run killed after swapping its folder in, before recording it, leaves behind
    first.folder.rename(outputs / ".2026-11.previous-999")
    (outputs / "2026-11").mkdir()
    (outputs / "2026-11" / "run.json").write_text('{"started": "2026-11-30T09:00:00+08:00"}', encoding="utf-8")
    with open_history(outputs / "history.sqlite") as history:
        settle_interrupted(outputs, "2026-11", history.started("2026-11"))
    assert (outputs / "2026-11" / "run.json").read_bytes() == recorded
    assert not list(outputs.glob(".2026-11.previous-*"))
    # the folder in place is the recorded one: it stays (the set-aside one is removed by the next run)
    (outputs / ".2026-11.previous-998").mkdir()
    with open_history(outputs / "history.sqlite") as history:
        settle_interrupted(outputs, "2026-11", history.started("2026-11"))
    assert (outputs / "2026-11" / "run.json").read_bytes() == recorded
