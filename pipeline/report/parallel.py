"""The run on both cores: report.xlsx in a second process from the moment the batch is read.

report.xlsx is the largest writer (about half the writing time), and its largest sheet, 绩效指标,
needs nothing the review adds: only the parsed projects and their indicators. So once the batch is
read a child is forked (`Ahead`); it writes 绩效指标 while this process reviews the batch, builds
the view and sends it over (`Ahead.send`), then the other sheets from that view. Meanwhile this
process writes the tables and run.json, departments/ and report.html. The child starts at once with
the batch in its memory; the view goes over a pipe pickled, each project's list of indicators as a
reference to the child's own copy (they are the bulk of the view, and the review leaves them as they
were), so the view costs tens of milliseconds to send. The file is the same as one process writes
(xlsx.py writes 绩效指标 first in every run), byte for byte apart from the start time.

Where there is no fork (Windows), or the system's fork is unsafe (macOS), everything is written here,
one writer after the other: sending the batch to a spawned process costs more than it saves (pickling
and unpickling the N = 500 batch and its view takes 4–11 s; docs/performance.md).

A small batch is written here too: below SECOND_PROCESS_PROJECTS projects, starting the child costs
more than it saves. So is a province's: the forked child shares the batch's pages only until it
touches them (every object it reads has its reference count written), so it ends up with its own
copy of much of the batch. From SECOND_PROCESS_MAX_PROJECTS up memory is what runs out first.

A failure in the child is raised here (the run folder is then not swapped in); a failure here, or
Ctrl-C, terminates the child (`Ahead.stop`); the child ignores Ctrl-C itself.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from time import perf_counter

from pipeline.errors import PipelineError
from pipeline.read.batch import Batch
from pipeline.review.rows import indicator_total, project_lines
from pipeline.timing import Progress, Timings

SECOND_PROCESS_PROJECTS = 1_000    # measured: below this a one-process run is as fast (docs/performance.md)
SECOND_PROCESS_MAX_PROJECTS = 25_000   # from here on one process: memory, not time (docs/performance.md)


def fork_available() -> bool:
    """Fork where it is safe: Linux (macOS's system libraries are not fork-safe; Windows has none)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def wanted(chosen: list, ahead_writer: Callable, batch, second_process: bool | None) -> bool:
    """Whether `ahead_writer` (report.xlsx) is to be written in a second process: when that is worth it
    (`second_process` None: the batch's size and the cores there are) or asked for (True), fork is
    available, and it is among the `chosen` writers with another one to write here."""
    asked = second_process
    if asked is None:
        projects = sum(len(d.projects) for d in batch.departments)
        asked = SECOND_PROCESS_PROJECTS <= projects < SECOND_PROCESS_MAX_PROJECTS and cores() > 1
    return bool(asked) and fork_available() and ahead_writer in chosen and len(chosen) > 1


class Ahead:
    """report.xlsx being written in a forked child: 绩效指标 from the batch at once, the rest once
    `send` gives it the view. `wait` gives its seconds or raises its failure; `stop` ends it."""

    def __init__(self, folder: Path, batch: Batch, period: str, started: str):
        context = multiprocessing.get_context("fork")
        self.batch = batch
        self.results, results = context.Pipe(duplex=False)
        views, self.views = context.Pipe(duplex=False)
        self.process = context.Process(target=_child, args=(results, views, folder, batch, period, started),
                                       daemon=True, name="pipeline-report-xlsx")
        self.started, self._child_ends = False, (results, views)

    def start(self) -> "Ahead":
        # a Ctrl-C during the fork would interrupt the fork's own hooks in this process (and say so with
        # a traceback): it waits until the fork is over, then stops the run as anywhere else (`stop`)
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self.process.start()
            self.started = True
        finally:
            for end in self._child_ends:
                end.close()
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        return self

    def send(self, view) -> None:
        """The view, for the sheets after 绩效指标. A child that died already says why in `wait`."""
        try:
            self.views.send_bytes(_dumps(view, self.batch))
        except OSError:                 # a broken pipe: the child is gone
            pass
        finally:
            self.views.close()

    def wait(self) -> float:
        try:
            message = self.results.recv()
        except EOFError:                # killed (out of memory?) or exited without a word
            self.process.join()
            raise PipelineError(f"写出 report.xlsx 的第二个进程意外退出（退出码 {self.process.exitcode}，可能是内存不足）。"
                                "本期结果未写出，上一次的结果保持不变；请关闭其他程序后重新运行。") from None
        self.process.join()
        if message[0] == "failed":
            raise message[1]
        return message[1]

    def stop(self) -> None:
        if not self.views.closed:
            self.views.close()
        if self.started:
            if self.process.is_alive():
                self.process.terminate()    # Ctrl-C or a failure here: the child stops writing too
            self.process.join()
        self.results.close()


def write_all(folder: Path, work: tuple, writers: list, ahead: Ahead | None, ahead_writer: Callable, *,
              progress: Progress, timings: Timings, labels: dict, meanwhile: Callable[[], None]) -> None:
    """Run `writers` here, one after the other, then `meanwhile` (the history's rows), then wait for
    `ahead` (writing `ahead_writer`'s file) when there is one; progress (with each writer's label) and
    timings are reported for all. `work` is (batch, record, view), what every writer is given."""
    total = len(writers) + (ahead is not None)
    for done, writer in enumerate(writers):
        progress("write", done, total, labels.get(writer, writer.__name__))
        with timings.stage(writer.__name__):
            writer(folder, *work)
    with timings.stage("history"):
        meanwhile()
    if ahead is not None:
        progress("write", len(writers), total, labels.get(ahead_writer, ahead_writer.__name__))
        name = ahead_writer.__name__
        timings[name] = timings.get(name, 0.0) + ahead.wait()
    progress("write", total, total, "")


def _dumps(view, batch: Batch) -> bytes:
    """The view pickled, each project's list of indicators as (department, project) in the batch."""
    shared = {id(p.indicators): (d, n) for d, department in enumerate(batch.departments)
              for n, p in enumerate(department.projects)}
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.persistent_id = lambda obj: shared.get(id(obj)) if obj.__class__ is list else None
    pickler.dump(view)
    return buffer.getvalue()


def _loads(data: bytes, batch: Batch):
    lists = [[p.indicators for p in department.projects] for department in batch.departments]
    unpickler = pickle.Unpickler(io.BytesIO(data))
    unpickler.persistent_load = lambda key: lists[key[0]][key[1]]
    return unpickler.load()


def _child(results, views, folder: Path, batch: Batch, period: str, started: str) -> None:
    from pipeline.report.view import minute_of
    from pipeline.report.xlsx import ReportBook

    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is the parent's to handle
    # the parent's console may have been mid-write (a progress bar's thread) when it forked: the child
    # never writes there, not even a library's warning, so no lock copied mid-write is ever waited on
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")
    try:
        began, inbox = perf_counter(), []
        # the view is read as soon as it comes, so the parent never waits on a full pipe
        receiver = threading.Thread(target=_receive, args=(views, inbox), daemon=True)
        receiver.start()
        book = ReportBook(folder / "report.xlsx", period, minute_of(started))
        try:
            book.write_indicators(lambda: project_lines(batch), indicator_total(batch))
            receiver.join()
            if not inbox:               # the parent gave up before the view: its failure is its own
                return
            book.finish(_loads(inbox[0], batch))
        finally:
            book.close()
        results.send(("done", perf_counter() - began))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to be raised in the parent
        try:
            results.send(("failed", exc))
        except Exception:  # an exception that cannot be pickled: its text, then
            results.send(("failed", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        results.close()


def _receive(views, inbox: list) -> None:
    try:
        inbox.append(views.recv_bytes())
    except (EOFError, OSError):
        pass
