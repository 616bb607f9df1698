"""Read files in worker processes, so that one file can cost only itself.

A native crash of the Rust reader (it aborts when it cannot allocate), an out-of-memory, or a file
still unread after `max_read_seconds` ends one worker; that file is rejected with `reader_crashed`
and a fresh worker takes over. Each worker lowers its address-space ceiling to `max_reader_mb`
(RLIMIT_AS, POSIX; Windows has no such limit, a crash still costs only the worker), ignores Ctrl-C
(the main process stops the batch) and sends the reader's own stderr noise to the null device.

Workers are started once per batch, with forkserver where the platform has it and spawn elsewhere
(never a plain fork of the process holding the batch), and each takes the next file as soon as it is
free, four at most in hand and given in turns (file 1 to one, file 2 to the other, ...), so none
waits while the main process parses and the next file it needs is never queued behind others.
Each outcome carries the worker's peak memory, so the batch can say what reading cost (a
forkserver's children are not the main process's to account). Outcomes come back in the order of
the files, whatever order the workers finish in: the batch is the one a single process would read.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator
from multiprocessing.connection import Connection, wait
from pathlib import Path

from pipeline.read.guard import MB, Limits
from pipeline.read.outcome import Outcome, out_of_memory, read_one

IN_HAND = 4            # files a worker holds: the one it reads and the next three
MAX_WORKERS = 4


def crashed(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"信号 {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"信号 {-exitcode}"
    else:
        how = f"退出码 {exitcode}"
    return (f"读取程序在读取本文件时异常终止（{how}，多为内存不足或文件结构异常），未读取；其他文件不受影响。"
            f"请用 Excel 打开后另存为新的 .xlsx 再放入")


def timed_out(limits: Limits) -> str:
    return (f"读取超过 {limits.max_read_seconds:g} 秒仍未完成，已停止，未读取。请确认文件内容是否正常，"
            f"必要时拆分后再放入")


def _peak_mib() -> float:
    try:
        import resource
    except ImportError:
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _limit_memory(megabytes: float) -> None:
    try:
        import resource
    except ImportError:  # Windows: no address-space limit; a crash still costs only this process
        return
    ceiling = int(megabytes * MB)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))


def serve(connection: Connection, limits: Limits) -> None:
    """A worker's life: read each path it is sent and send back its outcome, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)          # a Rust abort prints a backtrace there; the clerk gets a finding instead
    _limit_memory(limits.max_reader_mb)
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path = task
        outcome = read_one(Path(path), limits)
        outcome.peak_mib = _peak_mib()
        try:
            connection.send((index, outcome))
        except MemoryError:
            connection.send((index, Outcome(outcome.modified, outcome.sha256, None, "reader_crashed",
                                            out_of_memory(limits))))
        if outcome.code == "reader_crashed":
            return            # after a MemoryError the process may be left short: start afresh


def default_start_method() -> str:
    """forkserver where the platform has it (a worker, or its replacement after a crash, is a fork of a
    small server that has imported the readers once), spawn elsewhere (Windows)."""
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def _context(method: str):
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["__main__", "pipeline.read.worker", "python_calamine"])
    return context


