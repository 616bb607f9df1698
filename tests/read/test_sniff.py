"""Files are read by what their bytes are, not what their name says; the clerk is told which."""

import shutil
import zipfile

import pytest

from builders import education_bureau, published_rows, text_bytes, write_xls, write_xlsx
from checked import read_checked
from exports import html_bytes, spreadsheetml_bytes, unicode_text_bytes, write
from hostile import encrypted
from pipeline.money import fmt
from pipeline.read import sniff
from read.test_sheets import assert_education_bureau

SAMPLE_NAME = "广州市荔湾区信访局.xlsx"


def beside_the_sample(tmp_path, sample, name, data=None):
    """A folder with the bundled sample and one more file; returns (batch, that file's entry)."""
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    shutil.copy(sample, folder / SAMPLE_NAME)
    if data is not None:
        (folder / name).write_bytes(data)
    batch = read_checked([folder])
    good = next(i for i in batch.inputs if i.file == SAMPLE_NAME)
    assert good.status == "ok"
    (department,) = [d for d in batch.departments if d.file == SAMPLE_NAME]
    assert (len(department.projects), fmt(department.total)) == (10, "308.00")
    return batch, next(i for i in batch.inputs if i.file == name)


def notes(batch, name):
    return [f.message for f in batch.findings if f.code == "read_note" and f.file == name]


def only_education_bureau(batch, name):
    (department,) = [d for d in batch.departments if d.file == name]
    findings = [f for f in batch.findings if f.file == name and f.code != "read_note"]
    assert_education_bureau(type(batch)(departments=[department], checks=[
        c for c in batch.checks if c.department == department.name], findings=findings), department)


ROWS = published_rows(education_bureau())


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path, sample):
    batch, entry = beside_the_sample(tmp_path, sample, "教育局.txt", unicode_text_bytes(ROWS))
    assert entry.status == "ok"
    only_education_bureau(batch, "教育局.txt")
    assert notes(batch, "教育局.txt") == []


def test_semicolon_csv(tmp_path, sample):
    rows = [[f"{v:,.2f}" if isinstance(v, float) else v for v in row] for row in ROWS]  # 1,234.50 in ; CSV
    batch, entry = beside_the_sample(tmp_path, sample, "教育局.csv", text_bytes(rows, delimiter=";"))
    assert entry.status == "ok"
    only_education_bureau(batch, "教育局.csv")


def test_a_genuine_xls_renamed_xlsx_is_read_with_a_note(tmp_path, sample):
    data = write_xls(tmp_path / "real.xls", ROWS).read_bytes()
    batch, entry = beside_the_sample(tmp_path, sample, "教育局.xlsx", data)
    assert entry.status == "ok"
    only_education_bureau(batch, "教育局.xlsx")
    (note,) = notes(batch, "教育局.xlsx")
    assert "实际是Excel 97-2003 工作簿（.xls），扩展名却是 .xlsx" in note


def test_an_xlsx_renamed_xls_is_read_with_a_note(tmp_path, sample):
    data = write_xlsx(tmp_path / "real.xlsx", [{"name": "S", "rows": ROWS}]).read_bytes()
    batch, entry = beside_the_sample(tmp_path, sample, "教育局.xls", data)
    assert entry.status == "ok"
    only_education_bureau(batch, "教育局.xls")
    assert "扩展名却是 .xls" in notes(batch, "教育局.xls")[0]


def test_an_encrypted_xlsx_renamed_xls_is_called_encrypted(tmp_path, sample):
    good = write_xlsx(tmp_path / "plain.xlsx", [{"name": "S", "rows": ROWS}])
    data = encrypted(good, tmp_path / "locked.xlsx").read_bytes()
    batch, entry = beside_the_sample(tmp_path, sample, "教育局.xls", data)
    assert entry.status == "rejected" and "已加密" in entry.reason
    assert [f.code for f in batch.findings if f.file == "教育局.xls"] == ["encrypted_file"]


@pytest.mark.parametrize("encoding, meta, bom", [("utf-8", True, False), ("utf-8", False, False),
                                                 ("utf-8", False, True), ("gbk", True, False)])
def test_html_exported_as_xls(tmp_path, sample, encoding, meta, bom):
    data = html_bytes(ROWS, encoding=encoding, meta=meta, bom=bom, merges=[(0, 0, 0, 6)])
    batch, entry = beside_the_sample(tmp_path, sample, "教育局.xls", data)
    assert entry.status == "ok", entry.reason
    only_education_bureau(batch, "教育局.xls")
    (note,) = notes(batch, "教育局.xls")
    assert "该文件实际是网页格式（HTML）的表格，扩展名却是 .xls；已按网页表格读取" in note


def test_spreadsheetml_exported_as_xls(tmp_path, sample):
    data = spreadsheetml_bytes(ROWS, sheet="表1", merges=[(0, 0, 0, 6)])
    batch, entry = beside_the_sample(tmp_path, sample, "教育局.xls", data)
    assert entry.status == "ok", entry.reason
    only_education_bureau(batch, "教育局.xls")
    assert "实际是Excel 2003 XML 表格（SpreadsheetML）" in notes(batch, "教育局.xls")[0]


def test_spreadsheetml_with_a_doctype_is_refused_without_expanding_it(tmp_path, sample):
    doctype = '<!-- ' + "x" * 6000 + ' -->\n<!DOCTYPE Workbook [<!ENTITY a "aaaaaaaaaa">]>\n'
    data = spreadsheetml_bytes([["&a;"]], doctype=doctype).replace(b"&amp;a;", b"&a;")
    batch, entry = beside_the_sample(tmp_path, sample, "bomb.xls", data)
    assert entry.status == "rejected" and "DTD" in entry.reason
    assert [f.code for f in batch.findings if f.file == "bomb.xls"] == ["unsafe_file"]


