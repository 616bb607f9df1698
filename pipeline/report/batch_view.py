"""The view of a checked batch that the CLI summary prints (`report/text.py`): every count, sum, group
and mark it shows, made here from the batch alone, since `pipeline check` has no run record and so no
`view.ReportView`. The text only words them. Its counts and status are run.json's own
(`record.batch_counts`, `record.run_status`), so the summary and the reports cannot disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.findings import ERROR, INFO, WARNING, Finding
from pipeline.model import Sum, grand_total
from pipeline.read.batch import Batch
from pipeline.report.record import batch_counts, run_status

FILE_LEVEL = "（文件）"                              # findings about a file rather than a department


def worst(counts: Counter) -> str | None:
    """The worst severity among counted findings that marks a department: error, warning or None."""
    return ERROR if counts[ERROR] else WARNING if counts[WARNING] else None


@dataclass(frozen=True, slots=True)
class BatchView:
    files: Counter                 # input status (ok, rejected, skipped) -> files
    spending_units: int
    projects: int
    indicators: int
    forms: int                     # projects read from per-project forms
    total: Sum                     # the departments' computed totals
    declared: Sum | None           # their 合计 rows; None when no department has one
    severities: Counter            # severity -> findings
    by_owner: dict[str, Counter]   # department (FILE_LEVEL for a file's own) -> severity -> findings
    # the findings the summary lists, by department: a rejected file's own is left to the files not read
    groups: list[tuple[str, list[Finding], Counter]]
    resubmit: int                  # departments or files with an error: they must resubmit
    status: str                    # the batch's one status: ok | warnings | failed (record.run_status)

    @property
    def listed(self) -> int:
        return sum(len(found) for _, found, _ in self.groups)

    def counts_of(self, owner: str) -> Counter:
        """A department's findings by severity (none: an empty count)."""
        return self.by_owner.get(owner, Counter())


def batch_view(batch: Batch) -> BatchView:
    departments = batch.departments
    declared = [d.declared_total.total for d in departments if d.declared_total is not None]
    by_owner: dict[str, Counter] = {}
    for f in batch.findings:
        by_owner.setdefault(f.department or FILE_LEVEL, Counter())[f.severity] += 1
    counts = batch_counts(batch)
    rejected = {i.file for i in batch.inputs if i.status == "rejected"}
    listed: dict[str, list[Finding]] = {}
    for f in batch.findings:
        if not (f.department is None and f.file in rejected):
            listed.setdefault(f.department or FILE_LEVEL, []).append(f)
    return BatchView(
        files=Counter(i.status for i in batch.inputs),
        spending_units=sum(len(d.spending_units) for d in departments),
        projects=counts["projects"], indicators=counts["indicators"],
        forms=sum(1 for d in departments for p in d.projects if p.layout == "form"),
        total=grand_total(departments), declared=Sum.of(declared) if any(d.declared_total for d in departments) else None,
        severities=Counter({ERROR: counts["errors"], WARNING: counts["warnings"], INFO: counts["infos"]}),
        by_owner=by_owner,
        groups=[(owner, found, Counter(f.severity for f in found)) for owner, found in listed.items()],
        resubmit=len({f.department or f.file for f in batch.findings if f.severity == ERROR}),
        status=run_status(counts))
