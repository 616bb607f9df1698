"""Check that the money adds up, and record every check made, passed or not.

On every row 总计 = 财政拨款 + 财政专户拨款 + 其他资金; in each of the four money columns, every
spending-unit row = the sum of its projects, every 小计 and 本页合计 row = the sum of the projects it
closes, and the 合计 row = the sum of the spending units. Each column is its own check and its own
finding, at that column's cell: money moved between columns on one row still adds up across, and only
the column sums catch it. A check that needs an amount that could not be read (already reported as
`bad_amount`) is not made: its department is then not reconciled.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pipeline.findings import Finding, finding
from pipeline.model import ZERO, Amounts, Department, Project, Source, Sum
from pipeline.vocabulary import AMOUNT_FIELDS
from pipeline.vocabulary import MONEY_COLUMNS


@dataclass(frozen=True, slots=True)
class Check:
    department: str
    what: str                   # Chinese description of the check
    expected: Decimal
    actual: Decimal
    file: str
    sheet: str
    cell: str | None            # the cell of `column` on the checked row
    passed: bool
    code: str                   # the finding code raised when it fails
    column: str = "total"       # the money column checked: total | fiscal | special_account | other

    @property
    def difference(self) -> Decimal:
        return self.actual - self.expected

    @property
    def column_label(self) -> str:
        return MONEY_COLUMNS[self.column]


def subtotal_groups(unit) -> list[list]:
    """The projects each 小计 row sums: those since the previous 小计; a 小计 standing before any
    project of its group (right under the unit row) sums the projects below it, up to the next one."""
    counts = [count for _, _, count in unit.subtotals]
    groups = []
    for k, count in enumerate(counts):
        start = counts[k - 1] if k else 0
        end = count if count > start else (counts[k + 1] if k + 1 < len(counts) else len(unit.projects))
        groups.append(unit.projects[start:end])
    return groups


def known(amounts: Amounts | None, ok: bool, column: str) -> Decimal | None:
    """One amount of a row, None when unknown. A row marked unreadable whose amounts are all present
    (a reader that left zeros in place of what it could not read) is unknown as a whole."""
    if amounts is None or (not ok and not amounts.unknown):
        return None
    return amounts.get(column)


def projects_sum(projects: list[Project], column: str) -> Decimal | None:
    """The projects' sum in one column (in their order, from zero, as `Sum.of`), None when one is unknown."""
    total = ZERO
    for p in projects:
        value = known(p.amounts, p.amounts_ok, column)
        if value is None:
            return None
        total += value
    return total


class _Reconciler:
    def __init__(self, department: Department):
        self.department = department
        self.checks: list[Check] = []
        self.findings: list[Finding] = []
        self.columns = [c for c in AMOUNT_FIELDS if c in department.columns]

    def check(self, code: str, what: str, column: str, expected: Decimal | None, actual: Decimal | None,
              source: Source | None, project: str | None, variant: str | None = None) -> None:
        """Record the check; a failed one is a finding (`variant`: which advice its message gives)."""
        if expected is None or actual is None:
            return  # an amount it needs could not be read: reported as bad_amount, not checked
        d = self.department
        col = d.columns.get(column)
        cell = (source.at(col).cell if col is not None else source.cell) if source else None
        passed = expected == actual
        self.checks.append(Check(d.name, what, expected, actual, d.file, d.sheet, cell, passed, code, column))
        if not passed:
            # `what` is the check's own description (the 核对 sheet shows it too), not a message built here
            phrasing = {"variant": variant} if variant else {}
            self.findings.append(finding(code, file=d.file, sheet=d.sheet or None, cell=cell, department=d.name,
                                         project=project, what=what, column=column, expected=expected,
                                         actual=actual, difference=actual - expected, unit=d.unit, **phrasing))

    def row_sum(self, label: str, amounts: Amounts | None, ok: bool, source: Source | None,
                project: str | None) -> None:
        if amounts is None or "total" not in self.department.columns or self.columns == ["total"]:
            return
        if not ok and not amounts.unknown:
            return              # unknown as a whole (`known`): not checked, as `check` would not
        fiscal, special, other = amounts.fiscal, amounts.special_account, amounts.other
        # summed from zero in column order, as `Sum.of` sums (the same Decimal, exponent included)
        parts = None if fiscal is None or special is None or other is None else ZERO + fiscal + special + other
        self.check("row_sum_mismatch", f"{label}的总计与分项之和", "total", parts, amounts.total, source, project)

    def unit_rows(self) -> None:
        for unit in self.department.spending_units:
            self.row_sum(f"资金使用单位「{unit.name}」", unit.amounts, unit.amounts_ok, unit.source, None)
            for project in unit.projects:
                self.row_sum(f"项目「{project.name}」", project.amounts, project.amounts_ok, project.source,
                             project.name)
            for column in self.columns:
                label = MONEY_COLUMNS[column]
                for group, (amounts, source, _) in zip(subtotal_groups(unit), unit.subtotals):
                    self.check("subtotal_mismatch", f"「{unit.name}」的小计行{label}与其所小计的项目{label}之和",
                               column, projects_sum(group, column), known(amounts, True, column), source, None,
                               "subtotal_row")
                if unit.amounts is not None:
                    self.check("subtotal_mismatch", f"资金使用单位「{unit.name}」的{label}与其各项目{label}之和",
                               column, projects_sum(unit.projects, column),
                               known(unit.amounts, unit.amounts_ok, column), unit.source, None, "unit_row")

    def page_totals(self) -> None:
        projects = self.department.projects
        for column in self.columns:
            label, previous = MONEY_COLUMNS[column], 0
            for amounts, source, count in self.department.page_totals:
                page, previous = projects[previous:count], count
                self.check("subtotal_mismatch", f"本页合计行{label}与本页各项目{label}之和", column,
                           projects_sum(page, column), known(amounts, True, column), source, None, "page_total")

    def declared_total(self) -> None:
        d = self.department
        if d.declared_total is None:
            return
        totals = [(d.declared_total, d.declared_source, d.declared_ok),
                  *((amounts, source, True) for amounts, source in d.extra_totals)]
        for column in self.columns:
            label = MONEY_COLUMNS[column]
            units = Sum.of(known(u.amounts, u.amounts_ok, column) if u.amounts is not None
                           else projects_sum(u.projects, column) for u in d.spending_units).exact
            for amounts, source, ok in totals:
                self.check("total_mismatch", f"合计行的{label}与各资金使用单位{label}之和", column, units,
                           known(amounts, ok, column), source, None)


def reconcile(department: Department) -> tuple[list[Check], list[Finding]]:
    r = _Reconciler(department)
    r.row_sum("合计行", department.declared_total, department.declared_ok, department.declared_source, None)
    r.unit_rows()
    r.page_totals()
    r.declared_total()
    return r.checks, r.findings
