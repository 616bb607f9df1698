"""The grid a reader would build from a sheet, and the cell references that measure it.

calamine builds each sheet as a rectangle from A1 to the last row and column that hold a value, and
fills every merged range inside it: an `Extent` is that rectangle and those filled cells, as the
guard (grid.py) measures them from a workbook's XML before any reader runs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from pipeline.model import column_letter


@dataclass(slots=True)
class Extent:
    """One sheet as a reader would build it: rows × cols from A1, plus the cells filled from merges."""

    sheet: str
    rows: int = 0           # last row with content (1-based), 0 for an empty sheet
    cols: int = 0           # last column with content (1-based)
    merged: int = 0         # cells filled from merged ranges inside the grid (each range counts at least 1)

    @property
    def cells(self) -> int:
        return self.rows * self.cols

    @property
    def corner(self) -> str:
        return f"{column_letter(self.cols - 1)}{self.rows}" if self.cells else "A1"

    def add_merge(self, r0: int, c0: int, r1: int, c1: int) -> None:
        """A merged range, 1-based inclusive; clipped to the grid as read_workbook fills it."""
        inside = 0
        if r0 <= self.rows and c0 <= self.cols:
            inside = (min(r1, self.rows) - r0 + 1) * (min(c1, self.cols) - c0 + 1) - 1
        self.merged += max(inside, 1)


def capped_number(digits: str) -> int:
    """A row number or repeat count as written; absurdly long ones are capped (they are refused anyway)."""
    return int(digits) if len(digits) <= 12 else 10 ** 12


@functools.lru_cache(maxsize=4096)   # merged ranges and cells name the same few columns and rows again and again
def parse_ref(ref: str) -> tuple[int, int] | None:
    """'XFD1048576' -> (1048576, 16384), 1-based; None when it is not a cell reference."""
    ref = ref.replace("$", "")
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters):]
    if not letters or not digits or not (letters.isascii() and letters.isalpha()):
        return None
    col = 0
    for ch in letters[:8].upper():
        col = col * 26 + ord(ch) - 64
    return capped_number(digits), col


@functools.lru_cache(maxsize=4096)
def parse_range(ref: str) -> tuple[int, int, int, int] | None:
    first, _, last = ref.replace("$", "").partition(":")
    start, end = parse_ref(first), parse_ref(last or first)
    if start is None or end is None:
        return None
    return min(start[0], end[0]), min(start[1], end[1]), max(start[0], end[0]), max(start[1], end[1])


def local(name: str) -> str:
    return name.rpartition(":")[2]
