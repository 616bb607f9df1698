"""Broken and hostile files: each is named with its reason, costs little, and never stops the batch."""

import os
import tracemalloc
import zipfile

import pytest

from builders import Dept, Proj, education_bureau, published_rows, write_text, write_xlsx
from hostile import encrypted, entity_bomb, zip_bomb
from checked import read_checked
from pipeline.read.guard import Limits


@pytest.fixture
def good(tmp_path):
    return write_xlsx(tmp_path / "good.xlsx", [{"name": "S", "rows": published_rows(education_bureau())}])


def rejected(path, limits=Limits()):
    batch = read_checked([path], limits)
    (entry,) = batch.inputs
    (f,) = batch.findings
    assert entry.status == "rejected" and batch.departments == []
    assert f.file == path.name and f.message.startswith(f"文件「{path.name}」")
    return f


def test_empty_file(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    f = rejected(tmp_path / "empty.xlsx")
    assert f.code == "unreadable_file" and "是空文件（0 字节）" in f.message


def test_text_renamed_xlsx(tmp_path):
    (tmp_path / "renamed.xlsx").write_text("项目名称,总计\n甲,1\n", encoding="utf-8")
    assert rejected(tmp_path / "renamed.xlsx").code == "unreadable_file"


def test_truncated_zip(tmp_path, good):
    (tmp_path / "cut.xlsx").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    f = rejected(tmp_path / "cut.xlsx")
    assert f.code == "unreadable_file" and "截断" in f.message


def test_zip_bomb_is_refused_from_its_directory_with_little_memory(tmp_path):
    bomb = zip_bomb(tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 3 << 20
    with zipfile.ZipFile(bomb) as archive, archive.open(archive.infolist()[0]) as stream:
        assert stream.read(1 << 20) == b"\0" * (1 << 20)  # a real bomb: it does inflate
    tracemalloc.start()
    try:
        f = rejected(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert f.code == "unsafe_file" and "2048 MB" in f.message and "200 MB" in f.message
    assert peak < 4 << 20


def test_implausible_compression_ratio_under_the_size_limit(tmp_path):
    bomb = zip_bomb(tmp_path / "ratio.xlsx", inflated=160 << 20)
    f = rejected(bomb)
    assert f.code == "unsafe_file" and "压缩比" in f.message and "100:1" in f.message


def test_xml_entity_bomb(tmp_path, good):
    f = rejected(entity_bomb(good, tmp_path / "lol.xlsx"))
    assert f.code == "unsafe_file" and "DTD" in f.message and "xl/worksheets/sheet1.xml" in f.message


def test_encrypted_workbook_asks_for_an_unencrypted_copy(tmp_path, good):
    f = rejected(encrypted(good, tmp_path / "locked.xlsx"))
    assert f.code == "encrypted_file" and "不加密的副本" in f.message


def test_file_over_the_size_limit(tmp_path, good):
    f = rejected(good, Limits(max_file_mb=0.001))
    assert f.code == "unsafe_file" and "超过上限 0.001 MB" in f.message


def test_hostile_files_do_not_stop_the_batch(tmp_path, good):
    zip_bomb(tmp_path / "bomb.xlsx")
    entity_bomb(good, tmp_path / "lol.xlsx")
    encrypted(good, tmp_path / "locked.xlsx")
    batch = read_checked([tmp_path])
    assert {i.file: i.status for i in batch.inputs} == {"bomb.xlsx": "rejected", "good.xlsx": "ok",
                                                         "locked.xlsx": "rejected", "lol.xlsx": "rejected"}
    assert [d.name for d in batch.departments] == ["某区教育局"]


def test_a_100k_row_sheet_is_read_whole(tmp_path):
    projects = [Proj(f"项目{n:06d}", fiscal="1.01", indicators=[("1-产出指标", "11-数量指标", "完成数", "1个", "1个")])
                for n in range(100_000)]
    dept = Dept("某大局", [("某大局", projects)])
    path = write_text(tmp_path / "big.csv", published_rows(dept))
    batch = read_checked([path])
    (department,) = batch.departments
    assert len(department.projects) == 100_000 and len(department.indicators) == 100_000
    assert str(department.total) == "101000.000000"
    assert batch.findings == []
    assert batch.inputs[0].rows.read == 100_005


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


def test_limits_come_from_pipeline_toml(tmp_path, good, monkeypatch):
    from typer.testing import CliRunner

    from pipeline.cli import app

    monkeypatch.chdir(tmp_path)
    (tmp_path / "pipeline.toml").write_text("[limits]\nmax_file_mb = 0.001\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(good)])
    assert result.exit_code == 1
    assert "超过上限 0.001 MB" in result.output
    (tmp_path / "pipeline.toml").write_text("[limits]\nmax_ratio = -1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(good)])
    assert result.exit_code == 2
    assert "[limits] max_ratio 应为正数" in result.output


def test_formula_like_text_is_neutralised_in_every_csv_but_our_own_numbers_are_not(tmp_path):
    import csv
    import io

    from pipeline.run import run

    names = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "正常项目"]
    dept = Dept("=某局", [("=某局", [Proj(n, fiscal="-1.50" if n == "-2+3" else "1.00") for n in names])],
                declared="99.00")                          # a total_mismatch finding names the department
    (tmp_path / "in").mkdir()
    write_text(tmp_path / "in" / "t.csv", published_rows(dept))
    run(tmp_path / "in", tmp_path / "out", "2026-11", writers=[])
    folder = tmp_path / "out" / "2026-11"
    rows = list(csv.DictReader(io.StringIO((folder / "projects.csv").read_text(encoding="utf-8-sig"))))
    assert [r["project"] for r in rows] == ["'" + n if n[0] in "=+-@" else n for n in names]
    assert {r["department"] for r in rows} == {"'=某局"}
    assert rows[2]["total"] == "-1.50"                     # an amount we computed stays a number
    findings = (folder / "findings.csv").read_text(encoding="utf-8-sig")
    assert ",'=某局," in findings and ",=某局," not in findings


def test_the_owasp_prefixes_include_tab_and_carriage_return():
    from pipeline.outputs import neutralise

    assert [neutralise(v) for v in ["\tx", "\rx", "=1", "a=1", 5]] == ["'\tx", "'\rx", "'=1", "a=1", 5]


def test_a_resubmission_is_recognised_whatever_the_spacing_of_the_name(tmp_path):
    old, new = education_bureau(), education_bureau()
    new.name = "某区 教育局"
    write_text(tmp_path / "a.csv", published_rows(old))
    write_text(tmp_path / "b.csv", published_rows(new))
    os.utime(tmp_path / "a.csv", (1_700_000_000, 1_700_000_000))
    os.utime(tmp_path / "b.csv", (1_700_000_100, 1_700_000_100))
    batch = read_checked([tmp_path])
    assert [d.file for d in batch.departments] == ["b.csv"]
    assert [f.code for f in batch.findings] == ["duplicate_department"]
