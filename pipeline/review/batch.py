"""Review a read batch: reconcile the money, apply the rules and the control figures, then the severities."""

from __future__ import annotations

from decimal import Decimal

from pipeline.findings import with_severities
from pipeline.read.batch import Batch
from pipeline.review.cell_length import texts_too_long
from pipeline.review.controls import Controls, check_controls, check_expected_total, control_totals
from pipeline.review.plausibility import check_plausibility
from pipeline.review.reconcile import reconcile
from pipeline.review.rules.forms import form_checks, review_forms
from pipeline.review.rules.kit import map_levels
from pipeline.review.rules.project import review
from pipeline.settings import DEFAULT_MAX_PROJECT_AMOUNT, Settings


def reconcile_batch(batch: Batch, max_project_amount: Decimal = DEFAULT_MAX_PROJECT_AMOUNT) -> Batch:
    """Check that every department's money adds up; every check is recorded on the batch. Amounts above
    the ceiling are reported first and taken as unknown, so no check or total uses them."""
    with batch.timings.stage("reconcile"):
        batch.findings.extend(check_plausibility(batch.departments, max_project_amount))
        for department in batch.departments:
            checks, findings = reconcile(department)
            batch.checks.extend(checks)
            batch.findings.extend(findings)
        batch.checks.extend(form_checks(batch.departments))   # a form's annual total and 小计 lines
    return batch


def review_batch(batch: Batch, settings: Settings, controls: Controls | None, label: str) -> None:
    """Reconcile, add the reviewer's rules and the control figures, then the severity overrides.
    `label` names the inputs in an `expected_total_mismatch` when there is not exactly one department."""
    reconcile_batch(batch, settings.max_project_amount)
    with batch.timings.stage("rules"):
        map_levels((p for d in batch.departments for p in d.projects), settings)
        batch.findings.extend(review(batch.departments, settings))
        batch.findings.extend(review_forms(batch.departments, settings))
        batch.findings.extend(texts_too_long(batch.departments))
    if controls is not None:
        batch.control_totals = control_totals(batch.departments, controls)
        batch.findings.extend(check_controls(batch.departments, controls))
    if settings.expect_total is not None:
        file = batch.departments[0].file if len(batch.departments) == 1 else label
        batch.findings.extend(check_expected_total(batch.total, settings.expect_total, file=file,
                                                    incomplete=any(d.incomplete for d in batch.departments)))
    batch.findings = with_severities(batch.findings, dict(settings.severities))
