"""The writers on two cores: the same files as one process writes, failures and Ctrl-C as before."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

import pipeline.report.parallel as parallel
from pipeline.errors import PipelineError
from pipeline.run import REPORT_WRITERS, WRITES, run, write_report_xlsx, write_tables
from test_run import digest

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
    assert [e[3] for e in writes[:-1]] == [WRITES[w] for w in (write_report_xlsx, write_tables, *REPORT_WRITERS[1:])]
    assert not multiprocessing.active_children()


def test_a_small_batch_or_one_writer_stays_in_one_process(corpus):
    from pipeline.read.batch import read_batch

    batch = read_batch([corpus])
    chosen = [write_tables, *REPORT_WRITERS]
    assert parallel.split(chosen, write_report_xlsx, batch, None) == (chosen, [])   # 96 projects
    assert parallel.split(chosen, write_report_xlsx, batch, False) == (chosen, [])
    assert parallel.split([write_tables], write_report_xlsx, batch, True) == ([write_tables], [])
    if parallel.fork_available():
        aside = [write_tables, *REPORT_WRITERS[1:]]
        assert parallel.split(chosen, write_report_xlsx, batch, True) == ([write_report_xlsx], aside)
        city, province = (SimpleNamespace(departments=[SimpleNamespace(projects=[None] * 20)] * n) for n in (500, 2000))
        assert parallel.split(chosen, write_report_xlsx, city, None) == ([write_report_xlsx], aside)
        assert parallel.split(chosen, write_report_xlsx, province, None) == (chosen, [])   # memory first


def full_disk(folder, batch, record, view):
    (folder / "departments").mkdir(exist_ok=True)
    raise OSError(errno.ENOSPC, "No space left on device", str(folder / "departments" / "x.xlsx"))


def vanishing(folder, batch, record, view):
    os._exit(9)                        # as if the system killed it: no word back


@needs_fork
@pytest.mark.parametrize("writer, error", [(full_disk, OSError), (vanishing, PipelineError)])
def test_a_writer_failing_in_the_second_process_stops_the_run_and_keeps_the_previous_one(corpus, tmp_path,
                                                                                          writer, error):
    outputs = tmp_path / "out"
    run(corpus, outputs, PERIOD, second_process=False)
    before = digest(outputs / PERIOD)
    with pytest.raises(error) as raised:
        run(corpus, outputs, PERIOD, writers=[write_report_xlsx, writer], second_process=True)
    if error is OSError:
        assert raised.value.errno == errno.ENOSPC and raised.value.filename.endswith("x.xlsx")
    else:
        assert "意外退出" in raised.value.message and "9" in raised.value.message
    assert digest(outputs / PERIOD) == before
    assert not list(outputs.glob(f".{PERIOD}.*")) and not multiprocessing.active_children()


@needs_fork
def test_ctrl_c_while_both_write_stops_the_second_process_and_keeps_the_previous_run(corpus, tmp_path):
    outputs = tmp_path / "out"
    run(corpus, outputs, PERIOD, second_process=False)
    before = digest(outputs / PERIOD)

    def interrupt(stage, done, total, item):
        if stage == "write":            # the child is writing by now; this is the user's Ctrl-C
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(corpus, outputs, PERIOD, second_process=True, progress=interrupt)
    assert not multiprocessing.active_children()
    assert digest(outputs / PERIOD) == before and not list(outputs.glob(f".{PERIOD}.*"))
    record = json.loads((outputs / PERIOD / "run.json").read_text(encoding="utf-8"))
    assert record["period"] == PERIOD
