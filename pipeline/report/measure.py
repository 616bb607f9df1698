"""How wide a text is and how many lines it wraps to, as Excel, WPS and LibreOffice set it (workbook.py).

Units: a column width is in Excel character units (the width of a digit of the default font). A CJK
or full-width character counts 2 (1.9 where text wraps), any other LATIN (1.0 where text wraps).
Every text is classified by one `str.translate` pass in C (each code point's class is worked out
once, from `unicodedata`, the first time it is met) and counted in exact tenths of a unit: summing a
float per character would round at every step and decide ties by accident.
"""

from __future__ import annotations

import re
import unicodedata

CELL_PADDING = 1.5                 # character units a cell keeps free beside its text
BOLD = 1.1                         # bold text is about a tenth wider
LATIN = 1.1                        # a Latin letter or digit of a CJK font is a little wider than a unit
# where text wraps, the viewer's own metrics decide: SimSun (Excel, WPS) and Noto Sans CJK (LibreOffice) at
# 10 points set a CJK character in 1.9 units and a digit in 1.0; counting 2 would make rows far too tall
WRAP_CJK, WRAP_LATIN = 1.9, 1.0


class _CharClasses(dict):
    """code point -> its class for `str.translate`: W (wide: CJK, full-width), S (a wide space),
    _ (the ASCII space) or n (any other). Filled as characters are met: a memo of a pure function of
    `unicodedata`, so every text is measured by one pass in C instead of a Python call per character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if unicodedata.east_asian_width(ch) in "WF":
            cls = "S" if ch.isspace() else "W"
        else:
            cls = "_" if ch == " " else "n"
        self[code] = cls
        return cls


_CLASSES = _CharClasses()
# what a line may not break inside: a run of wide characters (each its own token, taken together),
# a wide space, a Latin word with its trailing space, or the Latin text before a wide character
_TOKEN = re.compile(r"W+|S|[n_]*?_|n+")


def _wide(text: str) -> int:
    """How many wide (CJK, full-width) characters `text` holds."""
    if text.isascii():
        return 0
    classes = text.translate(_CLASSES)
    return classes.count("W") + classes.count("S")


def char_width(ch: str) -> float:
    return 2.0 if unicodedata.east_asian_width(ch) in "WF" else LATIN


def text_width(text: str, *, bold: bool = False) -> float:
    """Width of one line of text in character units: a wide character 2, any other LATIN."""
    wide = _wide(text)
    # in tenths of a unit, exactly, then scaled once (a float sum per character would round each step)
    width = (20 * wide + round(10 * LATIN) * (len(text) - wide)) / 10
    return width * (BOLD if bold else 1.0)


def _wrap_tenths(text: str) -> int:
    wide = _wide(text)
    return round(10 * WRAP_CJK) * wide + round(10 * WRAP_LATIN) * (len(text) - wide)


def wrap_width(text: str) -> float:
    return _wrap_tenths(text) / 10


def line_count(text: str, width: float, *, bold: bool = False) -> int:
    """Lines a wrapped cell `width` units wide needs: lines break between CJK characters and at
    spaces, a Latin word longer than a line breaks inside it (as LibreOffice and Excel do)."""
    usable = max(width - CELL_PADDING, 1.0) / (BOLD if bold else 1.0)
    room = round(usable * 10, 9)            # tenths of a unit; 9 places absorb the float error of usable
    lines = 0
    wide, latin = round(10 * WRAP_CJK), round(10 * WRAP_LATIN)
    for paragraph in text.split("\n"):
        classes = None if paragraph.isascii() else paragraph.translate(_CLASSES)   # classed once
        wides = 0 if classes is None else classes.count("W") + classes.count("S")
        if wide * wides + latin * (len(paragraph) - wides) <= room:
            lines += 1
            continue
        lines += _wrapped_lines(paragraph, classes or paragraph.translate(_CLASSES), room)
    return max(lines, 1)


def _wrapped_lines(paragraph: str, classes: str, room: float) -> int:
    """Greedy filling, token by token, in tenths of a unit; a run of wide characters (a token each) is
    placed a line's worth at a time (at once when the whole run fits on the line)."""
    wide, latin = round(10 * WRAP_CJK), round(10 * WRAP_LATIN)
    lines, filled, end = 1, 0.0, 0
    # no whitespace but the ASCII space: a Latin token's trailing space is its last character, if any
    plain = paragraph.isprintable()
    for kind in _TOKEN.findall(classes):         # the tokens cover the text, in order
        start = end
        end += len(kind)
        first = kind[0]
        if first == "W":
            if filled + (end - start) * wide <= room:
                filled += (end - start) * wide
            else:
                lines, filled = _wide_run(end - start, wide, lines, filled, room)
            continue
        if first == "S":
            width, bare = wide, 0                    # a wide space: never the reason for a new line
        else:
            width = latin * (end - start)
            if plain:
                bare = width - latin if kind[-1] == "_" else width
            else:
                bare = latin * len(paragraph[start:end].rstrip())
        if filled + width <= room or filled + bare <= room:
            filled += width
            continue
        if filled > 0:
            lines += 1
        while width > room:                          # a word longer than a line breaks inside it
            lines += 1
            width -= room
        filled = width
    return lines


def _wide_run(count: int, width: int, lines: int, filled: float, room: float) -> tuple[int, float]:
    """`count` wide characters of `width` tenths each, placed after `filled` tenths of the line."""
    while count:
        if filled + width <= room:
            fit = min(count, max(int((room - filled) // width), 1))
            while fit > 1 and filled + fit * width > room:
                fit -= 1
            filled += fit * width
            count -= fit
            continue
        if filled > 0:
            lines += 1
        rest = width
        while rest > room:
            lines += 1
            rest -= room
        filled = rest
        count -= 1
    return lines, filled


