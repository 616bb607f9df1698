"""The run on two cores: report.xlsx written in a second process from the moment the batch is read; the
same files as one process writes, and failures and Ctrl-C on either side as in one process."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

import pipeline.report.parallel as parallel
from pipeline.errors import PipelineError
from pipeline.run import REPORT_WRITERS, WRITES, run, write_report_xlsx, write_tables
from cli.test_faults import assert_intact, recorded
from test_run import big_inputs, digest

PERIOD = "2026-11"
needs_fork = pytest.mark.skipif(not parallel.fork_available(), reason="the second process is forked (Linux)")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from corpus import generate

    inputs = tmp_path_factory.mktemp("corpus") / "in"
    generate(12, inputs, broken_fraction=0.1, projects=8)
    return inputs


def contents(folder: Path, started: str) -> dict:
    """Every file's bytes, with the run's start time (in any of its shapes) and xlsx's own creation
    time blanked: what must be the same however many processes wrote it."""
    shapes = [started, started.replace("T", " "), started.replace("T", " ")[:16]]

    def plain(data: bytes) -> bytes:
        for shape in shapes:
            data = data.replace(shape.encode(), b"@")
        return data

    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                files[str(path.relative_to(folder))] = {n: plain(z.read(n)) for n in z.namelist()
                                                        if n != "docProps/core.xml"}
        elif path.is_file():
            files[str(path.relative_to(folder))] = plain(path.read_bytes())
    return files


@needs_fork
def test_two_processes_write_the_same_files_as_one(corpus, tmp_path):
    one = run(corpus, tmp_path / "one", PERIOD, second_process=False)
    events = []
    two = run(corpus, tmp_path / "two", PERIOD, second_process=True,
              progress=lambda stage, done, total, item: events.append((stage, done, total, item)))
    assert "write_departments" in two.batch.timings and "write_report_html" in two.batch.timings
    assert contents(one.folder, one.record["started"]) == contents(two.folder, two.record["started"])
    assert len(list((two.folder / "departments").glob("*.xlsx"))) >= 10
    writes = [e for e in events if e[0] == "write"]
    assert [e[1] for e in writes] == [0, 1, 2, 3, 4] and {e[2] for e in writes} == {4}
    # report.xlsx is written by the second process all along; it is what the run waits for last
    assert [e[3] for e in writes[:-1]] == [WRITES[w] for w in (write_tables, *REPORT_WRITERS[1:], write_report_xlsx)]
    assert two.batch.timings["write_report_xlsx"] > 0
    assert not multiprocessing.active_children()


def test_a_small_batch_or_one_writer_stays_in_one_process(corpus):
    from pipeline.read.batch import read_batch

    batch = read_batch([corpus])
    chosen = [write_tables, *REPORT_WRITERS]
    assert not parallel.wanted(chosen, write_report_xlsx, batch, None)      # under 1,000 projects
    assert not parallel.wanted(chosen, write_report_xlsx, batch, False)
    assert not parallel.wanted([write_tables], write_report_xlsx, batch, True)          # no report.xlsx
    assert not parallel.wanted([write_report_xlsx], write_report_xlsx, batch, True)     # nothing else
    city, province = (SimpleNamespace(departments=[SimpleNamespace(projects=[None] * 20)] * n) for n in (500, 2000))
    assert not parallel.wanted(chosen, write_report_xlsx, province, None)   # memory first
    assert parallel.wanted(chosen, write_report_xlsx, batch, True) == parallel.fork_available()
    assert parallel.wanted(chosen, write_report_xlsx, city, None) == (parallel.fork_available()
                                                                      and parallel.cores() > 1)


def test_the_view_goes_over_without_the_indicators_the_child_has_already(corpus):
    from pipeline.report.record import run_record
    from pipeline.report.view import build_view
    from pipeline.run import check

    batch = check([corpus])
    view = build_view(batch, run_record(batch, PERIOD, "2026-11-30T18:00:00+08:00"))
    data = parallel._dumps(view, batch)
    names = {i.name for d in batch.departments for i in d.indicators}
    assert len(names) > 5 and not any(name.encode() in data for name in names)
    loaded = parallel._loads(data, batch)
    assert loaded == view and loaded is not view
    projects = [p for d in batch.departments for p in d.projects]
    assert len(loaded.projects) == len(projects) > 50
    assert all(row.indicators is project.indicators for row, project in zip(loaded.projects, projects))


def previous_run(corpus, tmp_path) -> tuple:
    """A good run already written in one process: (outputs, digest of its folder, its history)."""
    outputs = tmp_path / "out"
    run(corpus, outputs, PERIOD, second_process=False)
    return outputs, digest(outputs / PERIOD), recorded(outputs)


def assert_kept(outputs, before, history) -> None:
    """The previous run's folder and history as they were, nothing left behind, no process left."""
    assert_intact(outputs, before, history)
    assert not multiprocessing.active_children()


