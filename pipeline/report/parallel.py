"""The writers on both cores: report.xlsx in this process, every other writer in a second one.

report.xlsx is the largest writer (about half the writing time); the others (the tables and
run.json, departments/, report.html) together take about as long and write files of their own, so
they run at the same time in a child process. The child is forked: it starts at once with the
finished batch, record and view already in its memory. Where there is no fork (Windows), or the
system's fork is unsafe (macOS), the writers run one after the other here: sending the batch to a
spawned process costs more than the child saves (pickling and unpickling the N = 500 batch and its
view takes 4–11 s, the writers it would move take about 3 s; docs/performance.md).

A small batch is written here too: below SECOND_PROCESS_PROJECTS projects, starting the child costs
more than it saves. So is a province's: the forked child shares the batch's pages only until it
touches them (every object it reads has its reference count written), so it ends up with its own
copy of nearly the whole batch and view: 226 MiB more at 2,000 departments (PSS 637 against 411).
From SECOND_PROCESS_MAX_PROJECTS up memory is what runs out first, so one process writes.

A failing writer in the child raises its own exception here (the run folder is then not swapped
in); the child ignores Ctrl-C, which this process turns into terminating it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from time import perf_counter

from pipeline.errors import PipelineError
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


def split(chosen: list, here_only: Callable, batch, second_process: bool | None) -> tuple[list, list]:
    """(writers for this process, writers for the second one): `here_only` (report.xlsx) here, the rest
    there, when a second process is worth it (`second_process` None) or asked for (True) and fork is
    available; else all of them here."""
    wanted = second_process
    if wanted is None:
        projects = sum(len(d.projects) for d in batch.departments)
        wanted = SECOND_PROCESS_PROJECTS <= projects < SECOND_PROCESS_MAX_PROJECTS and cores() > 1
    here = [w for w in chosen if w is here_only]
    if not (wanted and fork_available() and here and len(chosen) > 1):
        return chosen, []
    return here, [w for w in chosen if w is not here_only]


def write_all(folder: Path, work: tuple, here: list, aside: list, progress: Progress, timings: Timings,
              labels: dict) -> None:
    """Run `here` in this process and `aside` in a forked child at the same time; progress (with each
    writer's label) and timings are reported for both. `work` is (batch, record, view), what every
    writer is given."""
    total, done = len(here) + len(aside), 0

    def label(writer) -> str:
        return labels.get(writer, writer.__name__)

    child = _start(folder, work, aside) if aside else None
    try:
        for writer in here:
            progress("write", done, total, label(writer))
            with timings.stage(writer.__name__):
                writer(folder, *work)
            done += 1
        if child is not None:
            for writer in aside:
                progress("write", done, total, label(writer))
                timings[writer.__name__] = timings.get(writer.__name__, 0.0) + _finished(child, writer)
                done += 1
            child[0].join()
        progress("write", total, total, "")
    finally:
        if child is not None and child[0].is_alive():
            child[0].terminate()            # Ctrl-C or a failure here: the child stops writing too
            child[0].join()


def _start(folder: Path, work: tuple, writers: list) -> tuple:
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sending, folder, work, writers), daemon=True,
                              name="pipeline-writers")
    process.start()
    sending.close()
    return process, receiving


def _finished(child: tuple, writer) -> float:
    """Wait for the child to finish `writer`: its seconds, or its failure raised here."""
    process, receiving = child
    try:
        message = receiving.recv()
    except EOFError:                    # killed (out of memory?) or exited without a word
        process.join()
        raise PipelineError(f"写出报告的第二个进程意外退出（退出码 {process.exitcode}，可能是内存不足）。"
                            "本期结果未写出，上一次的结果保持不变；请关闭其他程序后重新运行。") from None
    if message[0] == "failed":
        raise message[1]
    return message[1]


def _child(sending, folder: Path, work: tuple, writers: list) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is the parent's to handle
    try:
        for writer in writers:
            started = perf_counter()
            writer(folder, *work)
            sending.send(("done", perf_counter() - started))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to be raised in the parent
        try:
            sending.send(("failed", exc))
        except Exception:  # an exception that cannot be pickled: its text, then
            sending.send(("failed", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        sending.close()
