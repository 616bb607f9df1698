"""The normalised tables as pandas DataFrames, for an analyst in a notebook.

    >>> from pipeline.frames import read_tables
    >>> tables = read_tables(["inputs"])
    >>> tables.projects.groupby("department")["total"].sum()      # exact: Decimal, never float

`read_tables` reads and reviews files or folders as `pipeline check` does and returns four DataFrames:
`projects`, `indicators`, `findings` and `inputs`. Amounts are exact `decimal.Decimal` values in 万元 (object
columns, so sums stay exact to the 分); every project and indicator row carries its provenance
(`source_file`, `source_sheet`, `source_row`, `source_cell`; projects also `layout`: table or
form), every finding its file, sheet and cell, and its `params`: a dict of the raw figures and names its
message was rendered from (`findings.Finding.params`; an amount a `Decimal`, like the amount columns),
so `tables.findings["params"].str.get("difference")` gives a finding's difference exactly, with no
message to parse.
Nothing is written and nothing is printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.read.batch import Batch
from pipeline.review.rows import indicator_lines, project_lines
from pipeline.run import check
from pipeline.settings import Settings

PROJECT_COLUMNS = ["department", "spending_unit", "project", "total", "fiscal", "special_account", "other",
                   "goal", "indicators", "source_file", "source_sheet", "source_row", "source_cell", "layout"]
INDICATOR_COLUMNS = ["department", "spending_unit", "project", "seq", "level1_code", "level1", "level2_code",
                     "level2", "name", "period_value", "annual_value", "operator", "target", "unit", "kind",
                     "source_file", "source_sheet", "source_row", "source_cell"]
FINDING_COLUMNS = ["code", "severity", "file", "sheet", "cell", "department", "project", "message", "params"]
INPUT_COLUMNS = ["file", "status", "reason", "sha256", "rows_read", "rows_used", "rows_ignored", "rows_rejected"]


@dataclass(frozen=True)
class Tables:
    projects: pd.DataFrame
    indicators: pd.DataFrame
    findings: pd.DataFrame
    inputs: pd.DataFrame


def read_tables(paths: list[str | Path], settings: Settings = Settings()) -> Tables:
    """Read and review `paths` (files or folders) into the four tables."""
    return tables_of(check([Path(p) for p in paths], settings))


def tables_of(batch: Batch) -> Tables:
    """The four tables of a batch already read and reviewed."""
    projects = [(p.department, p.spending_unit, p.name, p.amounts.total, p.amounts.fiscal,
                 p.amounts.special_account, p.amounts.other, p.goal, len(p.indicators), p.source.file,
                 p.source.sheet, p.source.row, p.source.cell, p.layout)
                for p in project_lines(batch)]
    indicators = [(p.department, p.spending_unit, p.name, i.seq, i.level1_code, i.level1, i.level2_code, i.level2,
                   i.name, i.period_value, i.annual_value, i.operator, i.target, i.unit, i.kind, i.source.file,
                   i.source.sheet, i.source.row, i.source.cell)
                  for p, i in indicator_lines(batch)]
    findings = [(f.code, f.severity, f.file, f.sheet, f.cell, f.department, f.project, f.message,
                 None if f.params is None else dict(f.params)) for f in batch.findings]
    inputs = [(i.file, i.status, i.reason, i.sha256, i.rows.read, i.rows.used, i.rows.ignored, i.rows.rejected)
              for i in batch.inputs]
    return Tables(_frame(projects, PROJECT_COLUMNS), _frame(indicators, INDICATOR_COLUMNS),
                  _frame(findings, FINDING_COLUMNS), _frame(inputs, INPUT_COLUMNS))


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    # object dtype throughout: Decimal amounts stay Decimal, None stays None (not NaN), text stays str
    return pd.DataFrame.from_records(rows, columns=columns).astype(object)