def worker_count(files: int) -> int:
    """One worker per core the process may use, at most MAX_WORKERS, never more than the files (none for none)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(0, min(cores, MAX_WORKERS, files))


class _Worker:
    def __init__(self, context, limits: Limits):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=serve, args=(child, limits), daemon=True)
        self.process.start()
        child.close()
        self.tasks: deque[tuple[int, Path]] = deque()
        self.since = time.monotonic()       # when its current file was started

    def give(self, task: tuple[int, Path]) -> bool:
        """Hand over a file; False when the worker is gone (it died while idle)."""
        if not self.tasks:
            self.since = time.monotonic()
        self.tasks.append(task)
        try:
            self.connection.send((task[0], str(task[1])))
        except OSError:
            return False
        return True

    def stop(self, now: bool = False) -> None:
        """Ask the worker to finish (or kill it when `now`); a worker that does not finish is killed."""
        if not now:
            try:
                self.connection.send(None)
            except OSError:
                now = True
        self.process.join(0 if now else 5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


class ReaderPool:
    """Worker processes reading files; use as a context manager, then `read(paths)`."""

    def __init__(self, limits: Limits = Limits(), workers: int = 1, start_method: str | None = None):
        self.limits = limits
        self.size = workers
        self.context = _context(start_method or default_start_method())
        self.workers: list[_Worker] = []
        self._starting: threading.Thread | None = None
        self._failed: BaseException | None = None

    def start(self) -> "ReaderPool":
        """Start the workers in a background thread and return at once; `with pool:` waits for them.

        Starting the forkserver and its first worker takes 0.1–0.4 s, nearly all of it waiting for
        the server to import the readers: `run` does its own imports (the writers) meanwhile."""
        self._starting = threading.Thread(target=self._start_workers, name="reader-pool-start", daemon=True)
        self._starting.start()
        return self

    def _start_workers(self) -> None:
        try:
            for _ in range(self.size):
                self.workers.append(_Worker(self.context, self.limits))
        except BaseException as exc:        # handed to the thread that enters the pool
            self._failed = exc

    def _started(self) -> None:
        if self._starting is not None:
            self._starting.join()
            self._starting = None
        elif not self.workers and self._failed is None:
            self._start_workers()
        if self._failed is not None:
            failed, self._failed = self._failed, None
            raise failed

    def __enter__(self) -> "ReaderPool":
        try:
            self._started()
        except BaseException:
            self.close(now=True)
            raise
        return self

    def __exit__(self, kind, value, traceback) -> None:
        self.close(now=kind is not None)

    def close(self, now: bool = True) -> None:
        """Stop every worker (idempotent; a pool started in the background is waited for first)."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None
        for worker in self.workers:
            worker.stop(now=now)
        self.workers = []

    def read(self, paths: list[Path]) -> Iterator[Outcome]:
        """The outcome of each path, in the order of `paths`."""
        queue = deque(enumerate(paths))
        ready: dict[int, Outcome] = {}
        for index in range(len(paths)):
            while index not in ready:
                self._dispatch(queue, ready)
                self._collect(queue, ready)
            yield ready.pop(index)

    def _dispatch(self, queue: deque, ready: dict[int, Outcome]) -> None:
        """Files one at a time to the worker holding fewest, so the workers take them in turns and the
        next file the main process needs is never queued behind a run of others in one worker."""
        failures = 0
        while queue and failures <= len(self.workers):
            worker = min(self.workers, key=lambda w: len(w.tasks))
            if len(worker.tasks) >= IN_HAND:
                return
            if not worker.give(queue.popleft()):
                self._replace(worker, queue, ready, None)
                failures += 1

    def _collect(self, queue: deque, ready: dict[int, Outcome]) -> None:
        busy = [w for w in self.workers if w.tasks]
        deadline = min(w.since for w in busy) + self.limits.max_read_seconds
        signalled = wait([w.connection for w in busy] + [w.process.sentinel for w in busy],
                         timeout=max(0.0, deadline - time.monotonic()))
        for worker in busy:
            if worker.connection in signalled or worker.process.sentinel in signalled:
                self._receive(worker, queue, ready)
            elif time.monotonic() - worker.since > self.limits.max_read_seconds:
                self._replace(worker, queue, ready, timed_out(self.limits))

    def _receive(self, worker: _Worker, queue: deque, ready: dict[int, Outcome]) -> None:
        retiring = False
        try:
            while not retiring and worker.connection.poll():
                index, outcome = worker.connection.recv()
                worker.tasks.popleft()
                worker.since = time.monotonic()
                ready[index] = outcome
                retiring = outcome.code == "reader_crashed"   # a MemoryError: the worker ends itself
        except (EOFError, OSError):
            pass
        if retiring:
            self._replace(worker, queue, ready, None)
        elif not worker.process.is_alive():
            self._replace(worker, queue, ready, crashed(worker.process.exitcode))

    def _replace(self, worker: _Worker, queue: deque, ready: dict[int, Outcome], reason: str | None) -> None:
        """Start a new worker in place of one that died or hung on its current file (rejected with
        `reason`) or that retired after a MemoryError (reason None); its other files go back in the queue."""
        if worker.tasks and reason is not None:
            index, _ = worker.tasks.popleft()
            ready[index] = Outcome(code="reader_crashed", reason=reason)
        queue.extendleft(reversed(worker.tasks))
        worker.tasks.clear()
        worker.stop(now=True)
        self.workers[self.workers.index(worker)] = _Worker(self.context, self.limits)
