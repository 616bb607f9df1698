"""The one view of a run that every report shows: report.xlsx, report.html and summary.html.

Every number a report prints is computed here, from the batch (its exact `Decimal` amounts, checks,
findings, control figures and changes) and the run's one status and counts (run.json's); nothing is parsed
back from run.json's strings, so no report can disagree with run.json or with another report. Amounts
stay exact `Decimal`s in 万元 (None where an amount could not be read): the HTML shows them through
`money.show` (千分位, two decimals; differences through `money.show_exact`, so 0.0001 is never 0.00),
the workbook stores them as numbers formatted `#,##0.00` (differences `#,##0.00####`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.read.batch import Batch
from pipeline.findings import ERROR, INFO, SEVERITY_LABEL, WARNING, location, title_of
from pipeline.model import ZERO, Indicator, Sum, grand_total
from pipeline.report.changes_view import ChangesView, changes_view
from pipeline.report.finding_groups import by_owner, by_spending_unit, counts_by_project, problems_by_owner
from pipeline.review.rows import DepartmentLine, department_lines, project_lines
from pipeline.vocabulary import STATUS_LABELS, status_label, status_of

MAX_BARS = 20                      # bars in a chart; the rest are summed into one 「其他」 bar
STATUS_LABEL = {"ok": "读取成功", "rejected": "拒收", "skipped": "跳过"}
KIND_LABEL = {"quantitative": "定量", "qualitative": "定性"}
PASSED, WARNED, FAILED = (STATUS_LABELS[s] for s in ("ok", "warnings", "failed"))


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    name: str
    file: str
    unit: str                      # the money unit the table was written in
    projects: int
    indicators: int
    declared: Decimal | None       # the 合计 row
    computed: Decimal              # the sum of the projects (the known part when `unknown`)
    control: Decimal | None        # the approved control figure, when a controls file gave one
    difference: Decimal | None     # computed − control; computed − declared when there is no control
                                   # figure; None when there is neither or the computed total is incomplete
    errors: int
    warnings: int
    status: str                    # 通过 / 有警告 / 未通过
    unknown: int = 0               # projects whose 总计 could not be read, left out of `computed`


@dataclass(frozen=True, slots=True)
class ProjectRow:
    department: str
    spending_unit: str
    name: str
    total: Decimal | None          # None: the amount could not be read (shown blank and marked)
    fiscal: Decimal | None
    special_account: Decimal | None
    other: Decimal | None
    goal: str
    indicators: list[Indicator]
    findings: int
    where: str                     # file!sheet!A7: the project's name cell
    unreadable: str = ""           # the columns that could not be read: 「财政拨款、其他资金」


@dataclass(frozen=True, slots=True)
class CheckRow:
    department: str
    column: str                    # 总计 / 财政拨款 / 财政专户拨款 / 其他资金
    what: str
    expected: Decimal
    actual: Decimal
    difference: Decimal
    where: str
    passed: bool


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    amount: Decimal


@dataclass(slots=True)
class ReportView:
    period: str
    started: str
    status: str                    # 通过 / 有警告 / 未通过 for the whole run
    inputs: list[dict]             # run.json's inputs, with a Chinese status label added
    input_counts: dict[str, int]   # 读取成功 / 拒收 / 跳过 -> count
    departments: list[DepartmentRow]
    totals: DepartmentRow          # the totals row of the department table
    projects: list[ProjectRow]
    # the money checks that failed, in the order they were made: department by department in the
    # batch's order (the review runs after `Batch.sort`), as every report lists the departments
    failed_checks: list[CheckRow]
    check_count: int               # every money check, passed or not
    # (department, money column, how many of its checks of that column passed), in the same order:
    # the 核对 sheet says this in one line per department and column instead of listing thousands of
    # 通过 rows
    passed_checks_by_department: list[tuple[str, str, int]]
    findings: list[dict]           # run.json's findings (errors first), with 级别 and 位置 added
    severity_counts: dict[str, int]  # 错误 / 警告 / 提示 -> count
    bars: list[Bar]
    bars_by: str                   # 部门 or 项目: what the chart's bars are
    projects_by_department: dict[str, list[ProjectRow]]
    changes: ChangesView           # since the latest earlier period, from run.json's `changes`

    # department (or file, for a finding about a file) -> its kinds of problem, worst and most frequent first
    problems: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def to_fix(self) -> list[DepartmentRow]:
        """Departments with errors (they must resubmit), then those with warnings only; most errors first."""
        flagged = [d for d in self.departments if d.errors or d.warnings]
        return sorted(flagged, key=lambda d: (-d.errors, -d.warnings, d.name))

    @property
    def findings_by_owner(self) -> list[tuple[str, list[dict]]]:
        """Findings grouped by department (a file's own findings under the file), errors first within
        each, groups with errors first, the same order as `to_fix`."""
        return by_owner(self.findings, [d.name for d in self.to_fix])

    @property
    def findings_grouped(self) -> list[dict]:
        """For 问题清单: by department and spending unit (finding_groups.by_spending_unit)."""
        units: dict[tuple[str, str], set[str]] = {}
        for p in self.projects:
            units.setdefault((p.department, p.name), set()).add(p.spending_unit)
        return by_spending_unit(self.findings, units)

    @property
    def project_sums(self) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        """总计, 财政拨款, 财政专户拨款 and 其他资金 over every project, exact."""
        return tuple(Sum.of(getattr(p, column) for p in self.projects).known
                     for column in ("total", "fiscal", "special_account", "other"))

    @property
    def must_resubmit(self) -> int:
        return sum(1 for d in self.departments if d.errors)

    @property
    def warned(self) -> int:
        """Departments with warnings and no error: they may resubmit."""
        return sum(1 for d in self.departments if d.warnings and not d.errors)

    @property
    def project_findings(self) -> int:
        """The projects' findings counted as the project table counts them (`ProjectRow.findings`)."""
        return sum(p.findings for p in self.projects)

    @property
    def passed(self) -> int:
        return sum(1 for d in self.departments if not d.errors and not d.warnings)

    @property
    def rejected(self) -> int:
        return self.input_counts.get("拒收", 0)

    @property
    def started_label(self) -> str:
        """`2026-11-25 18:00:00+08:00`: run.json's ISO time, easier to read."""
        return self.started.replace("T", " ")

    @property
    def started_minute(self) -> str:
        return minute_of(self.started)

    def department_projects(self, name: str) -> list[ProjectRow]:
        return self.projects_by_department.get(name, [])

    def top_findings(self, limit: int) -> list[dict]:
        """The most serious findings, for the e-mail: errors, then warnings (never mere info)."""
        return [f for f in self.findings if f["severity"] != INFO][:limit]


def minute_of(started: str) -> str:
    """`2026-11-25 18:00` of run.json's ISO start time: short enough for a cell of the summary sheet."""
    return started.replace("T", " ")[:16]


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def _status(errors: int, warnings: int) -> str:
    return status_label(status_of(errors, warnings))


def build_view(batch: Batch, record: dict) -> ReportView:
    """The view of a finished, sorted batch (`Batch.sort`): `record` gives the period, the start time, the
    inputs, the status and the counts, each decided once in report/record.py."""
    findings = [{**f.as_dict(), "label": SEVERITY_LABEL[f.severity], "where": f.where, "title": title_of(f.code),
                 "text": f.text} for f in batch.findings]
    by_department = Counter((f["department"], f["severity"]) for f in findings)
    departments = [_department_row(line, by_department) for line in department_lines(batch)]
    counts = record["counts"]
    severity = {ERROR: counts["errors"], WARNING: counts["warnings"], INFO: counts["infos"]}
    read = list(project_lines(batch))
    projects = [ProjectRow(p.department, p.spending_unit, p.name, p.amounts.total, p.amounts.fiscal,
                           p.amounts.special_account, p.amounts.other, p.goal, p.indicators, count, p.where,
                           p.unknown_labels)
                for p, count in zip(read, counts_by_project(read, findings))]
    failed = [CheckRow(c.department, c.column_label, c.what, c.expected, c.actual, c.difference,
                       location(c.file, c.sheet, c.cell), c.passed) for c in batch.checks if not c.passed]
    passed: dict[tuple[str, str], int] = {}
    for c in batch.checks:
        passed[(c.department, c.column_label)] = passed.get((c.department, c.column_label), 0) + c.passed
    inputs = [{**i, "label": STATUS_LABEL.get(i["status"], i["status"])} for i in record["inputs"]]
    statuses = Counter(i["status"] for i in record["inputs"])
    total = grand_total(batch.departments)
    status = status_label(record["status"])
    totals = DepartmentRow(
        "合计", "", "万元", counts["projects"], counts["indicators"],
        _sum([d.declared for d in departments]), total.known,
        _sum([d.control for d in departments]),
        None if total.unknown else _sum([d.difference for d in departments]), severity[ERROR], severity[WARNING],
        status, total.unknown)
    return ReportView(
        period=record["period"], started=record["started"], status=status, inputs=inputs,
        input_counts={label: statuses[status] for status, label in STATUS_LABEL.items()},
        departments=departments, totals=totals, projects=projects, failed_checks=failed,
        check_count=len(batch.checks), passed_checks_by_department=[(*key, n) for key, n in passed.items()],
        findings=findings,
        severity_counts={SEVERITY_LABEL[s]: severity[s] for s in (ERROR, WARNING, INFO)},
        bars=_bars(departments, projects), bars_by="项目" if len(departments) == 1 else "部门",
        projects_by_department=_group(projects), changes=changes_view(batch.changes, record["period"]),
        problems=problems_by_owner(findings))


def _department_row(line: DepartmentLine, by_department: Counter) -> DepartmentRow:
    department, declared, control = line.department, line.declared, line.control
    reference = control if control is not None else declared
    computed = department.total_sum
    errors, warnings = by_department[(department.name, ERROR)], by_department[(department.name, WARNING)]
    difference = None if reference is None or computed.incomplete else computed.known - reference
    return DepartmentRow(department.name, department.file, department.unit, len(department.projects),
                         len(department.indicators), declared, computed.known, control, difference, errors,
                         warnings, _status(errors, warnings), computed.unknown)


def _group(projects: list[ProjectRow]) -> dict[str, list[ProjectRow]]:
    groups: dict[str, list[ProjectRow]] = {}
    for p in projects:
        groups.setdefault(p.department, []).append(p)
    return groups


def _bars(departments: list[DepartmentRow], projects: list[ProjectRow]) -> list[Bar]:
    """Money by department, or by project when there is one department; largest first."""
    if len(departments) == 1:
        bars, kind = [Bar(p.name, p.total) for p in projects if p.total is not None], "项目"
    else:
        bars, kind = [Bar(d.name, d.computed) for d in departments], "部门"
    bars.sort(key=lambda b: b.amount, reverse=True)
    if len(bars) <= MAX_BARS:
        return bars
    rest = bars[MAX_BARS - 1:]
    return bars[:MAX_BARS - 1] + [Bar(f"其他 {len(rest)} 个{kind}", sum((b.amount for b in rest), ZERO))]
