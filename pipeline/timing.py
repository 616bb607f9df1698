"""Stage timings and progress reporting, as values and callbacks: the library never prints.

`Timings` adds up wall-clock seconds per stage (read, parse, reconcile, rules, each writer) for the
benchmark; a `Progress` callback lets the CLI draw a bar while files are read and reports written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from time import perf_counter

# progress(stage, done, total): stage is "read" (files) or "write" (outputs)
Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    return None


class Timings(dict):
    """stage name -> seconds, summed over every time the stage ran."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = perf_counter()
        try:
            yield
        finally:
            self[name] = self.get(name, 0.0) + perf_counter() - started
