"""Which copy of a resubmitted department counts (read/resubmissions.py): the newest file's; the others are named."""

import os

from builders import education_bureau, published_rows, write_text
from checked import read_checked
from pipeline.model import Department, InputFile, RowCount
from pipeline.read.resubmissions import listed, newest_and_older, skip_unused_files


def copy(file: str, sheet: str = "") -> Department:
    return Department("某局", file, sheet, "万元", None, None, {})


def entries(**modified) -> dict[str, InputFile]:
    return {f"{name}.xlsx": InputFile(f"{name}.xlsx", None, "ok", None, RowCount(read=9, used=7), mtime)
            for name, mtime in modified.items()}


def test_the_newest_file_wins_and_the_name_breaks_a_tie():
    files = entries(a=200.0, b=100.0, c=200.0)
    a, b, c = copy("a.xlsx"), copy("b.xlsx"), copy("c.xlsx")
    [(newest, older)] = newest_and_older([[a, b, c]], files)
    assert newest is c and older == [a, b]


def test_copies_within_one_file_are_one_submission_left_alone():
    files = entries(a=1.0)
    assert list(newest_and_older([[copy("a.xlsx", "S1"), copy("a.xlsx", "S2")]], files)) == []


def test_listed_names_each_dropped_copy_with_its_sheet():
    assert listed([copy("a.xlsx", "Sheet1"), copy("b.csv")]) == "「a.xlsx!Sheet1」、「b.csv」"


def test_only_a_file_left_with_no_department_in_use_is_skipped():
    files = entries(a=1.0, b=2.0)
    kept, dropped = copy("b.xlsx"), copy("a.xlsx")
    skip_unused_files([kept], [dropped, kept], files, lambda d: f"被替代：{d.file}")
    assert (files["a.xlsx"].status, files["a.xlsx"].reason, files["a.xlsx"].rows) == ("skipped", "被替代：a.xlsx",
                                                                                   RowCount())
    assert (files["b.xlsx"].status, files["b.xlsx"].rows.used) == ("ok", 7)


def test_resubmitted_department_uses_the_newest_file(tmp_path):
    old, new = education_bureau(), education_bureau()
    new.units[0][1][0].fiscal = "130.50"
    write_text(tmp_path / "教育局_初稿.csv", published_rows(old))
    write_text(tmp_path / "教育局_更正.csv", published_rows(new))
    os.utime(tmp_path / "教育局_初稿.csv", (1_700_000_000, 1_700_000_000))
    os.utime(tmp_path / "教育局_更正.csv", (1_700_000_100, 1_700_000_100))
    batch = read_checked([tmp_path])
    (department,) = batch.departments
    assert department.file == "教育局_更正.csv" and str(department.total) == "265.000000"
    status = {i.file: (i.status, i.reason) for i in batch.inputs}
    assert status["教育局_更正.csv"] == ("ok", None)
    assert status["教育局_初稿.csv"][0] == "skipped" and "教育局_更正.csv" in status["教育局_初稿.csv"][1]
    (f,) = batch.findings
    assert (f.code, f.severity, f.department) == ("duplicate_department", "warning", "某区教育局")
    assert "教育局_初稿.csv" in f.message and "教育局_更正.csv" in f.message
