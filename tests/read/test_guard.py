"""Broken and hostile files: each is named with its reason, costs little, and never stops the batch."""

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
    assert f.code == "unreadable_file" and "无法作为电子表格打开" in f.message


def test_text_renamed_xlsx_is_read_as_text_and_says_so(tmp_path):
    (tmp_path / "renamed.xlsx").write_text("项目名称,总计\n甲,1\n", encoding="utf-8")
    batch = read_checked([tmp_path / "renamed.xlsx"])
    assert [i.status for i in batch.inputs] == ["ok"]
    (note,) = [f for f in batch.findings if f.code == "read_note"]
    assert note.severity == "info"
    assert "实际是文本表格" in note.message and "扩展名却是 .xlsx" in note.message


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
    assert "[limits] 中的 max_ratio 应为正数" in result.output


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


# ---- issue 12: files that cost a reader far more than their size -------------------------------------

from conftest import SAMPLE  # noqa: E402
from hostile import ATTACKS, far_cell, overlapping_merges, sparse  # noqa: E402


def beside_the_sample(tmp_path, name):
    """A folder holding a copy of the bundled sample and the attack `name` built from it."""
    import shutil

    folder = tmp_path / "in"
    folder.mkdir()
    good = shutil.copy(SAMPLE, folder / "good.xlsx")
    build = ATTACKS[name][0]
    build(good, folder / name)
    return folder


def assert_the_good_file_is_whole(departments):
    (good,) = [d for d in departments if d["file"] == "good.xlsx"]
    assert (good["projects"], good["total"], good["reconciled"]) == (10, "308.00", True)


@pytest.mark.parametrize("name", ATTACKS)
def test_each_attack_costs_only_its_own_file_in_pipeline_run(tmp_path, name):
    import json

    from typer.testing import CliRunner

    from pipeline.cli import app

    _, status, code, words = ATTACKS[name]
    folder = beside_the_sample(tmp_path, name)
    result = CliRunner().invoke(app, ["run", "-q", "-i", str(folder), "-o", str(tmp_path / "out"), "-p", "2026-11"])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)   # no crash of the run itself
    assert result.exit_code == (1 if status == "rejected" else 0), result.output
    record = json.loads((tmp_path / "out" / "2026-11" / "run.json").read_text(encoding="utf-8"))
    entry = {i["file"]: i for i in record["inputs"]}
    assert entry["good.xlsx"]["status"] == "ok" and entry[name]["status"] == status
    assert_the_good_file_is_whole(record["departments"])
    errors = [f for f in record["findings"] if f["file"] == name and f["severity"] == "error"]
    if status == "rejected":
        (f,) = errors
        assert f["code"] == code and words in f["message"] and words in entry[name]["reason"]
    else:
        assert errors == []


@pytest.mark.parametrize("name", ATTACKS)
def test_each_attack_costs_only_its_own_file_in_pipeline_check(tmp_path, name):
    from typer.testing import CliRunner

    from pipeline.cli import app

    _, status, code, words = ATTACKS[name]
    folder = beside_the_sample(tmp_path, name)
    result = CliRunner().invoke(app, ["check", str(folder)])
    assert result.exit_code == (1 if status == "rejected" else 0), result.output
    assert "Traceback" not in result.output
    assert "广州市荔湾区信访局：项目 10 个，指标 33 条，计算 308.00 万元" in result.output
    if status == "rejected":
        assert f"[拒收] {name}：" in result.output and words in result.output


def test_the_merged_rows_are_filled_only_inside_the_sheet(tmp_path):
    from pipeline.read.sheets import read_workbook

    path = ATTACKS["merged_rows.xlsx"][0](SAMPLE, tmp_path / "m.xlsx")
    (sheet,) = read_workbook(path)
    assert len(sheet.rows) == 1216 and {len(r) for r in sheet.rows} == {7}
    assert (20, 6) in sheet.merged_from and len(sheet.merged_from) < 10_000


