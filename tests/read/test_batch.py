"""One bad file never stops the batch; every file and every row is accounted for."""

import gc

from builders import education_bureau, long_rows, published_rows, write_text, write_xlsx
from checked import read_checked
from form_builders import Form, write_form_xlsx, yueyang_rows

from pipeline.read.batch import Batch, read_file
from pipeline.read.discover import discover
from pipeline.read.outcome import read_one
from pipeline.settings import Limits


def test_bad_files_are_rejected_beside_a_good_one(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", [{"name": "S", "rows": published_rows(education_bureau())}])
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (tmp_path / "fake.xlsx").write_text("这不是表格，只是改了扩展名的文本。", encoding="utf-8")
    (tmp_path / "truncated.xlsx").write_bytes(good.read_bytes()[:2000])
    write_text(tmp_path / "headerless.csv", [["甲", "1"], ["乙", "2"]])
    (tmp_path / "empty.csv").write_bytes(b"")
    batch = read_checked([tmp_path])
    status = {i.file: (i.status, i.rows.read, i.rows.rejected) for i in batch.inputs}
    assert status == {
        "empty.csv": ("rejected", 0, 0), "empty.xlsx": ("rejected", 0, 0), "fake.xlsx": ("rejected", 1, 1),
        "good.xlsx": ("ok", 9, 0), "headerless.csv": ("rejected", 2, 2), "truncated.xlsx": ("rejected", 0, 0),
    }
    # text renamed .xlsx is read as the text it is (with a note saying so), and holds no table
    (note,) = [f for f in batch.findings if f.code == "read_note"]
    assert note.file == "fake.xlsx" and "实际是文本表格" in note.message
    errors = [f for f in batch.findings if f.code != "read_note"]
    codes = {f.file: f.code for f in errors}
    assert codes == {"empty.csv": "unreadable_file", "empty.xlsx": "unreadable_file", "fake.xlsx": "no_table",
                     "headerless.csv": "no_table", "truncated.xlsx": "unreadable_file"}
    for f in errors:
        assert f.message.startswith(f"文件「{f.file}」") and f.severity == "error"
    assert [d.name for d in batch.departments] == ["某区教育局"]


def test_files_that_are_not_tables_are_skipped_with_a_reason(tmp_path):
    (tmp_path / "sub").mkdir()
    write_text(tmp_path / "sub" / "good.csv", published_rows(education_bureau()))
    (tmp_path / "~$good.xlsx").write_bytes(b"owner")
    (tmp_path / ".hidden.csv").write_text("x")
    (tmp_path / "说明.docx").write_bytes(b"PK")
    batch = read_checked([tmp_path])
    by_file = {i.file: (i.status, i.reason) for i in batch.inputs}
    assert by_file["sub/good.csv"] == ("ok", None)
    assert by_file["~$good.xlsx"][0] == by_file[".hidden.csv"][0] == by_file["说明.docx"][0] == "skipped"
    assert "临时文件" in by_file["~$good.xlsx"][1]
    assert "隐藏" in by_file[".hidden.csv"][1]
    assert ".docx" in by_file["说明.docx"][1]
    assert batch.findings == []


def test_a_row_that_is_nothing_known_is_rejected_with_a_finding_quoting_it(tmp_path):
    rows = published_rows(education_bureau())
    rows.append(["", "", "", "", "", "见附件二  第 2 页"])
    batch = read_checked([write_text(tmp_path / "t.csv", rows)])
    (f,) = batch.findings
    assert (f.code, f.cell, f.severity) == ("unrecognised_row", "A10", "warning")
    assert "见附件二  第 2 页" in f.message
    counts = batch.inputs[0].rows
    assert (counts.read, counts.rejected) == (10, 1)
    assert counts.read == counts.used + counts.ignored + counts.rejected


def test_duplicate_project_under_one_unit(tmp_path):
    rows = published_rows(education_bureau())
    rows.insert(6, list(rows[5]))                       # 教师培训经费 twice
    batch = read_checked([write_text(tmp_path / "t.csv", rows)])
    duplicates = [f for f in batch.findings if f.code == "duplicate_project"]
    assert [(f.cell, f.project) for f in duplicates] == [("A7", "教师培训经费")]


def test_a_sheet_that_breaks_the_parser_is_reported_and_the_other_sheets_kept(tmp_path, monkeypatch):
    import pipeline.read.batch as batch_module

    real = batch_module.build_department

    def fragile(sheet, table, name):
        if sheet.name == "坏表":
            raise RuntimeError("parser bug")
        return real(sheet, table, name)

    monkeypatch.setattr(batch_module, "build_department", fragile)
    rows = published_rows(education_bureau())
    path = write_xlsx(tmp_path / "two.xlsx", [{"name": "好表", "rows": rows}, {"name": "坏表", "rows": rows}])
    batch = read_checked([path])
    (entry,) = batch.inputs
    assert entry.status == "ok" and [d.sheet for d in batch.departments] == ["好表"]
    (f,) = [f for f in batch.findings if f.code == "unreadable_file"]
    assert (f.sheet, f.severity) == ("坏表", "error") and "RuntimeError" in f.message
    assert entry.rows.read == 18 and entry.rows.rejected == 9


def test_parsing_leaves_no_reference_cycles_so_each_sheet_is_freed_once_read(tmp_path):
    """A sheet held in a cycle (a builder holding its own bound methods) stays in memory until the
    collector finds it: at N = 500 that was every sheet, 80,000 objects for the collector to walk."""
    rows = published_rows(education_bureau())
    rows[5][1] = "十二万"                                 # a bad amount: the findings path too
    write_xlsx(tmp_path / "table.xlsx", [{"name": "S", "rows": rows}])
    long, merges = long_rows(education_bureau())
    write_xlsx(tmp_path / "long.xlsx", [{"name": "S", "rows": long, "merges": merges}])
    write_form_xlsx(tmp_path / "form.xlsx", [("申报表", *yueyang_rows(Form()))])
    write_text(tmp_path / "headerless.csv", [["甲", "1"], ["乙", "2"]])
    candidates, _ = discover([tmp_path])
    outcomes = [read_one(c.path, Limits()) for c in candidates]
    batch = Batch()
    gc.collect()
    gc.disable()
    try:
        for candidate, outcome in zip(candidates, outcomes):
            read_file(candidate, batch, outcome)
        del outcomes
        garbage = gc.collect()
    finally:
        gc.enable()
    assert len(batch.departments) == 3 and {f.code for f in batch.findings} >= {"bad_amount", "no_table"}
    assert garbage == 0
