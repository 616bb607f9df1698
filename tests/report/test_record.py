"""report/record.py: run.json's counts are made once, where the rest of the record is."""

from dataclasses import replace

from conftest import SAMPLE
from pipeline.report.record import run_record
from pipeline.run import check


def test_the_sample_is_counted_once_in_run_json():
    record = run_record(check([SAMPLE]), "2026-11", "2026-11-25T18:00:00+08:00")
    assert record["counts"] == {"departments": 1, "projects": 10, "indicators": 33,
                                "findings": len(record["findings"]), "errors": 0, "warnings": 6, "infos": 0}
    assert record["status"] == "warnings"        # decided from the counts
    assert list(record)[-1] == "counts"          # a new key comes after every existing one


def test_an_error_is_counted_and_info_is_only_a_finding():
    batch = check([SAMPLE])
    first = batch.findings[0]
    batch.findings += [replace(first, severity="error"), replace(first, severity="info")]
    record = run_record(batch, "2026-11", "t")
    counts = record["counts"]
    assert (counts["errors"], counts["warnings"], counts["infos"], counts["findings"]) == (1, 6, 1, len(batch.findings))
    assert record["status"] == "failed"