def test_nul_bytes_and_a_trailing_ctrl_z_are_tolerated_with_a_note(tmp_path, sample):
    data = text_bytes(ROWS).replace("教研活动经费".encode(), "教研活动经费".encode() + b"\x00", 1) + b"\x1a"
    batch, entry = beside_the_sample(tmp_path, sample, "教育局.csv", data)
    assert entry.status == "ok"
    only_education_bureau(batch, "教育局.csv")
    assert sorted(notes(batch, "教育局.csv")) == [
        "文件「教育局.csv」文件中有 1 个空字符（NUL，通常由导出程序产生），已忽略，其余内容照常读取。",
        "文件「教育局.csv」文件末尾有 DOS 文件结束符（Ctrl-Z），已忽略，无需处理。"]
    assert all(f.severity == "info" for f in batch.findings if f.file == "教育局.csv")


def zip_of(path, entries):
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return path.read_bytes()


@pytest.mark.parametrize("name, make, reason", [
    ("报表.xlsx", lambda p: zip_of(p, {"a.txt": "x"}), "实际是 ZIP 压缩包"),
    ("报表.xlsx", lambda p: zip_of(p, {"word/document.xml": "<w/>"}), "实际是 Word 文档（.docx）"),
    ("报表.xls", lambda p: b"%PDF-1.7\n" + bytes(range(256)) * 8, "实际是 PDF 文件"),
    ("报表.csv", lambda p: bytes(range(256)) * 8, "含有二进制内容"),
    ("报表.xls", lambda p: b'<?xml version="1.0"?><note>x</note>', "实际是 XML 文件，但不是 Excel 2003 XML"),
    ("报表.xls", lambda p: b"<html><body><p>no table</p></body></html>", "其中没有表格"),
    ("报表.xls", lambda p: b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n--x", "MHTML"),
])
def test_what_is_not_a_table_is_named_truly(tmp_path, sample, name, make, reason):
    batch, entry = beside_the_sample(tmp_path, sample, name, make(tmp_path / "scratch"))
    assert entry.status == "rejected" and reason in entry.reason, entry.reason
    assert [f.code for f in batch.findings if f.file == name] == ["unreadable_file"]


@pytest.mark.parametrize("head, kind", [
    (b"\xef\xbb\xbf  \r\n<TABLE><tr><td>1</td></tr></TABLE>", sniff.HTML),
    (b"<!DOCTYPE html><html>", sniff.HTML),
    ("项目名称\t总计\r\n".encode("utf-16-le"), sniff.TEXT),
    ("项目名称,总计\r\n".encode("gb18030"), sniff.TEXT),
    (b"", sniff.EMPTY),
])
def test_sniff_heads(tmp_path, head, kind):
    path = write(tmp_path / "f.xls", head)
    assert sniff.sniff(path).kind == kind


def test_an_html_page_of_two_tables_reads_as_a_browser_stacks_them(tmp_path, sample):
    title, table = ROWS[:2], ROWS[2:]           # the title and 部门名称 line in a table of their own
    first = html_bytes(title).split(b"</table>")[0] + b"</table>"
    second = b"<table>" + html_bytes(table).split(b"<table border=1>")[1]
    page = first + b"<p>note</p>" + second
    batch, entry = beside_the_sample(tmp_path, sample, "教育局.xls", page)
    assert entry.status == "ok", entry.reason
    only_education_bureau(batch, "教育局.xls")


def test_a_huge_html_span_is_refused_at_once(tmp_path, sample):
    attack = b"<table>" + b"<tr><td colspan=1000 rowspan=65534>x</td></tr>" * 3 + b"</table>"
    batch, entry = beside_the_sample(tmp_path, sample, "span.xls", attack)
    assert entry.status == "rejected" and "疑似异常文件" in entry.reason


def test_utf16_without_a_bom_and_an_ods_renamed_xlsx(tmp_path, sample):
    import pandas as pd

    data = text_bytes(ROWS, encoding="utf-16-le", delimiter="\t")
    width = max(map(len, ROWS))
    ods = tmp_path / "real.ods"
    pd.DataFrame([r + [""] * (width - len(r)) for r in ROWS]).to_excel(ods, engine="odf", header=False, index=False)
    for name, content in (("无BOM.txt", data), ("表格.xlsx", ods.read_bytes())):
        batch, entry = beside_the_sample(tmp_path, sample, name, content)
        assert entry.status == "ok", entry.reason
        only_education_bureau(batch, name)
        (tmp_path / "in" / name).unlink()


def test_the_formats_benchmark_runs_and_its_attack_bounds_hold():
    import subprocess
    import sys

    from conftest import ROOT

    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "formats.py"), "--projects", "50", "--files", "10"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("ok   ") == 5 and "FAIL" not in done.stdout


@pytest.mark.parametrize("controls, text", [(40, True), (41, False)])
def test_text_with_more_control_bytes_than_one_in_a_hundred_is_binary(controls, text):
    """4,096 bytes of sample: 40 control bytes (tab, line ends, form feed, Ctrl-Z and ESC not counted)
    are tolerated in text, 41 are not."""
    sample = (b"\x01" * controls + b"\t\n\r\x0c\x1a\x1b" * 10 + b"a" * 4096)[:4096]
    assert (sniff.text_encoding(sample) is not None) is text
