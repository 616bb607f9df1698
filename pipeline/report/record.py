"""The public tables: projects, indicators and findings as rows, and run.json as a dict.

Column names and keys here are a public interface (documented in docs/outputs.md). Amounts are plain
machine decimals in 万元 (no thousands separators): the CSV rows have two decimals, run.json's amounts
are exact (two decimals, more when the amount has 分 below 0.01 万元). An amount that could not be read
is an empty cell (null in run.json), and the project row's `unreadable` names its columns.
`source_row` is the 1-based row a spreadsheet program shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from pipeline.read.batch import Batch
from pipeline.findings import ERROR, INFO, WARNING, params_text
from pipeline.money import fmt, fmt_exact
from pipeline.review.rows import DepartmentLine, department_lines, indicator_lines, indicator_total, project_lines
from pipeline.vocabulary import status_of

PROJECT_COLUMNS = ["department", "spending_unit", "project", "total", "fiscal", "special_account", "other",
                   "goal", "indicators", "source_file", "source_sheet", "source_row", "unreadable",
                   # added with the per-project forms (columns are only ever added at the end)
                   "layout", "period_total", "period_start", "period_end", "period_goal", "source_range"]
INDICATOR_COLUMNS = ["department", "spending_unit", "project", "seq", "level1_code", "level1", "level2_code",
                     "level2", "name", "period_value", "annual_value", "operator", "target", "unit", "kind",
                     "source_file", "source_sheet", "source_row", "layout", "source_cell", "level1_framework",
                     "level2_framework"]
FINDING_COLUMNS = ["code", "severity", "file", "sheet", "cell", "department", "project", "message",
                   "params"]   # the finding's parameters as a JSON object (docs/outputs.md)
# columns we compute ourselves (numbers, the operator sign): never neutralised as formula-like text
SAFE_COLUMNS = {"total", "fiscal", "special_account", "other", "indicators", "seq", "operator", "target",
                "source_row", "unreadable", "layout", "period_total", "period_start", "period_end", "source_range",
                "source_cell"}


def project_rows(batch: Batch) -> Iterator[dict]:
    """One dict per project, made as the CSV writer asks for it (never the whole table at once)."""
    return (
        {"department": p.department, "spending_unit": p.spending_unit, "project": p.name,
         "total": fmt(p.amounts.total), "fiscal": fmt(p.amounts.fiscal),
         "special_account": fmt(p.amounts.special_account), "other": fmt(p.amounts.other),
         "goal": p.goal, "indicators": len(p.indicators), "source_file": p.source.file,
         "source_sheet": p.source.sheet, "source_row": p.source.row,
         # the columns whose amount could not be read (left empty above): `fiscal`, `total other`
         "unreadable": " ".join(p.unknown),
         "layout": p.layout, "period_total": fmt(p.period_total), "period_start": p.period_start,
         "period_end": p.period_end, "period_goal": p.period_goal, "source_range": p.form_range}
        for p in project_lines(batch)
    )


def indicator_rows(batch: Batch) -> Iterator[dict]:
    return (
        {"department": p.department, "spending_unit": p.spending_unit, "project": p.name, "seq": i.seq,
         "level1_code": i.level1_code, "level1": i.level1, "level2_code": i.level2_code, "level2": i.level2,
         "name": i.name, "period_value": i.period_value, "annual_value": i.annual_value,
         "operator": i.operator or "", "target": "" if i.target is None else str(i.target), "unit": i.unit,
         "kind": i.kind, "source_file": i.source.file, "source_sheet": i.source.sheet,
         "source_row": i.source.row, "layout": p.layout, "source_cell": i.source.cell,
         "level1_framework": i.level1_framework, "level2_framework": i.level2_framework}
        for p, i in indicator_lines(batch)
    )


def finding_rows(batch: Batch) -> list[dict]:
    """run.json's findings in the batch's order (errors first, `Batch.sort`); `params` is an object (a
    Decimal as its exact text)."""
    return [f.as_dict() for f in batch.findings]


def finding_csv_rows(rows: list[dict]) -> Iterator[dict]:
    """findings.csv's rows from run.json's: `params` as one JSON text, keys sorted, Chinese as it is."""
    return ({**row, "params": params_text(row["params"])} for row in rows)


def _exact(amount) -> str | None:
    return None if amount is None else fmt_exact(amount)


def department_record(line: DepartmentLine) -> dict:
    d = line.department
    return {"name": d.name, "file": d.file, "sheet": d.sheet, "unit": d.unit,
            "layout": d.layout, "code": d.code, "spending_units": len(d.spending_units), "projects": len(d.projects),
            "indicators": len(d.indicators), "total": fmt_exact(d.total),
            "total_unknown": d.total_sum.unknown, "unknown_amounts": d.unknown_amounts,
            "declared_total": _exact(line.declared), "reconciled": line.reconciled,
            "control_total": _exact(line.control)}


def batch_counts(batch: Batch) -> dict:
    """run.json's `counts`, and the one place the reports and the CLI summary (`batch_view`) count a
    batch's departments, projects, indicators and findings by severity: what the e-mail's subject and
    text say and the reports show without adding up the departments or counting the findings again."""
    severities = Counter(f.severity for f in batch.findings)
    return {"departments": len(batch.departments), "projects": sum(len(d.projects) for d in batch.departments),
            "indicators": indicator_total(batch), "findings": len(batch.findings),
            "errors": severities[ERROR], "warnings": severities[WARNING], "infos": severities[INFO]}


def run_status(counts: dict) -> str:
    """The run's one status from its counts: failed (an error finding), warnings (warning findings only)
    or ok."""
    return status_of(counts["errors"], counts["warnings"])


def run_record(batch: Batch, period: str, started: str) -> dict:
    """The content of run.json."""
    counts = batch_counts(batch)
    return {
        "period": period,
        "started": started,
        "status": run_status(counts),
        "total": fmt_exact(batch.total),
        # projects whose 总计 could not be read, left out of `total`; amount cells not read in any column
        "total_unknown": sum(d.total_sum.unknown for d in batch.departments),
        "unknown_amounts": sum(d.unknown_amounts for d in batch.departments),
        "inputs": [{"file": i.file, "sha256": i.sha256, "status": i.status, "reason": i.reason,
                    "rows": i.rows.as_dict()} for i in batch.inputs],
        "departments": [department_record(line) for line in department_lines(batch)],
        "findings": finding_rows(batch),
        "counts": counts,    # added after `findings` (keys are only ever added)
    }
