"""Check that the money adds up, and record every check made, passed or not.

On every row 总计 = 财政拨款 + 财政专户拨款 + 其他资金; every spending-unit row = the sum of its
projects; the 合计 row = the sum of the spending units. Rows whose amounts could not be read
(already reported as `bad_amount`) are not checked again.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pipeline.findings import Finding, finding
from pipeline.model import ZERO, Amounts, Department, Source
from pipeline.money import fmt_exact


@dataclass(frozen=True, slots=True)
class Check:
    department: str
    what: str                   # Chinese description of the check
    expected: Decimal
    actual: Decimal
    file: str
    sheet: str
    cell: str | None
    passed: bool
    code: str                   # the finding code raised when it fails

    @property
    def difference(self) -> Decimal:
        return self.actual - self.expected


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


def reconcile(department: Department) -> tuple[list[Check], list[Finding]]:
    checks: list[Check] = []
    dept = department.name
    total_col = department.columns.get("total")

    def check(code: str, what: str, expected: Decimal, actual: Decimal, source: Source | None,
              project: str | None, advice: str) -> None:
        cell = source.at(total_col).cell if source and total_col is not None else (source.cell if source else None)
        passed = expected == actual
        checks.append(Check(dept, what, expected, actual, department.file, department.sheet, cell, passed, code))
        if not passed:
            message = (f"{what}不符：应为 {fmt_exact(expected)} 万元，实际填报 {fmt_exact(actual)} 万元，"
                       f"相差 {fmt_exact(actual - expected)} 万元（单元格 {cell}）。{advice}")
            findings.append(finding(code, message, file=department.file, sheet=department.sheet or None,
                                    cell=cell, department=dept, project=project))

    findings: list[Finding] = []
    has_parts = bool(department.columns.keys() & {"fiscal", "special_account", "other"})

    def row_sum(label: str, amounts: Amounts, source: Source | None, project: str | None) -> None:
        if has_parts and "total" in department.columns:
            check("row_sum_mismatch", f"{label}的总计与分项之和", amounts.parts_sum, amounts.total, source, project,
                  "总计应等于 财政拨款 + 财政专户拨款 + 其他资金，请核对该行各列金额。")

    if department.declared_total is not None and department.declared_ok:
        row_sum("合计行", department.declared_total, department.declared_source, None)
    for unit in department.spending_units:
        if unit.amounts is not None and unit.amounts_ok:
            row_sum(f"资金使用单位「{unit.name}」", unit.amounts, unit.source, None)
        for project in unit.projects:
            if project.amounts_ok:
                row_sum(f"项目「{project.name}」", project.amounts, project.source, project.name)
        for group, (amounts, source, _) in zip(subtotal_groups(unit), unit.subtotals):
            if all(p.amounts_ok for p in group):
                summed = sum((p.amounts.total for p in group), ZERO)
                check("subtotal_mismatch", f"「{unit.name}」的小计行与其所小计的项目合计", summed, amounts.total, source,
                      None, "小计应等于它所小计的那组项目金额之和，请核对小计行或项目金额。")
        if unit.amounts is not None and unit.amounts_ok and all(p.amounts_ok for p in unit.projects):
            projects_sum = sum((p.amounts.total for p in unit.projects), ZERO)
            check("subtotal_mismatch", f"资金使用单位「{unit.name}」的小计与其项目合计", projects_sum,
                  unit.amounts.total, unit.source, None,
                  "单位行金额应等于其下各项目金额之和，请核对单位行或项目金额。")
    projects = department.projects
    previous = 0
    for amounts, source, count in department.page_totals:
        page = projects[previous:count]
        previous = count
        if all(p.amounts_ok for p in page):
            check("subtotal_mismatch", "本页合计行与本页各项目合计", sum((p.amounts.total for p in page), ZERO),
                  amounts.total, source, None, "本页合计应等于本页各项目金额之和，请核对。")
    if department.declared_total is not None and department.declared_ok:
        units_sum = ZERO
        for unit in department.spending_units:
            if unit.amounts is not None:
                units_sum += unit.amounts.total
            else:
                units_sum += sum((p.amounts.total for p in unit.projects), ZERO)
        if all(u.amounts_ok for u in department.spending_units):
            totals = [(department.declared_total, department.declared_source), *department.extra_totals]
            for amounts, source in totals:
                check("total_mismatch", "合计行与各资金使用单位之和", units_sum, amounts.total, source, None,
                      "合计应等于各资金使用单位金额之和，请核对合计行。")
    return checks, findings