def test_a_native_abort_of_the_reader_rejects_that_file_and_the_batch_goes_on(tmp_path, monkeypatch):
    """With the grid limit lifted, the far cell reaches calamine, which aborts (SIGABRT) in its worker."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    folder = beside_the_sample(tmp_path, "far_cell.xlsx")
    (tmp_path / "pipeline.toml").write_text("[limits]\nmax_cells = 1e18\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for command in (["check", str(folder)], ["run", "-q", "-i", str(folder), "-o", str(tmp_path / "out"), "-p", "2026-11"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
    check = CliRunner().invoke(app, ["check", str(folder)])
    assert "[拒收] far_cell.xlsx：读取程序在读取本文件时异常终止（信号 SIGABRT" in check.output
    assert "广州市荔湾区信访局：项目 10 个，指标 33 条，计算 308.00 万元" in check.output


def test_the_memory_ceiling_and_the_time_limit_each_cost_one_file(tmp_path):
    from hostile import far_sheets

    far_sheets(tmp_path / "far.xlsx", sheets=3)
    overlapping_merges(SAMPLE, tmp_path / "slow.xlsx", count=40_000)
    batch = read_checked([tmp_path / "far.xlsx", SAMPLE], Limits(max_cells=10 ** 18, max_reader_mb=300))
    assert [(i.file, i.status) for i in batch.inputs] == [("far.xlsx", "rejected"), (SAMPLE.name, "ok")]
    assert [f.code for f in batch.findings if f.severity == "error"] == ["reader_crashed"]
    batch = read_checked([tmp_path / "slow.xlsx"], Limits(max_merged_cells=10 ** 18, max_read_seconds=0.05))
    (f,) = [f for f in batch.findings if f.severity == "error"]
    assert f.code == "reader_crashed" and "0.05 秒" in f.message


def test_size_is_judged_from_stat_before_a_byte_is_hashed(tmp_path):
    big = sparse(tmp_path / "big.xlsx")
    (tmp_path / "link.xlsx").symlink_to(big)              # links are never followed (discover.py)
    batch = read_checked([tmp_path])
    status = {i.file: (i.status, i.sha256) for i in batch.inputs}
    assert status == {"big.xlsx": ("rejected", None), "link.xlsx": ("skipped", None)}
    (f,) = batch.findings
    assert f.code == "unsafe_file" and "文件大小 20,480 MB，超过上限 100 MB" in f.message


def test_outcomes_come_back_in_file_order_whatever_the_number_of_workers(tmp_path):
    from pipeline.read.worker import ReaderPool

    paths = [far_cell(SAMPLE, tmp_path / "far.xlsx"), SAMPLE, tmp_path / "missing.xlsx",
             overlapping_merges(SAMPLE, tmp_path / "merges.xlsx")] * 3
    lifted = Limits(max_cells=10 ** 18)
    results = []
    for workers in (1, 3):
        with ReaderPool(lifted, workers) as pool:
            results.append([(o.code, o.sha256, o.sheets and len(o.sheets[0].rows)) for o in pool.read(paths)])
    assert results[0] == results[1]
    assert [code for code, _, _ in results[0][:4]] == ["reader_crashed", None, "unreadable_file", "unsafe_file"]
    assert results[0][1][2] == 15


def test_the_100k_row_workbook_passes_the_guard(tmp_path):
    """The largest real table, as a worksheet part: 100,000 rows of 7 columns with a merged title (the
    table itself is read whole, as text, by test_a_100k_row_sheet_is_read_whole)."""
    import io

    from pipeline.read.grid import scan_part
    from pipeline.read.guard import check_extents

    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{col}{r}"><v>1</v></c>' for col in "ABCDEFG") + "</row>"
                   for r in range(1, 100_001))
    xml = f'<worksheet><sheetData>{rows}</sheetData><mergeCells><mergeCell ref="A1:G1"/></mergeCells></worksheet>'
    extents = scan_part(io.BytesIO(xml.encode()), "sheet1.xml")
    check_extents(extents, Limits())
    assert extents[0].cells == 700_000 and Limits().max_cells >= 5 * extents[0].cells


def test_the_workers_need_no_fork(tmp_path):
    """spawn, as on Windows: the same outcomes, a crash included, from fresh interpreters."""
    from pipeline.read.worker import ReaderPool

    paths = [far_cell(SAMPLE, tmp_path / "far.xlsx"), SAMPLE]
    with ReaderPool(Limits(max_cells=10 ** 18), 2, start_method="spawn") as pool:
        far, good = pool.read(paths)
    assert far.code == "reader_crashed" and "SIGABRT" in far.reason
    assert good.code is None and [len(s.rows) for s in good.sheets] == [15]
