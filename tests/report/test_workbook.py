"""Printed right by construction: every cell of report.xlsx and departments/*.xlsx fits its column and
row (no ###, no cut text), and, where LibreOffice is installed, its PDF holds every text in full."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from fits import misfits
from pipeline.excel_cell import EXCEL_CELL_CHARS, fit_row
from pipeline.report import workbook
from pipeline.report.workbook import Column, RowFit, column_widths, line_count, shown, text_width


def test_a_six_digit_total_in_bold_with_thousands_separators_fits():
    widths = column_widths([Column("合计（计算）", "money")], [[916986.38], [123456789.12]], bold_rows={1})
    assert widths[0] >= text_width(shown(123456789.12, "money"), bold=True)
    assert shown(123456789.12, "money") == "123,456,789.12"


def test_a_cut_text_is_not_printed_in_full():
    assert printed_in_full("通过实施本项目，保障系统运行。", "甲乙通过实施本项目，丙丁保障系统运行。戊")
    assert not printed_in_full("通过实施本项目，保障系统运行。", "甲乙通过实施本项目，丙丁")


def test_wrapped_text_counts_lines_by_character_width():
    assert line_count("某" * 20, 21.5) == 2                  # 20 wide characters take 38 units: two lines of 20
    assert line_count("短", 10) == 1 and line_count("一\n二\n三", 30) == 3
    assert line_count("x" * 50, 11.5) == 5                  # a word longer than a line breaks inside it


def test_every_cell_of_every_workbook_fits(several, sample_run):
    for run in (several, sample_run):
        books = [run.folder / "report.xlsx", *sorted((run.folder / "departments").glob("*.xlsx"))]
        for book in books:
            assert misfits(book) == [], book.name


def test_department_workbooks_say_the_period_and_mark_what_to_fix(several):
    folder = several.folder / "departments"
    failing = openpyxl.load_workbook(folder / "某区卫生健康局.xlsx")
    assert failing.sheetnames == ["项目支出绩效目标表", "修改意见"]
    table = failing["项目支出绩效目标表"]
    assert table["E2"].value == "期间：2026-11" and table["G2"].value == "单位：万元"
    assert table.oddHeader.center.text == "期间：2026-11"
    marked = [c.coordinate for row in table.iter_rows(min_row=4) for c in row
              if c.fill.fgColor.rgb and c.fill.fgColor.rgb.endswith("FFC7CE")]
    advice = [list(r) for r in failing["修改意见"].iter_rows(min_row=2, values_only=True)]
    assert advice and {r[2] for r in advice if r[2]} <= set(marked) and marked
    assert all(r[4] and "_" not in r[4] and r[5] for r in advice)  # the problem's Chinese name and what to do
    clean = openpyxl.load_workbook(folder / "某区教育局.xlsx")
    assert clean.sheetnames == ["项目支出绩效目标表"]
    assert not [c for row in clean.active.iter_rows(min_row=4) for c in row
                if c.fill.fgColor.rgb and c.fill.fgColor.rgb.endswith("FFC7CE")]


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A 20-department batch (benchmarks/corpus.py) with the bundled sample and a failing department."""
    import sys

    from builders import education_bureau, published_rows, write_text
    from conftest import ROOT, SAMPLE
    from pipeline.run import run

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import generate

    root = tmp_path_factory.mktemp("city")
    generate(18, root / "in", broken_fraction=0.0, projects=6)
    shutil.copy(SAMPLE, root / "in")
    wrong = education_bureau()
    wrong.declared = "1.00"
    write_text(root / "in" / "教育.csv", published_rows(wrong))
    return run(root / "in", root / "out", "2026-11")


def _pdf_text(book: Path, outdir: Path) -> str:
    home = outdir / "home"
    subprocess.run([_soffice(), "--headless", "--convert-to", "pdf", "--outdir", str(outdir), str(book)],
                   check=True, capture_output=True, timeout=240, env={"HOME": str(home), "PATH": "/usr/bin:/bin"})
    pdf = outdir / f"{book.stem}.pdf"
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed_in_full(value: str, printed: str) -> bool:
    """The whole text is in the PDF: pdftotext reads a table line by line, so the lines of cells side by
    side interleave; the text must then appear in order, starting where its first line does and within
    a short stretch (a cut cell loses its last lines)."""
    value = _squeezed(value)
    if value in printed:
        return True
    start = printed.find(value[:6])
    while start >= 0:
        stretch, at = printed[start:start + 8 * len(value)], 0
        for ch in value:
            at = stretch.find(ch, at) + 1
            if at == 0:
                break
        else:
            return True
        start = printed.find(value[:6], start + 1)
    return False