def full_disk(folder, batch, record, view):
    (folder / "departments").mkdir(exist_ok=True)
    raise OSError(errno.ENOSPC, "No space left on device", str(folder / "departments" / "x.xlsx"))


def full_disk_in_report_xlsx(book, view):
    raise OSError(errno.ENOSPC, "No space left on device", str(Path(book.workbook.filename)))


def vanishing_in_report_xlsx(book, projects, indicators):
    os._exit(9)                        # as if the system killed it: no word back


@needs_fork
@pytest.mark.parametrize("method, breaking, error", [("finish", full_disk_in_report_xlsx, OSError),
                                                     ("write_indicators", vanishing_in_report_xlsx, PipelineError)])
def test_report_xlsx_failing_in_the_second_process_stops_the_run_and_keeps_the_previous_one(
        corpus, tmp_path, monkeypatch, method, breaking, error):
    from pipeline.report.xlsx import ReportBook

    outputs, before, history = previous_run(corpus, tmp_path)
    monkeypatch.setattr(ReportBook, method, breaking)      # the forked child has it too
    with pytest.raises(error) as raised:
        run(corpus, outputs, PERIOD, second_process=True)
    if error is OSError:
        assert raised.value.errno == errno.ENOSPC and raised.value.filename.endswith("report.xlsx")
    else:
        assert "意外退出" in raised.value.message and "9" in raised.value.message
    assert_kept(outputs, before, history)     # the history rows written meanwhile were taken back


@needs_fork
def test_a_writer_failing_here_stops_the_second_process_and_keeps_the_previous_run(corpus, tmp_path):
    outputs, before, history = previous_run(corpus, tmp_path)
    with pytest.raises(OSError) as raised:
        run(corpus, outputs, PERIOD, writers=[write_report_xlsx, full_disk], second_process=True)
    assert raised.value.errno == errno.ENOSPC and raised.value.filename.endswith("x.xlsx")
    assert_kept(outputs, before, history)


@needs_fork
def test_ctrl_c_while_both_write_stops_the_second_process_and_keeps_the_previous_run(corpus, tmp_path):
    outputs, before, history = previous_run(corpus, tmp_path)

    def interrupt(stage, done, total, item):
        if stage == "write":            # the child is writing by now; this is the user's Ctrl-C
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(corpus, outputs, PERIOD, second_process=True, progress=interrupt)
    assert_kept(outputs, before, history)
    record = json.loads((outputs / PERIOD / "run.json").read_text(encoding="utf-8"))
    assert record["period"] == PERIOD


def forked_children(pid: int) -> list[int]:
    """The processes `pid` forked that run its own command line (not the reading workers' forkserver)."""
    own = Path(f"/proc/{pid}/cmdline").read_bytes()
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if (entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid
                    and (entry / "cmdline").read_bytes() == own):
                found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue                    # a process that ended meanwhile
    return found


def ended(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@needs_fork
def test_a_run_killed_while_report_xlsx_is_written_leaves_no_process_behind(tmp_path):
    """The report.xlsx process waits for the view from its parent: a parent killed before it sends it
    must not leave that process waiting for ever (the fork copies the parent's end of the pipe too)."""
    inputs, outputs = tmp_path / "in", tmp_path / "out"
    big_inputs(inputs, projects=3_000)
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "run", "-q", "-i", str(inputs), "-o", str(outputs),
                                "-p", PERIOD], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, children = time.monotonic() + 120, []
    while not children and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
        children = forked_children(process.pid)
    assert children and process.poll() is None, "the run ended before its report.xlsx process started"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 60
    while not all(map(ended, children)) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in children if not ended(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)    # not to leave it behind when the test fails
    assert not left, f"still running after its parent was killed: {left}"
