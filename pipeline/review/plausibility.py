"""Amounts no project has: above the ceiling (`[review] max_project_amount`, default 1,000,000 万元).

Such a cell is most often something else pasted into an amount column (an 18-digit ID number in a 元
table). It is an `implausible_amount` error on the cell, and the amount is taken as unknown, like one
that could not be read: it is counted in no total (nor stored in the history as if it were money).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from pipeline.findings import Finding, finding
from pipeline.model import Department
from pipeline.vocabulary import AMOUNT_FIELDS


def check_plausibility(departments: list[Department], ceiling: Decimal) -> list[Finding]:
    """Report each project amount above `ceiling` (万元) and make it unknown in the model."""
    findings: list[Finding] = []
    for d in departments:
        for p in d.projects:
            wrong = {f: v for f in AMOUNT_FIELDS if (v := p.amounts.get(f)) is not None and abs(v) > ceiling}
            if not wrong:
                continue
            for fld, value in wrong.items():
                col = p.columns.get(fld)
                cell = p.source.at(col).cell if col is not None else p.source.cell
                findings.append(finding(
                    "implausible_amount", file=p.source.file, sheet=p.source.sheet or None, cell=cell,
                    department=d.name, project=p.name, column=fld, amount=value, unit=d.unit, ceiling=ceiling))
            unknown = dict.fromkeys(wrong, None)
            if "total" not in p.columns:  # the total was the sum of the parts: it is unknown with them
                unknown["total"] = None
            p.amounts = replace(p.amounts, **unknown)
            p.amounts_ok = False
    return findings
