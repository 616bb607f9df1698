"""Reviewing a read batch (review/batch.py): reconciling alone adds checks, the review adds the rules, the control
figure and the expected total, then the severity overrides."""

from decimal import Decimal
from types import MappingProxyType

from pipeline.read.batch import read_batch
from pipeline.review.batch import reconcile_batch, review_batch
from pipeline.settings import Settings


def test_reconciling_the_sample_checks_its_money_and_applies_no_rule(sample):
    batch = reconcile_batch(read_batch([sample]))
    assert batch.checks and all(c.passed for c in batch.checks)
    assert [f for f in batch.findings if f.severity != "info"] == []
    assert "rules" not in batch.timings and "reconcile" in batch.timings


def test_reviewing_the_sample_gives_its_six_warnings(sample):
    batch = read_batch([sample])
    review_batch(batch, Settings(), None, "inputs")
    warnings = [f for f in batch.findings if f.severity == "warning"]
    assert len(warnings) == 6 and not [f for f in batch.findings if f.severity == "error"]
    assert {"reconcile", "rules"} <= set(batch.timings)
    assert all(i.level1_framework for i in batch.departments[0].indicators)      # levels mapped


def test_an_expected_total_that_differs_and_a_severity_override_are_applied_last(sample):
    plain = read_batch([sample])
    review_batch(plain, Settings(), None, "inputs")
    code = next(f.code for f in plain.findings if f.severity == "warning")
    batch = read_batch([sample])
    review_batch(batch, Settings(expect_total=Decimal("300"), severities=MappingProxyType({code: "error"})),
                 None, "inputs")
    (mismatch,) = [f for f in batch.findings if f.code == "expected_total_mismatch"]
    assert mismatch.file == "广州市荔湾区信访局.xlsx" and "300" in mismatch.message
    assert {f.severity for f in batch.findings if f.code == code} == {"error"}