def test_libreoffice_prints_every_text_in_full(city, tmp_path):
    if _soffice() is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and poppler-utils are not installed (.ci/run installs them)")
    folder = city.folder
    for book in [folder / "report.xlsx", *sorted((folder / "departments").glob("*.xlsx"))[:6]]:
        assert misfits(book) == [], book.name
        text = _pdf_text(book, tmp_path)
        assert "###" not in text, book.name
        printed = _squeezed(text)
        wb = openpyxl.load_workbook(book, data_only=True)
        sheets = ["汇总", "问题清单", "项目"] if book.name == "report.xlsx" else wb.sheetnames
        for ws in (wb[name] for name in sheets):
            area = ws.print_area
            last = int(re.findall(r"\d+", area[0] if isinstance(area, list) else area)[-1]) if area else ws.max_row
            for row in ws.iter_rows(min_row=2, max_row=last, values_only=True):
                for value in row:
                    if isinstance(value, str) and len(value) > 4:     # every goal, indicator and message in full
                        assert printed_in_full(value, printed), (book.name, ws.title, value[:40])


def test_the_screenshots_are_regenerated_by_the_documented_command(tmp_path):
    from conftest import ROOT

    docs = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    assert "python tools/screenshots.py" in docs
    shots = ["report-xlsx.png", "department-xlsx.png", "report-html-390.png", "email-390.png"]
    assert all(f"screenshots/{name}" in docs and (ROOT / "docs" / "screenshots" / name).is_file() for name in shots)
    if _soffice() is None or shutil.which("pdftoppm") is None or shutil.which("chromium") is None:
        pytest.skip("LibreOffice, poppler-utils or Chromium is not installed (.ci/run installs them)")
    import sys

    done = subprocess.run([sys.executable, str(ROOT / "tools" / "screenshots.py"), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    for name in shots:
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_row_fit_gives_each_row_the_lines_of_its_tallest_text_whatever_it_measured_before(monkeypatch):
    monkeypatch.setattr(workbook, "KEPT_TEXTS", 3)      # so that the kept line counts are dropped mid-way
    columns = [Column("一级", "text", cap=8), Column("说明", "wrap"), Column("金额", "money")]
    widths = [8.0, 20.0, 12.0]
    texts = ["产出指标", "经济效益指标和社会效益指标", "满意度指标" * 3, "a" * 40, "短", "可持续影响指标" * 2]
    rows = [[texts[(n * 5) % 6], texts[(n * 7 + 1) % 6] + "\n第二行" * (n % 3), float(n)] for n in range(40)]
    fit = RowFit(columns, widths)
    for row in rows:
        expected = max(line_count(row[0], 8.0), line_count(row[1], 20.0))
        assert fit.lines(row) == expected, row


def test_column_widths_are_those_of_the_widest_shown_value_in_any_row_order():
    columns = [Column("部门", "short"), Column("金额", "money"), Column("序号", "count"), Column("说明", "wrap")]
    rows = [["财政局", 1234567.891, 3, "短"], ["a", 1.0, 12345, "这是一段很长的说明文字，需要换行才能放下" * 2],
            ["某区第一人民医院", None, None, ""]]
    forward = column_widths(columns, rows)
    assert forward == column_widths(columns, rows[::-1])
    assert forward[0] == round(text_width("某区第一人民医院") + workbook.CELL_PADDING, 1)
    assert forward[1] == round(text_width("1,234,567.89") + workbook.CELL_PADDING, 1)
    assert forward[3] == workbook.WIDTH_CAP["wrap"]


def test_fit_row_shortens_only_rows_with_an_over_long_text():
    row = ["短", 1.5, None]
    assert fit_row(row) is row
    long_row = ["短", "字" * (EXCEL_CELL_CHARS + 5), 2]
    fitted = fit_row(long_row)
    assert fitted[0] == "短" and fitted[2] == 2 and len(fitted[1]) <= EXCEL_CELL_CHARS


def test_column_widths_taken_from_distinct_values_are_those_taken_row_by_row(monkeypatch):
    import random
    rng = random.Random(16)
    columns = [Column("部门"), Column("金额", "money"), Column("目标值", "number"), Column("说明", "wrap", cap=24),
               Column("来源", "small")]
    words = ["财政局", "某区第一人民医院", "ab", "满意度≥95%", "一二三四五六七八九十" * 3, "x" * 50]
    numbers = [0.0, -0.0, 1, 1.0, True, 12345.678, -98765.4321, None]
    rows = [[rng.choice(words), rng.choice(numbers), rng.choice(numbers), rng.choice(words + [""]),
             rng.choice(words)] for _ in range(3000)]
    # equal values shown differently are each measured: 1e20 shows as 1e+20, 10**20 with 千分位
    assert column_widths(columns[2:3], [[1e20], [10**20]]) == column_widths(columns[2:3], [[10**20]])
    assert column_widths(columns[1:2], [[0.0], [-0.0]]) == column_widths(columns[1:2], [[-0.0]])
    chunked = column_widths(columns, rows)
    monkeypatch.setattr(workbook, "CHUNK_ROWS", 1)         # one row at a time: each value measured as it comes
    assert chunked == column_widths(columns, rows)
