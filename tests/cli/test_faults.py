"""Faults are messages: Ctrl-C, a full disk, an unwritable outputs folder or lock, a history path too
long: one Chinese line, the right exit code, no traceback, and the previous run and history intact.
The tests run as root, whom permissions do not stop, so each fault is one that fails for root too."""

import errno
import os
import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

import pipeline.outputs
import pipeline.run
from builders import Dept, Proj, education_bureau, published_rows, write_text
from pipeline.cli import app
from pipeline.history.store import open_history
from test_run import big_inputs, digest

PERIOD = "2026-11"


def run(inputs, outputs, *extra):
    return CliRunner().invoke(app, ["run", "-q", "-i", str(inputs), "-o", str(outputs), "-p", PERIOD, *extra])


@pytest.fixture
def previous(tmp_path):
    """A good run already written: (inputs, outputs, digest of its folder, its history)."""
    inputs, outputs = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    write_text(inputs / "a.csv", published_rows(education_bureau()))
    assert run(inputs, outputs).exit_code == 0
    return inputs, outputs, digest(outputs / PERIOD), recorded(outputs)


def recorded(outputs):
    with open_history(outputs / "history.sqlite", create=False) as store:
        return [(r.period, r.recorded, r.projects) for r in store.runs()]


def assert_intact(outputs, before, history):
    assert digest(outputs / PERIOD) == before
    assert recorded(outputs) == history
    assert not list(outputs.glob(f".{PERIOD}.*")), "staging or set-aside folders left behind"


def one_line(result, code, *words):
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    (line,) = result.output.strip().splitlines()
    for word in words:
        assert word in line, line
    return line


def failing_writer(exc):
    def write_report_xlsx(folder, batch, record, view):
        (folder / "report.xlsx").write_bytes(b"half")
        raise exc
    return write_report_xlsx


def test_a_full_disk_stops_with_one_line_and_exit_2(previous, monkeypatch):
    inputs, outputs, before, history = previous
    write_text(inputs / "b.csv", published_rows(Dept("某区卫健局", [("某区卫健局", [Proj("义诊", fiscal="5")])])))
    monkeypatch.setattr(pipeline.run, "REPORT_WRITERS", [failing_writer(
        OSError(errno.ENOSPC, "No space left on device", str(outputs / "x" / "report.xlsx")))])
    line = one_line(run(inputs, outputs), 2, "错误：磁盘空间已满", "report.xlsx", "上一次的结果和历史数据库保持原样")
    assert "No space" not in line
    assert_intact(outputs, before, history)


def test_ctrl_c_while_writing_stops_with_exit_130_and_keeps_the_previous_run(previous, monkeypatch):
    inputs, outputs, before, history = previous
    monkeypatch.setattr(pipeline.run, "REPORT_WRITERS", [failing_writer(KeyboardInterrupt())])
    one_line(run(inputs, outputs), 130, "已中断（Ctrl-C）", "上一次的结果")
    assert_intact(outputs, before, history)


def test_a_rename_failing_between_the_two_puts_the_previous_run_back(tmp_path, monkeypatch):
    outputs = tmp_path / "out"
    (outputs / PERIOD).mkdir(parents=True)
    (outputs / PERIOD / "run.json").write_text("old")
    real_replace, calls = os.replace, []

    def replace(source, target):
        calls.append(target)
        if len(calls) == 2:   # the previous run is set aside; the new one is not yet in place
            raise OSError(errno.EIO, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(pipeline.outputs.os, "replace", replace)
    with pytest.raises(OSError):
        pipeline.outputs.write_run_folder(outputs, PERIOD, lambda folder: (folder / "run.json").write_text("new"))
    monkeypatch.setattr(pipeline.outputs.os, "replace", real_replace)
    assert (outputs / PERIOD / "run.json").read_text() == "old"
    assert sorted(p.name for p in outputs.iterdir()) == [PERIOD]


def test_ctrl_c_during_the_swap_and_the_history_record_is_held_off(tmp_path):
    outputs = tmp_path / "out"
    (outputs / PERIOD).mkdir(parents=True)
    (outputs / PERIOD / "run.json").write_text("old")
    recorded_too = []

    def record():
        os.kill(os.getpid(), signal.SIGINT)   # a real Ctrl-C, between the swap and the history record
        recorded_too.append(True)

    pipeline.outputs.write_run_folder(outputs, PERIOD, lambda folder: (folder / "run.json").write_text("new"),
                                      commit=record)
    assert (outputs / PERIOD / "run.json").read_text() == "new" and recorded_too == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_real_sigint_while_writing(tmp_path):
    inputs, outputs = tmp_path / "in", tmp_path / "out"
    big_inputs(inputs)
    assert run(inputs, outputs).exit_code == 0
    before, history = digest(outputs / PERIOD), recorded(outputs)
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "run", "-q", "-i", str(inputs), "-o", str(outputs),
                                "-p", PERIOD], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not list(outputs.glob(f".{PERIOD}.staging-*")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None, "the run finished before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    text = stderr.decode("utf-8")
    assert process.returncode == 130, text
    assert "Traceback" not in text and "已中断（Ctrl-C）" in text
    assert_intact(outputs, before, history)


def test_an_outputs_path_under_a_file(previous, tmp_path):
    inputs = previous[0]
    (tmp_path / "文件").write_text("x")
    one_line(run(inputs, tmp_path / "文件" / "out"), 2, "无法写入输出文件夹", "路径中有一级不是文件夹而是文件")


def test_a_lock_that_cannot_be_opened(previous):
    inputs, outputs, before, history = previous
    (outputs / ".pipeline.lock").unlink(missing_ok=True)
    (outputs / ".pipeline.lock").mkdir()       # open() fails on a folder, even for root
    one_line(run(inputs, outputs), 2, "无法写入输出文件夹")
    assert_intact(outputs, before, history)


@pytest.mark.parametrize("length", [5000, 600])
def test_a_history_path_too_long(previous, tmp_path, length):
    inputs, outputs, before, history = previous
    parts = ["历" * 60] * (length // 61)     # 180 bytes a part: each name is legal, the whole is not
    config = tmp_path / "pipeline.toml"
    config.write_text(f'[history]\npath = "{"/".join(parts)}/history.sqlite"\n', encoding="utf-8")
    line = one_line(run(inputs, outputs, "--config", str(config)), 2, "历史数据库", "路径太长", "个字符")
    assert len(line) < 400
    assert_intact(outputs, before, history)
