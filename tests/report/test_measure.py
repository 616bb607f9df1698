"""Text is measured as its definition says, character by character, however fast it is counted."""

from __future__ import annotations

import pytest

from pipeline.report.measure import line_count, text_width


def _exact_lines(text: str, width: float, bold: bool) -> int:
    """The definition, character by character in exact fractions: a wide character 1.9 units, any other
    1; lines break before a CJK character or after a space, a Latin word longer than a line inside it;
    trailing space never pushes a word onto the next line."""
    import unicodedata
    from fractions import Fraction

    def units(token: str) -> Fraction:
        return sum((Fraction(19, 10) if unicodedata.east_asian_width(ch) in "WF" else Fraction(1) for ch in token),
                   Fraction(0))

    usable = max(Fraction(str(width)) - Fraction(3, 2), Fraction(1)) / (Fraction(11, 10) if bold else 1)
    lines = 0
    for paragraph in text.split("\n"):
        tokens, word = [], ""
        for ch in paragraph:
            if unicodedata.east_asian_width(ch) in "WF":
                tokens += [word, ch] if word else [ch]
                word = ""
            else:
                word += ch
                if ch == " ":
                    tokens.append(word)
                    word = ""
        tokens += [word] if word else []
        count, filled = 1, Fraction(0)
        for token in tokens:
            size = units(token)
            if filled + size <= usable or filled + units(token.rstrip()) <= usable:
                filled += size
                continue
            count += 1 if filled > 0 else 0
            while size > usable:
                count += 1
                size -= usable
            filled = size
        lines += count
    return max(lines, 1)


def test_line_count_agrees_with_the_per_character_definition():
    import random

    alphabet = list("abcxyz12 .,%≥") + list("某项目保障运行，。（）；") + ["\u3000", "\t", "\n", "\xa0", "Ａ", "ｱ", "😀"]
    rng = random.Random(16)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 90)))
        width, bold = round(rng.uniform(2, 60), 1), rng.random() < 0.3
        assert line_count(text, width, bold=bold) == _exact_lines(text, width, bold), (text, width, bold)
    assert text_width("部门ab") == pytest.approx(6.2) and text_width("ab", bold=True) == pytest.approx(2.42)
