"""report.html and summary.html: escaped, self-contained, e-mail safe, and showing run.json's totals,
checked as text and, where Chromium is installed, in a real headless browser."""

import re
import shutil
from decimal import Decimal

import openpyxl
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.findings import location
from pipeline.money import show
from pipeline.outputs import FORMULA_PREFIXES
from browser import open_page
from pipeline.report.html import LINE_LIMIT, fold_long_lines
from pipeline.run import run
from report_runs import PERIOD, SCRIPT, Run, run_tables

ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


def shown(amount: str) -> str:
    """An amount of run.json (an exact machine decimal) as the reports show it: 千分位, two decimals."""
    return show(Decimal(amount))

def escape(text: str) -> str:
    """Text as it reaches report.html: escaped by jinja2's autoescape (markupsafe: & < > " ')."""
    from markupsafe import escape as markup_escape

    return str(markup_escape(text))


def as_text(csv_value: str) -> str:
    """A CSV cell without its OWASP `'`: the report shows the name itself."""
    return csv_value[1:] if csv_value[:1] == "'" and csv_value[1:2] in FORMULA_PREFIXES else csv_value


def html(run: Run, name: str) -> str:
    return (run.folder / name).read_text(encoding="utf-8")


def data_values(page: str, attribute: str, value: str) -> list[str]:
    """Text of the elements marked data-<attribute>="<value>" (the totals the tests and the browser read)."""
    return [re.sub(r"<[^>]+>", "", m) for m in
            re.findall(rf'<[a-z]+[^>]* data-{attribute}="{value}"[^>]*>(.*?)</', page, re.S)]


# --- escaping ------------------------------------------------------------------------------------

def test_a_script_named_project_is_text_in_both_files(several):
    for name in ("report.html", "summary.html"):
        page = html(several, name)
        assert ESCAPED_SCRIPT in page, name
        assert "<script" not in page.lower(), name


# --- report.html -----------------------------------------------------------------------------------

def test_report_shows_run_json_totals(any_run):
    page = html(any_run, "report.html")
    record = any_run.record
    assert data_values(page, "total", "computed") == data_values(page, "total", "table-computed") == [
        shown(record["total"])]
    assert data_values(page, "amount", "computed") == [shown(d["total"]) for d in record["departments"]]
    for d in record["departments"]:
        assert f">{escape(d['name'])}</h2>" in page


def test_report_is_self_contained_and_needs_no_script(any_run):
    page = html(any_run, "report.html")
    assert "<script" not in page and "<link" not in page and "<iframe" not in page and "<img" not in page
    assert not re.search(r"\bsrc=|url\(|@import", page)
    # the only URL is the SVG namespace, which is a name, not something loaded
    assert set(re.findall(r"https?://[^\s\"'<>&]+", page)) <= {"http://www.w3.org/2000/svg", "http://x"}


def test_report_styles_are_embedded_and_it_prints_on_a4(sample_run):
    page = html(sample_run, "report.html")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    style = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert re.search(r"h2\s*\{[^}]*border-bottom", style[0])        # the page's own stylesheet, nothing fetched
    assert len(style) == 1 and "@media print" in style[0] and "@page" in style[0] and "A4" in style[0]
    assert "@media (max-width: 600px)" in style[0]
    # table cells, by far the most elements, are styled once in the block, not in every cell
    assert "@media all" in style[0] and not re.search(r"<t[dh][^>]* style=", page)


def test_report_has_an_svg_bar_chart_of_the_same_money(any_run):
    page = html(any_run, "report.html")
    (svg,) = re.findall(r"<svg.*?</svg>", page, re.S)
    bars = re.findall(r'<text class="chart-value"[^>]*>([\d.,-]+)</text>', svg)
    assert len(re.findall(r"<rect ", svg)) == len(bars) > 0
    assert sum(float(b.replace(",", "")) for b in bars) == pytest.approx(float(any_run.record["total"]), abs=0.01)
    kind = "项目" if len(any_run.record["departments"]) == 1 else "部门"
    assert f"各{kind}金额（万元）" in svg


def test_report_lists_projects_indicators_findings_and_checks(several):
    page = html(several, "report.html")
    # every project is a row of its department's table; a project with findings also shows its goal
    # and indicators (all projects' indicators are in report.xlsx), which keeps a city's page light
    for project in several.csv("projects.csv"):
        assert re.search(rf"<td class=\"name\">(<a [^>]*>)?{re.escape(escape(as_text(project['project'])))}<", page)
    flagged = {(f["department"], f["project"]) for f in several.record["findings"] if f["project"]}
    assert flagged
    for indicator in several.csv("indicators.csv"):
        if (indicator["department"], as_text(indicator["project"])) in flagged:
            assert re.search(rf"<td[^>]*>{re.escape(escape(indicator['name']))}</td>", page)
    for department, project in flagged:
        assert re.search(rf"<h3[^>]*>{re.escape(escape(project))} <span", page)
    # a finding's row shows its position once, in 位置, and its message without the （位置：…） it ends with
    for finding in several.record["findings"]:
        where = location(finding["file"], finding["sheet"], finding["cell"])
        text = finding["message"].removesuffix(f"（位置：{where}）")
        assert f'<td class="where" data-label="位置">{escape(where)}</td>' in page
        assert f'<td data-label="说明">{escape(text)}</td>' in page
    assert any(f["message"].endswith("）") and "（位置：" in f["message"] for f in several.record["findings"])
    assert "（位置：" not in page.split('data-label="说明">', 1)[1].split("</td>", 1)[0]
    assert "不符 5 项" in page and "见 report.xlsx 的「核对」表" in page


