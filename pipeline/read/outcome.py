"""What reading one file gives, whatever goes wrong: its sheets, or the finding code and reason it was
rejected with, never an exception. The order is the cheapest refusal first: stat, then the digest
(at most the size limit is read), the guard, and only then a reader. `worker.serve` runs this in a
worker process; the outcome is what it sends back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipeline.read.guard import MB, Limits, check_file, check_stat
from pipeline.read.sheets import ReadError, Sheet, read_sheets, reader_failed


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
