"""What the CLI shows while it works: lines, the progress bar, the browser."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable
from pathlib import Path

import typer

PROGRESS_MIN_FILES = 5  # a bar for a handful of files only flickers
STAGES = {"read": "读取", "write": "写出"}


def echo(lines: Iterable[str], *, err: bool = False) -> None:
    for line in lines:
        typer.echo(line, err=err)


@contextlib.contextmanager
def progress_bar(wanted: bool):
    """A progress bar naming the file being read or the output being written, with the time left.

    Drawn on a terminal only, and only for more than a few files; the library reports through the
    callback `progress(stage, done, total, item)` and never prints.
    """
    if not (wanted and sys.stdout.isatty()):
        yield lambda stage, done, total, item="": None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(bar_width=24), MofNCompleteColumn(),
               TextColumn("剩余"), TimeRemainingColumn(compact=True), TextColumn("{task.fields[item]}"))
    with Progress(*columns, transient=True) as bar:
        tasks: dict[str, int] = {}
        shown: dict[str, bool] = {}

        def update(stage: str, done: int, total: int, item: str = "") -> None:
            shown.setdefault("on", stage != "read" or total > PROGRESS_MIN_FILES)
            if not shown["on"]:
                return
            if stage not in tasks:
                tasks[stage] = bar.add_task(STAGES.get(stage, stage), total=total, item="")
            bar.update(tasks[stage], completed=done, item=item)

        yield update


def open_in_browser(path: Path) -> None:
    """Show a report in the default browser; where there is none (a server, CI) nothing happens."""
    import webbrowser

    if path.exists():
        webbrowser.open(path.resolve().as_uri())
