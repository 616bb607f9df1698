"""History snapshots built by code, for the comparison (history/changes.py) and its view (report/changes_view.py)."""

from decimal import Decimal

from pipeline.findings import Finding, finding
from pipeline.history.snapshot import DepartmentState, IndicatorState, ProjectState, Snapshot

EDU, OFFICE, SCHOOL = "某区教育局", "某区教育局机关", "某区第一中学"


def project(name, total, *, department=EDU, unit=OFFICE, row=5) -> ProjectState:
    amount = Decimal(total)
    return ProjectState(department, unit, name, amount, amount, Decimal(0), Decimal(0), "做好培训工作。", "a.xlsx",
                        "Sheet1", row)


def indicator(project_name, name, value, *, department=EDU, unit=OFFICE, seq=1) -> IndicatorState:
    return IndicatorState(department, unit, project_name, seq, "产出指标", "数量指标", name, value, value, "a.xlsx",
                          "Sheet1", 5)


def problem(code, message, *, department=EDU, project_name=None, cell="G7", severity="warning") -> Finding:
    """A finding as a period recorded before the history kept parameters has it: a message only."""
    return Finding(code, severity, "a.xlsx", "Sheet1", cell, department, project_name, message)


def found(code, *, cell="G7", project_name=None, file="a.xlsx", **params) -> Finding:
    """A finding as the review makes it: rendered from its parameters."""
    return finding(code, file=file, sheet="Sheet1", cell=cell, department=EDU, project=project_name, **params)


def snapshot(period, projects, indicators=(), findings=()) -> Snapshot:
    totals: dict[str, Decimal] = {}
    for p in projects:
        totals[p.department] = totals.get(p.department, Decimal(0)) + p.total
    departments = tuple(DepartmentState(name, "a.xlsx", "Sheet1", "万元", total, None, None, True)
                        for name, total in totals.items())
    return Snapshot(period, f"{period}-25T18:00:00+08:00", "ok", sum(totals.values(), Decimal(0)), (), departments,
                    tuple(projects), tuple(indicators), tuple(findings))


BASE = [project("教师培训经费", "120.50"), project("教研活动经费", "34.50"), project("校舍维修经费", "100.00", unit=SCHOOL)]
