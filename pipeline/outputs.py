"""Write a run folder: all of it or none of it.

Everything is written into a hidden folder beside the final one and renamed into place, so a run
killed at any moment leaves the previous run of that period intact. A lock file keeps two runs from
writing to the same outputs folder at once; the operating system releases it if the process dies.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import RunLocked, UsageError, os_cause, shown_path

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# the names a recipient sees for the run folder's reports (e-mail attachments, and the reports' own text)
SENT_NAMES = {"report.xlsx": "项目支出绩效目标审核报告_{period}.xlsx",
              "report.html": "项目支出绩效目标审核报告_{period}.html",
              "departments": "各部门绩效目标表_{period}.zip"}


def sent_name(file: str, period: str) -> str:
    """`report.xlsx` -> `项目支出绩效目标审核报告_2026-11.xlsx`."""
    return SENT_NAMES[file].format(period=period)
LOCK_NAME = ".pipeline.lock"


def neutralise(value: object) -> object:
    """OWASP CSV-injection rule: text that a spreadsheet would run as a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_bytes(rows: list[dict], columns: list[str], numeric: set[str]) -> bytes:
    """UTF-8 with BOM so Excel opens Chinese text correctly; formula-like text neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row[c] if c in numeric else neutralise("" if row[c] is None else row[c]) for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_csv(path: Path, rows: Iterable[dict], columns: list[str], numeric: set[str]) -> None:
    """`csv_bytes(rows, columns, numeric)` written to `path` as the rows come, in one pass with
    `writerows`, so a large table is never held as one string (same bytes: utf-8-sig is the BOM)."""
    text = [i for i, c in enumerate(columns) if c not in numeric]

    def cells(row: dict) -> list:
        values = [row[c] for c in columns]
        for i in text:
            value = values[i]
            if value is None:
                values[i] = ""
            elif isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
                values[i] = "'" + value
        return values

    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows(map(cells, rows))


def write_json(path: Path, record: dict) -> None:
    """`json_bytes(record)` written to `path` in pieces, never held as one string."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        json.dump(record, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def json_bytes(record: dict) -> bytes:
    return (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@contextmanager
def outputs_lock(outputs: Path) -> Iterator[None]:
    """Refuse at once when another run holds the outputs folder."""
    from filelock import FileLock, Timeout

    try:
        outputs.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(outputs / LOCK_NAME), timeout=0)
        lock.acquire()
    except Timeout as exc:
        raise RunLocked(f"另一次运行正在写入输出文件夹 {outputs}，请等它结束后再运行。") from exc
    except OSError as exc:
        raise UsageError(f"无法写入输出文件夹 {shown_path(outputs)}：{os_cause(exc)}。"
                         "请用 --outputs 指定一个可写的文件夹。") from exc
    try:
        yield
    finally:
        lock.release()


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold Ctrl-C off for the few milliseconds a finished run is swapped in and recorded, so an
    interrupt never leaves a new run folder without its history record (the run then simply
    finishes). Only the main thread receives signals; elsewhere this does nothing."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def write_run_folder(outputs: Path, period: str, write: Callable[[Path], None],
                     commit: Callable[[], None] | None = None) -> Path:
    """Call `write(folder)` on a fresh staging folder, then swap it in as `outputs/period`.

    `commit` (the history's transaction) runs once the new folder is in place and before the previous
    one is deleted: when it fails, the previous folder is put back, so neither claims the run. The swap
    and the commit are safe from Ctrl-C (`uninterrupted`)."""
    final = outputs / period
    staging = outputs / f".{period}.staging-{os.getpid()}"
    previous = outputs / f".{period}.previous-{os.getpid()}"
    recover(outputs, period)
    if staging.exists():
        shutil.rmtree(staging)
    try:
        staging.mkdir(parents=True)
        write(staging)
    except BaseException:  # Ctrl-C included: the half-written staging folder goes, whole
        with uninterrupted():
            shutil.rmtree(staging, ignore_errors=True)
        raise
    with uninterrupted():
        try:
            if final.exists():
                os.replace(final, previous)
            os.replace(staging, final)
        except BaseException:  # a failing rename between the two: put the previous run back
            if previous.exists() and not final.exists():
                os.replace(previous, final)
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if commit is not None:
            try:
                commit()
            except BaseException:
                os.replace(final, staging)
                if previous.exists():
                    os.replace(previous, final)
                shutil.rmtree(staging, ignore_errors=True)
                raise
        shutil.rmtree(previous, ignore_errors=True)
    return final


def settle_interrupted(outputs: Path, period: str, recorded_started: str | None) -> None:
    """A run killed after swapping its folder in, before the history recorded it, leaves the previous
    folder set aside: put that back unless the folder in place is the run the history recorded
    (`recorded_started`, its run.json `started`), so the folder and the history agree again."""
    final = outputs / period
    set_aside = sorted(outputs.glob(f".{period}.previous-*"))
    if not set_aside or not final.exists():
        return
    try:
        started = json.loads((final / "run.json").read_text(encoding="utf-8")).get("started")
    except (OSError, ValueError):
        started = None
    if started != recorded_started:
        shutil.rmtree(final)
        os.replace(set_aside[-1], final)


def recover(outputs: Path, period: str) -> None:
    """Undo what a killed run left: staging folders go, a set-aside previous run comes back."""
    for leftover in outputs.glob(f".{period}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    final = outputs / period
    for previous in sorted(outputs.glob(f".{period}.previous-*")):
        if not final.exists():
            os.replace(previous, final)
        else:
            shutil.rmtree(previous, ignore_errors=True)


def check_period(period: str) -> str:
    """`YYYY-MM`, or a usage error that says exactly what is wrong with it (not just "format")."""
    import re

    shape = re.fullmatch(r"(\d{4})-(\d{1,2})", period)
    if shape is None:
        raise UsageError(f"期间「{period}」格式不对，应为 YYYY-MM（四位年份、短横线、两位月份），例如 2026-11。")
    year, month = int(shape.group(1)), int(shape.group(2))
    if not 1 <= month <= 12:
        raise UsageError(f"期间「{period}」的月份 {shape.group(2)} 不存在：月份应为 01 到 12，例如 {year}-11。")
    if len(shape.group(2)) != 2:
        raise UsageError(f"期间「{period}」的月份应写两位：{year}-{month:02d}。")
    if not 2000 <= year <= 2100:
        raise UsageError(f"期间「{period}」的年份 {year} 不合理：应在 2000 到 2100 之间，例如 2026-11。")
    return period
