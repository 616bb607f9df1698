"""Read files in worker processes, so that one file can cost only itself.

A native crash of the Rust reader (it aborts when it cannot allocate), an out-of-memory, or a file
still unread after `max_read_seconds` ends one worker; that file is rejected with `reader_crashed`
and a fresh worker takes over. Each worker lowers its address-space ceiling to `max_reader_mb`
(RLIMIT_AS, POSIX; Windows has no such limit, a crash still costs only the worker), ignores Ctrl-C
(the main process stops the batch) and sends the reader's own stderr noise to the null device.

Workers are started once per batch, with forkserver where the platform has it and spawn elsewhere
(never a plain fork of the process holding the batch), and each takes the next file as soon as it is
free, two at most in hand so none waits while the main process parses. Each outcome carries the
worker's peak memory, so the batch can say what reading cost (a forkserver's children are not the
main process's to account). Outcomes come back in the
order of the files, whatever order the workers finish in: the batch is the one a single process
would read.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from pipeline.read.guard import MB, Limits, check_file, check_stat
from pipeline.read.sheets import ReadError, Sheet, read_sheets, reader_failed

IN_HAND = 2            # files a worker holds: the one it reads and the next
MAX_WORKERS = 4


@dataclass(slots=True)
class Outcome:
    """What reading one file gave: its sheets, or the finding code and reason it was rejected with."""

    modified: float | None = None
    sha256: str | None = None
    sheets: list[Sheet] | None = None
    code: str | None = None
    reason: str | None = None
    peak_mib: float = 0.0      # the worker's peak resident memory so far (POSIX)


def sha256_of(path: Path, limit: int) -> str:
    """The file's digest, reading at most `limit` bytes (a file growing past the size limit is refused)."""
    digest = hashlib.sha256()
    read = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            read += len(chunk)
            if read > limit:
                raise ReadError(f"文件在读取期间变大，超过上限 {limit / MB:g} MB，未读取", code="unsafe_file")
            digest.update(chunk)
    return digest.hexdigest()


def read_one(path: Path, limits: Limits) -> Outcome:
    """stat, then hash, guard and read: whatever goes wrong, an outcome (never an exception)."""
    outcome = Outcome()
    try:
        status = path.stat()
        outcome.modified = status.st_mtime
        check_stat(status, limits)
        outcome.sha256 = sha256_of(path, int(limits.max_file_mb * MB))
        check_file(path, limits)
        outcome.sheets = read_sheets(path)
    except ReadError as exc:
        if isinstance(exc.__cause__, MemoryError):       # the reader's own wrapping of an out-of-memory
            outcome.code, outcome.reason = "reader_crashed", out_of_memory(limits)
        else:
            outcome.code, outcome.reason = exc.code, str(exc)
    except OSError as exc:
        outcome.code, outcome.reason = "unreadable_file", f"无法打开文件：{exc.strerror or exc}"
    except MemoryError:
        outcome.sheets = None
        outcome.code, outcome.reason = "reader_crashed", out_of_memory(limits)
    except BaseException as exc:  # a reader bug or a file no reader expected: reject it, keep the batch going
        if not reader_failed(exc):
            raise
        outcome.code = "unreadable_file"
        outcome.reason = f"读取时出现意外错误（{type(exc).__name__}），请另存为 .xlsx 后重试"
    return outcome


def out_of_memory(limits: Limits) -> str:
    return (f"读取所需的内存超过上限 {limits.max_reader_mb:g} MB，未读取。请确认文件内容是否正常"
            f"（如有大量无用的行、列或合并单元格，请删除后另存），必要时拆分后再放入")


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

    def __enter__(self) -> "ReaderPool":
        self.workers = [_Worker(self.context, self.limits) for _ in range(self.size)]
        return self

    def __exit__(self, kind, value, traceback) -> None:
        for worker in self.workers:
            worker.stop(now=kind is not None)
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
        for worker in sorted(self.workers, key=lambda w: len(w.tasks)):
            while queue and len(worker.tasks) < IN_HAND:
                if not worker.give(queue.popleft()):
                    self._replace(worker, queue, ready, None)
                    break

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
