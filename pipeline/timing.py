"""Stage timings and progress reporting, as values and callbacks: the library never prints.

`Timings` adds up wall-clock seconds per stage (read, parse, reconcile, rules, each writer) for the
benchmark; a `Progress` callback lets the CLI draw a bar while files are read and reports written.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from time import perf_counter

# progress(stage, done, total, item): stage is "read" (files) or "write" (outputs); called before each
# item with `item` naming it (the file being read, the output being written), and once at the end
Progress = Callable[[str, int, int, str], None]


def no_progress(stage: str, done: int, total: int, item: str = "") -> None:
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


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Hide the finished batch from the garbage collector while the writers run.

    Writers allocate millions of short-lived objects; each collection of the oldest generation would
    otherwise walk the whole batch (tens of thousands of records) again and again. Nothing in the
    batch becomes garbage while it is written, so freezing it is safe; it halves departments/ time.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
