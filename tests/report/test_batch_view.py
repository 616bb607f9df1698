"""report/batch_view.py: what the CLI summary counts of a checked batch, made once from the batch."""

from decimal import Decimal

from pipeline.findings import Finding
from pipeline.model import Amounts, Department, InputFile, Project, Source, SpendingUnit, Sum
from pipeline.read.batch import Batch
from pipeline.report.batch_view import FILE_LEVEL, batch_view, worst


def finding(severity: str, department: str | None, file: str = "a.xlsx") -> Finding:
    return Finding("empty_goal", severity, file, "Sheet1", "F7", department, None, "…")


def batch() -> Batch:
    def project(name, layout="table"):
        return Project("教育局", "第一中学", name, Amounts(Decimal("1.25")), "", Source("a.xlsx", "Sheet1", 7), {},
                       layout=layout)

    department = Department("教育局", "a.xlsx", "Sheet1", "万元", Amounts(Decimal("3")), None, {},
                            [SpendingUnit("第一中学", None, None, [project("甲"), project("乙", "form")])])
    inputs = [InputFile("a.xlsx", "x", "ok", None), InputFile("坏.xlsx", None, "rejected", "不是表格"),
              InputFile("说明.docx", None, "skipped", "不是表格")]
    findings = [finding("error", "教育局"), finding("warning", "教育局"), finding("error", None, "坏.xlsx"),
                finding("warning", None, "其他.xlsx")]
    return Batch(inputs=inputs, departments=[department], findings=findings)


def test_the_batch_is_counted_once():
    facts = batch_view(batch())
    assert dict(facts.files) == {"ok": 1, "rejected": 1, "skipped": 1}
    assert (facts.spending_units, facts.projects, facts.indicators, facts.forms) == (1, 2, 0, 1)
    assert facts.total == Sum(Decimal("2.50")) and facts.declared == Sum(Decimal("3"))
    assert (facts.severities["error"], facts.severities["warning"]) == (2, 2)
    assert facts.counts_of("教育局") == {"error": 1, "warning": 1} and facts.counts_of("卫生局") == {}
    assert facts.resubmit == 2                     # 教育局 and the file 坏.xlsx


def test_a_rejected_files_own_finding_is_left_to_the_files_not_read():
    facts = batch_view(batch())
    assert [(owner, len(found), dict(counts)) for owner, found, counts in facts.groups] == [
        ("教育局", 2, {"error": 1, "warning": 1}), (FILE_LEVEL, 1, {"warning": 1})]
    assert facts.listed == 3


def test_no_declared_total_anywhere_is_none_not_zero():
    b = batch()
    b.departments[0].declared_total = None
    assert batch_view(b).declared is None


def test_the_worst_severity_marks_a_department():
    assert [worst(batch_view(batch()).counts_of(o)) for o in ("教育局", FILE_LEVEL, "卫生局")] == [
        "error", "error", None]


def test_the_summary_counts_what_run_json_counts():
    """`pipeline check`'s summary and run.json (so every report) take their counts and status from one
    place: the same batch gives the same figures in both."""
    from pipeline.report.record import run_record
    b = batch()
    facts, counts = batch_view(b), run_record(b, "2026-11", "2026-11-25T18:00:00+08:00")["counts"]
    assert (facts.projects, facts.indicators) == (counts["projects"], counts["indicators"]) == (2, 0)
    assert [facts.severities[s] for s in ("error", "warning", "info")] == [
        counts["errors"], counts["warnings"], counts["infos"]] == [2, 2, 0]
    assert facts.status == "failed"
