"""Inputs untouched, run folders all-or-nothing, one run at a time."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

from filelock import FileLock
from typer.testing import CliRunner

from builders import Dept, Proj, education_bureau, published_rows, write_text, write_xlsx
from pipeline.cli import app


def digest(folder):
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(inputs, outputs, period="2026-11"):
    return CliRunner().invoke(app, ["run", "-i", str(inputs), "-o", str(outputs), "-p", period])


def test_inputs_are_never_modified_moved_or_locked(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_xlsx(inputs / "a.xlsx", [{"name": "S", "rows": published_rows(education_bureau())}])
    (inputs / "bad.xlsx").write_bytes(b"broken")
    before = digest(inputs)
    assert run(inputs, tmp_path / "out").exit_code == 1
    assert digest(inputs) == before
    with open(inputs / "a.xlsx", "r+b"):  # still writable by others: no lock left behind
        pass


def test_a_second_run_refuses_while_one_is_running(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_text(inputs / "a.csv", published_rows(education_bureau()))
    outputs = tmp_path / "out"
    outputs.mkdir()
    with FileLock(str(outputs / ".pipeline.lock"), timeout=0):
        result = run(inputs, outputs)
    assert result.exit_code == 2
    assert "另一次运行正在写入输出文件夹" in result.output
    assert not (outputs / "2026-11").exists()


def test_a_dead_run_does_not_leave_the_lock_stuck(tmp_path):
    inputs, outputs = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    outputs.mkdir()
    write_text(inputs / "a.csv", published_rows(education_bureau()))
    holder = textwrap.dedent(f"""
        import os
        from filelock import FileLock
        FileLock({str(outputs / '.pipeline.lock')!r}, timeout=0).acquire()
        os._exit(9)
    """)
    subprocess.run([sys.executable, "-c", holder], check=False)
    assert run(inputs, outputs).exit_code == 0


def big_inputs(folder, projects=4_000):
    folder.mkdir()
    dept = Dept("某大局", [("某大局", [Proj(f"项目{n:05d}", fiscal="1.00") for n in range(projects)])])
    write_text(folder / "big.csv", published_rows(dept))


def test_a_run_killed_while_writing_leaves_the_previous_run_intact(tmp_path):
    inputs, outputs = tmp_path / "in", tmp_path / "out"
    big_inputs(inputs)
    assert run(inputs, outputs).exit_code == 0
    final = outputs / "2026-11"
    before = digest(final)
    previous_total = json.loads((final / "run.json").read_text(encoding="utf-8"))["total"]

    (inputs / "big.csv").unlink()
    big_inputs_again = tmp_path / "in2"
    big_inputs(big_inputs_again, projects=4_001)
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "run", "-i", str(big_inputs_again),
                                "-o", str(outputs), "-p", "2026-11"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(outputs.glob(".2026-11.staging-*")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None, "the run finished before it could be killed"
    time.sleep(0.05)  # let it write part of the folder
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    assert digest(final) == before                      # the previous run is untouched
    assert sorted(p.name for p in outputs.iterdir() if not p.name.startswith(".")) == ["2026-11", "history.sqlite"]
    # the next run cleans what the killed one left and replaces the folder as a whole
    result = run(big_inputs_again, outputs)
    assert result.exit_code == 0, result.output
    assert not list(outputs.glob(".2026-11.*"))
    record = json.loads((final / "run.json").read_text(encoding="utf-8"))
    assert (previous_total, record["total"]) == ("4000.00", "4001.00")


def test_every_report_writer_renders_the_one_view_the_run_built(tmp_path, sample, monkeypatch):
    """The view is computed once per run and handed to every writer (nothing rebuilds it)."""
    import shutil

    import pipeline.report.view as view_module
    from pipeline.run import run

    built, seen = [], []
    real = view_module.build_view
    monkeypatch.setattr(view_module, "build_view", lambda *a: built.append(real(*a)) or built[-1])

    def spy(folder, batch, record, view):
        seen.append(view)

    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(sample, inputs)
    run(inputs, tmp_path / "out", "2026-11", writers=[spy, spy])
    assert len(built) == 1 and seen == [built[0], built[0]]
    assert built[0].totals.computed == sum(p.total for p in built[0].projects)