# --- summary.html ------------------------------------------------------------------------------------

def test_summary_is_an_email_body(any_run):
    page = html(any_run, "summary.html")
    assert max(len(line.encode("utf-8")) for line in page.splitlines()) <= LINE_LIMIT
    assert "<svg" not in page and "<style" not in page and "<script" not in page and "<img" not in page
    cells = re.findall(r"<t[dh][ >][^>]*>", page)
    assert cells and all('style="' in cell for cell in cells)          # nothing relies on a <style> block
    assert data_values(page, "total", "computed") == [f"{shown(any_run.record['total'])} 万元"]
    assert data_values(page, "total", "table-computed") == [shown(any_run.record["total"])]
    assert data_values(page, "amount", "computed") == [shown(d["total"]) for d in any_run.record["departments"]]
    assert f'data-findings="{len(any_run.record["findings"])}"' in page


def test_summary_quotes_the_most_serious_findings(several):
    page = html(several, "summary.html")
    errors = [f for f in several.record["findings"] if f["severity"] == "error"]
    assert all(escape(f["message"][:50]) in page for f in errors)
    quoted = page[page.index('id="top-findings"'):]
    assert quoted.index(">错误<") < quoted.index(">警告<")


def test_long_lines_fold_without_changing_what_is_shown():
    text = "很长的部门名称" * 400 + "&amp;" + "x" * 3000
    page = f"<table><tr><td>{text}</td><td>{'<b>粗</b>' * 300}</td></tr></table>"
    folded = fold_long_lines(page)
    assert max(len(line.encode("utf-8")) for line in folded.split("\n")) <= LINE_LIMIT
    assert folded.replace("<!--\n-->", "") == page
    assert "&amp;" in folded.replace("<!--\n-->", "") and "<b>粗</b>" in folded


def test_a_very_long_department_name_keeps_the_email_within_998_bytes(tmp_path):
    from builders import Dept, Proj

    name = "某区" + "超长名称" * 300 + "局"
    run_result = run_tables(tmp_path, Dept(name, [(name, [Proj("培训经费", fiscal="1.00")])]))
    page = html(run_result, "summary.html")
    assert max(len(line.encode("utf-8")) for line in page.splitlines()) <= LINE_LIMIT
    assert name in page.replace("<!--\n-->", "")


# --- runs without tables, writers, --open ------------------------------------------------------------

def test_a_run_without_readable_tables_still_writes_reports(tmp_path):
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "坏.xlsx").write_bytes(b"not a workbook")
    result = run(tmp_path / "inputs", tmp_path / "outputs", PERIOD)
    folder = result.folder
    assert data_values((folder / "report.html").read_text(encoding="utf-8"), "total", "computed") == ["0.00"]
    assert "<svg" not in (folder / "report.html").read_text(encoding="utf-8")
    summary = openpyxl.load_workbook(folder / "report.xlsx", data_only=True)["汇总"]
    assert [c.value for c in summary[7]][:5] == ["合计", 0, 0, None, 0]
    assert list((folder / "departments").iterdir()) == []


def test_writers_can_be_chosen(tmp_path):
    from conftest import SAMPLE

    (tmp_path / "inputs").mkdir()
    shutil.copy(SAMPLE, tmp_path / "inputs")
    folder = run(tmp_path / "inputs", tmp_path / "outputs", PERIOD, writers=[]).folder
    assert sorted(p.name for p in folder.iterdir()) == ["findings.csv", "indicators.csv", "projects.csv", "run.json"]


@pytest.mark.parametrize("flag, opened", [(["--open"], True), ([], False)])
def test_run_open_shows_report_html_in_the_browser(tmp_path, monkeypatch, flag, opened):
    from conftest import SAMPLE

    calls = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: calls.append(url) or False)
    (tmp_path / "in").mkdir()
    shutil.copy(SAMPLE, tmp_path / "in")
    result = CliRunner().invoke(app, ["run", "-i", str(tmp_path / "in"), "-o", str(tmp_path / "out"),
                                      "-p", PERIOD, *flag])
    assert result.exit_code == 0, result.output
    report = (tmp_path / "out" / PERIOD / "report.html").resolve()
    assert calls == ([report.as_uri()] if opened else [])


# --- in a real browser -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["report.html", "summary.html"])
def test_pages_load_in_chromium_and_show_run_json_totals(browser, any_run, name):
    page, problems = open_page(browser, any_run.folder / name)
    record = any_run.record
    total = page.locator('[data-total="computed"]').inner_text()
    assert total.removesuffix(" 万元") == shown(record["total"])
    assert page.locator('[data-total="table-computed"]').inner_text() == shown(record["total"])
    assert page.locator('[data-amount="computed"]').all_inner_texts() == [shown(d["total"]) for d in record["departments"]]
    assert problems == []
    page.close()


def test_script_named_project_does_not_run_in_chromium(browser, several):
    for name in ("report.html", "summary.html"):
        page, problems = open_page(browser, several.folder / name)
        assert SCRIPT in page.locator("body").inner_text() and problems == []
        page.close()


def test_report_fits_a_phone_and_prints(browser, sample_run):
    page, problems = open_page(browser, sample_run.folder / "report.html", width=390)
    # wide tables scroll inside their own box; the page itself never scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 14
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF") and problems == []
    page.close()
