"""Never cut text silently: a text longer than an Excel cell holds is a finding, the CSV files keep
it whole, and the workbooks write it shortened with a note saying so."""

import csv
import shutil

import pytest

from builders import Dept, Proj, long_rows, write_text
from pipeline.money import fmt
from pipeline.excel_cell import EXCEL_CELL_CHARS, SHORTENED, pack_indicators
from pipeline.run import run

SAMPLE_NAME = "广州市荔湾区信访局.xlsx"
MANY = 1_027


@pytest.fixture(scope="module")
def long_run(tmp_path_factory):
    from conftest import SAMPLE

    tmp_path = tmp_path_factory.mktemp("long")
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SAMPLE, inputs / SAMPLE_NAME)
    indicators = [("1-产出指标", "11-数量指标", f"培训人次第{n:04d}项", "≥100人次", "≥100人次") for n in range(MANY)]
    indicators[1:3] = [("2-效益指标", "22-社会效益", "政策知晓率", "≥90%", "≥90%"),
                       ("3-满意度指标", "31-服务对象满意度", "群众满意度", "≥85%", "≥85%")]
    goal = "提升服务水平。" * 5_000            # 35,000 characters
    dept = Dept("某区长文局", [("某区长文局", [Proj("长项目", fiscal="10", goal=goal, indicators=indicators),
                                            Proj("短项目", fiscal="5")])])
    rows, _ = long_rows(dept)
    write_text(inputs / "长文局.csv", rows)
    result = run(inputs, tmp_path / "out", "2026-11")
    return result, goal


def test_the_texts_too_long_are_findings_once(long_run):
    result, goal = long_run
    found = [f for f in result.batch.findings if f.code == "text_too_long"]
    assert sorted((f.project, f.severity) for f in found) == [("长项目", "warning")] * 2
    messages = " ".join(f.message for f in found)
    assert f"绩效目标共 {len(goal):,} 字" in messages and "绩效指标（合并为一格）共" in messages
    assert all("32,767" in f.message and f.cell for f in found)


def test_the_csv_files_keep_the_whole_text(long_run):
    result, goal = long_run
    with (result.folder / "projects.csv").open(encoding="utf-8-sig", newline="") as handle:
        projects = {row["project"]: row for row in csv.DictReader(handle)}
    assert projects["长项目"]["goal"] == goal
    with (result.folder / "indicators.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert sum(row["project"] == "长项目" for row in csv.DictReader(handle)) == MANY


def test_the_department_workbook_says_the_cell_is_shortened(long_run):
    import openpyxl

    result, goal = long_run
    (department,) = [d for d in result.batch.departments if d.name == "某区长文局"]
    packed = pack_indicators(department.projects[0].indicators)
    assert len(packed) > EXCEL_CELL_CHARS
    sheet = openpyxl.load_workbook(result.folder / "departments" / "某区长文局.xlsx").active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "长项目")
    for written, full in ((row[5], goal), (row[6], packed)):
        assert len(written) <= EXCEL_CELL_CHARS and written.endswith(SHORTENED)
        kept = written[:-len(SHORTENED)]
        assert full.startswith(kept) and kept.endswith("。")     # cut at the end of an indicator
    assert next(r for r in sheet.iter_rows(values_only=True) if r[0] == "短项目")[6].endswith("。")


def test_report_xlsx_shortens_the_goal_and_keeps_every_indicator_row(long_run):
    import openpyxl

    result, goal = long_run
    book = openpyxl.load_workbook(result.folder / "report.xlsx", read_only=True)
    projects = list(book["项目"].iter_rows(values_only=True))
    goal_column = projects[0].index("绩效目标")
    (written,) = [r[goal_column] for r in projects if r[2] == "长项目"]
    assert written.endswith(SHORTENED) and len(written) <= EXCEL_CELL_CHARS
    assert sum(1 for r in book["绩效指标"].iter_rows(values_only=True) if r[2] == "长项目") == MANY


def test_the_sample_beside_it_is_whole(long_run):
    result, _ = long_run
    (sample,) = [d for d in result.batch.departments if d.file == SAMPLE_NAME]
    assert (len(sample.projects), fmt(sample.total)) == (10, "308.00")


@pytest.mark.parametrize("count, codes", [(1, True), (3, False), (12, True), (1_027, True)])
def test_the_packed_cell_is_made_only_when_it_could_be_too_long(count, codes):
    """`packed_length_bound` never says less than the packed cell holds (when it did, a packed cell
    over the limit would go unreported): every item's number, dashes, labels and punctuation counted."""
    from pipeline.model import Indicator, Source
    from pipeline.review.cell_length import packed_length_bound

    def item(seq):
        return Indicator(seq, "12" if codes else "", "产出指标", "121" if codes else "", "质量指标", f"合格率{seq}",
                         "≥90%", "≥95%", "≥", None, "%", "quantitative", Source("a.xlsx", "S", 1))

    indicators = [item(n) for n in range(1, count + 1)]
    packed = len(pack_indicators(indicators))
    assert packed <= packed_length_bound(indicators) <= packed + 32 * count
