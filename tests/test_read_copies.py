"""One department is counted once: copies of it on other sheets of the same workbook and resubmissions
whose names differ only by invisible characters are recognised."""

import os
import sys
import unicodedata
from decimal import Decimal

import pytest

from builders import education_bureau, published_rows, write_text
from checked import read_checked
from pipeline.model import department_key
from pipeline.text import compact


def test_compact_removes_every_invisible_format_character():
    format_chars = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"} <= set(format_chars)
    assert [c for c in format_chars if compact(f"甲{c}乙") != "甲乙"] == []
    assert department_key("广州市荔湾区\u200b信访局\ufeff") == department_key("广州市荔湾区 信访局") == "广州市荔湾区信访局"


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_a_resubmission_is_recognised_whatever_invisible_characters_the_name_holds(tmp_path, invisible):
    old, new = education_bureau(), education_bureau()
    new.name = f"某区{invisible}教育局"
    write_text(tmp_path / "a.csv", published_rows(old))
    write_text(tmp_path / "b.csv", published_rows(new))
    os.utime(tmp_path / "a.csv", (1_700_000_000, 1_700_000_000))
    os.utime(tmp_path / "b.csv", (1_700_000_100, 1_700_000_100))
    batch = read_checked([tmp_path])
    assert [d.file for d in batch.departments] == ["b.csv"]
    assert batch.total == Decimal("255.00")
    (f,) = batch.findings
    assert (f.code, f.file) == ("duplicate_department", "b.csv")
    assert {i.file: i.status for i in batch.inputs} == {"a.csv": "skipped", "b.csv": "ok"}
