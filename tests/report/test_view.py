"""Reports are built from the exact amounts and the run's one status: a difference below 0.01 万元 is
shown as it is, every output says the same status in the same words, and people read one money format."""

import re
from decimal import Decimal

import openpyxl

from builders import Dept, Proj, published_rows, write_text
from pipeline.deliver.email import subject_line, text_body
from pipeline.report.text import summary_lines
from pipeline.run import run
from pipeline.settings import Settings
from pipeline.vocabulary import STATUS_LABELS

SEED_NAME = "广州市荔湾区信访局"


def run_sample(tmp_path, sample, controls_amount: str):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / sample.name).write_bytes(sample.read_bytes())
    controls = write_text(tmp_path / "控制数.csv", [["部门名称", "控制数"], [SEED_NAME, controls_amount]])
    return run(inputs, tmp_path / "out", "2026-11", settings=Settings(controls=controls))


def test_a_control_figure_a_ten_thousandth_off_shows_its_difference(tmp_path, sample):
    result = run_sample(tmp_path, sample, "308.0001")
    (finding,) = [f for f in result.batch.findings if f.code == "control_total_mismatch"]
    assert "与控制数 308.0001 万元不符，少于控制数 0.0001 万元" in finding.message
    sheet = openpyxl.load_workbook(result.folder / "report.xlsx")["汇总"]
    row = [c for c in sheet[7]]
    assert [c.value for c in row[:8]] == [SEED_NAME, 10, 33, 308, 308, 308.0001, -0.0001, "未通过"]
    assert row[6].number_format == "#,##0.00####"          # Excel shows -0.0001, not -0.00
    page = (result.folder / "report.html").read_text(encoding="utf-8")
    assert '<td class="num" data-amount="difference">-0.0001</td>' in page
    assert '<td class="num">308.0001</td>' in page
    assert result.record["departments"][0]["control_total"] == "308.0001"


def test_a_cent_off_in_a_yuan_table_shows_its_true_difference_in_the_report(tmp_path):
    dept = Dept("某局", [("某局", [Proj("甲", fiscal="1.000000", total="1.000001")])], money_unit="元",
                declared="1.000001")
    dept.unit_totals = {"某局": "1.000001"}
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_text(inputs / "t.csv", published_rows(dept, style="text"))
    result = run(inputs, tmp_path / "out", "2026-11")
    page = (result.folder / "report.html").read_text(encoding="utf-8")
    failed = re.findall(r'<tr class="failed"><td>某局</td><td>总计</td><td>项目「甲」的总计与分项之和</td>(.*?)</tr>', page)
    assert failed and failed[0].startswith(
        '<td class="num">1.00</td><td class="num">1.000001</td><td class="num">0.000001</td>')
    checks = openpyxl.load_workbook(result.folder / "report.xlsx")["核对"]
    (row,) = [[c.value for c in r] for r in checks.iter_rows(min_row=2) if r[2].value == "项目「甲」的总计与分项之和"]
    assert row[3:6] == [1.0, 1.000001, 0.000001] and row[7] == "不符"


def test_one_status_in_every_output(tmp_path, sample):
    result = run_sample(tmp_path, sample, "308.00")            # the sample: six warnings, no error
    assert result.record["status"] == "warnings"
    label = STATUS_LABELS["warnings"]
    assert label == "有警告" and summary_lines(result.batch)[-1] == f"状态：{label}"
    assert f"状态：{label}" in openpyxl.load_workbook(result.folder / "report.xlsx")["汇总"]["A2"].value
    for name in ("report.html", "summary.html"):
        assert f">{label}</span>" in (result.folder / name).read_text(encoding="utf-8")
    assert subject_line(result.record, "{status}") == label
    assert f"状态：{label}\n" in text_body(result.record, [])


def test_people_read_one_money_format_in_the_subject_and_the_body():
    record = {"period": "2026-11", "started": "2026-11-25T18:00:00+08:00", "status": "ok", "total": "1234.56",
              "total_unknown": 0, "findings": [],
              "departments": [{"name": "某局", "projects": 1, "indicators": 3, "total": "1234.56",
                               "declared_total": "1234.56", "total_unknown": 0}]}
    assert subject_line(record, "合计 {total} 万元") == "合计 1,234.56 万元"
    body = text_body(record, [])
    assert "合计：1,234.56 万元（" in body and "计算 1,234.56 万元，申报 1,234.56 万元" in body
    assert "1234.56" not in body
    unknown = {**record, "total": "298.00", "total_unknown": 1}
    assert "合计：298.00 万元（另有 1 个金额无法读取，未计入）（部门 1 个" in text_body(unknown, [])


def test_the_cli_summary_uses_thousands_separators(tmp_path):
    dept = Dept("某局", [("某局", [Proj("甲", fiscal="1234.56")])])
    path = write_text(tmp_path / "t.csv", published_rows(dept))
    from pipeline.run import check

    lines = summary_lines(check([path]))
    assert "合计 1,234.56 万元（各部门合计行申报 1,234.56 万元）" in lines
    assert Decimal("1234.56") == check([path]).total



def test_the_reports_show_the_views_counts(sample_run):
    """The sample: one department with six warnings and no error; 10 projects with 33 indicators."""
    page = (sample_run.folder / "report.html").read_text(encoding="utf-8")
    assert '<div class="card-value" data-resubmit="0">0 / 1 / 0</div>' in page     # 须退回 / 有警告 / 通过
    summary = (sample_run.folder / "summary.html").read_text(encoding="utf-8")
    assert "须退回 0，有警告 1，通过 0" in summary
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(sample_run.folder / "report.xlsx")["项目"].iter_rows()]
    header, body, total = rows[0], rows[1:-1], rows[-1]
    indicators, findings = header.index("指标数"), header.index("问题数")
    assert total[0] == "合计（10 个项目）" and total[indicators] == 33 == sum(r[indicators] for r in body)
    assert total[findings] == sum(r[findings] for r in body) == 6
