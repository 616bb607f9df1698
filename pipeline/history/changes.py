"""What changed between two periods: a pure comparison of two `Snapshot`s.

Departments match by name; projects by department, spending unit and name; indicators by their project
and indicator name; findings by code, department, project and the parameters that say what is wrong,
leaving out those that say where (cells, rows, item numbers, files and sheets: a row inserted above
moves every cell, but the problem is the same problem; `findings.is_position`). A name that occurs
twice (a `duplicate_project`, a `duplicate_indicator`) matches occurrence by occurrence.

A period recorded before the history kept parameters (schema 3 and older) has findings without them;
compared with such a period, both sides are keyed by their messages instead (`legacy_finding_key`), so
the first comparison after an upgrade still matches like with like.

A department added or removed is listed once, not each of its projects; a project added or removed
once, not each of its indicators. Findings are listed whatever they belong to: a new department's
errors are new errors. `Changes.as_dict()` is run.json's `changes` (docs/outputs.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from pipeline.findings import Finding, decimal_text, is_position
from pipeline.money import ZERO, fmt_exact
from pipeline.history.snapshot import Snapshot
from pipeline.text import compact

@dataclass(frozen=True, slots=True)
class AmountChange:
    """A department's or a project's 总计 in 万元: `old` is None when it was added, `new` when removed."""

    department: str
    spending_unit: str | None      # None for a department
    project: str | None            # None for a department
    old: Decimal | None
    new: Decimal | None

    @property
    def difference(self) -> Decimal:
        return (self.new or ZERO) - (self.old or ZERO)

    def as_dict(self) -> dict:
        names = {"department": self.department}
        if self.project is not None:
            names |= {"spending_unit": self.spending_unit, "project": self.project}
        return {**names, "old": _money(self.old), "new": _money(self.new), "difference": fmt_exact(self.difference)}


@dataclass(frozen=True, slots=True)
class IndicatorChange:
    """An indicator's 年度指标值: `old` is None when it was added, `new` when removed."""

    department: str
    spending_unit: str
    project: str
    indicator: str
    old: str | None
    new: str | None

    def as_dict(self) -> dict:
        return {"department": self.department, "spending_unit": self.spending_unit, "project": self.project,
                "indicator": self.indicator, "old": self.old, "new": self.new}


@dataclass(frozen=True, slots=True)
class Changes:
    period: str
    previous_period: str | None    # None: nothing earlier was recorded, every list is empty
    old_total: Decimal | None
    new_total: Decimal
    departments_added: tuple[AmountChange, ...] = ()
    departments_removed: tuple[AmountChange, ...] = ()
    departments_changed: tuple[AmountChange, ...] = ()
    projects_added: tuple[AmountChange, ...] = ()
    projects_removed: tuple[AmountChange, ...] = ()
    projects_changed: tuple[AmountChange, ...] = ()
    indicators_added: tuple[IndicatorChange, ...] = ()
    indicators_removed: tuple[IndicatorChange, ...] = ()
    indicators_changed: tuple[IndicatorChange, ...] = ()
    findings_new: tuple[Finding, ...] = ()
    findings_resolved: tuple[Finding, ...] = ()
    # indicators that came with an added project or department and went with a removed one: not listed one
    # by one (the project is), but counted, so a headline never says 删除 0 条 when 12 went with their project
    indicators_with_added: int = 0
    indicators_with_removed: int = 0

    def as_dict(self) -> dict:
        def listed(items) -> list[dict]:
            return [item.as_dict() for item in items]

        total = None
        if self.previous_period is not None:
            old = self.old_total or ZERO
            total = {"old": _money(old), "new": _money(self.new_total), "difference": fmt_exact(self.new_total - old)}
        return {
            "period": self.period,
            "previous_period": self.previous_period,
            "total": total,
            "departments": {"added": listed(self.departments_added), "removed": listed(self.departments_removed),
                            "changed": listed(self.departments_changed)},
            "projects": {"added": listed(self.projects_added), "removed": listed(self.projects_removed),
                         "changed": listed(self.projects_changed)},
            "indicators": {"added": listed(self.indicators_added), "removed": listed(self.indicators_removed),
                           "changed": listed(self.indicators_changed),
                           "with_added_projects": self.indicators_with_added,
                           "with_removed_projects": self.indicators_with_removed},
            "findings": {"new": listed(self.findings_new), "resolved": listed(self.findings_resolved)},
        }


def compare(previous: Snapshot | None, current: Snapshot) -> Changes:
    """The changes from `previous` (an earlier period, or None when there is none) to `current`."""
    if previous is None:
        return Changes(current.period, None, None, current.total)
    legacy = any(f.params is None for f in (*previous.findings, *current.findings))
    key = legacy_finding_key if legacy else finding_key
    old_findings = _keyed(previous.findings, key)
    new_findings = _keyed(current.findings, key)
    return Changes(
        current.period, previous.period, previous.total, current.total,
        *_departments(previous, current), *_projects(previous, current), *_indicators(previous, current),
        findings_new=tuple(f for key, f in new_findings.items() if key not in old_findings),
        findings_resolved=tuple(f for key, f in old_findings.items() if key not in new_findings),
        **_indicators_with_projects(previous, current),
    )


def _indicators_with_projects(previous: Snapshot, current: Snapshot) -> dict[str, int]:
    """How many indicators belong to projects (or departments) only one of the two periods has."""
    kept = {_project_names(p) for p in previous.projects} & {_project_names(p) for p in current.projects}

    def outside(indicators) -> int:
        return sum(1 for i in indicators if (i.department, i.spending_unit, i.project) not in kept)

    return {"indicators_with_added": outside(current.indicators), "indicators_with_removed": outside(previous.indicators)}


def _departments(previous: Snapshot, current: Snapshot) -> tuple[tuple[AmountChange, ...], ...]:
    old = {d.name: d for d in previous.departments}
    new = {d.name: d for d in current.departments}
    return (tuple(AmountChange(d.name, None, None, None, d.total) for d in current.departments if d.name not in old),
            tuple(AmountChange(d.name, None, None, d.total, None) for d in previous.departments if d.name not in new),
            tuple(AmountChange(d.name, None, None, old[d.name].total, d.total) for d in current.departments
                  if d.name in old and old[d.name].total != d.total))


def _projects(previous: Snapshot, current: Snapshot) -> tuple[tuple[AmountChange, ...], ...]:
    """Projects added or removed in a department of both periods, and every project whose 总计 changed
    (an added or removed project whose 总计 could not be read counts as 0 in `difference`)."""
    kept = {d.name for d in previous.departments} & {d.name for d in current.departments}
    old = _keyed(previous.projects, _project_names)
    new = _keyed(current.projects, _project_names)
    return (tuple(AmountChange(p.department, p.spending_unit, p.name, None, p.total)
                  for key, p in new.items() if key not in old and p.department in kept),
            tuple(AmountChange(p.department, p.spending_unit, p.name, p.total, None)
                  for key, p in old.items() if key not in new and p.department in kept),
            # a 总计 that could not be read in either period is not compared: nothing says it changed
            tuple(AmountChange(p.department, p.spending_unit, p.name, old[key].total, p.total)
                  for key, p in new.items() if key in old and old[key].total != p.total
                  and old[key].total is not None and p.total is not None))


def _indicators(previous: Snapshot, current: Snapshot) -> tuple[tuple[IndicatorChange, ...], ...]:
    """Indicators added or removed in a project of both periods, and every indicator whose 年度指标值 changed."""
    kept = {_project_names(p) for p in previous.projects} & {_project_names(p) for p in current.projects}

    def key(i) -> tuple:
        return (i.department, i.spending_unit, i.project), i.name

    old = _keyed(previous.indicators, key)
    new = _keyed(current.indicators, key)

    def change(i, before: str | None, after: str | None) -> IndicatorChange:
        return IndicatorChange(i.department, i.spending_unit, i.project, i.name, before, after)

    return (tuple(change(i, None, i.annual_value) for k, i in new.items() if k not in old and k[0][0] in kept),
            tuple(change(i, i.annual_value, None) for k, i in old.items() if k not in new and k[0][0] in kept),
            tuple(change(i, old[k].annual_value, i.annual_value) for k, i in new.items()
                  if k in old and not same_value(old[k].annual_value, i.annual_value)))


def _project_names(p) -> tuple[str, str, str]:
    return p.department, p.spending_unit, p.name


def finding_key(f: Finding) -> tuple:
    """What makes a finding the same finding next month: its code, department, project and the
    parameters that say what is wrong, not where (its cell moves with the rows). A Decimal is compared
    as its exact text, the way the history stores it."""
    what = tuple((name, decimal_text(value) if isinstance(value, Decimal) else value)
                 for name, value in f.params or () if not is_position(name))
    return f.code, f.department or "", f.project or "", what


# LEGACY ROWS ONLY: findings recorded before the history kept parameters (schema 3 and older) have only
# their message, so the key is the message with its cell addresses, row and item numbers and its
# （位置：文件!工作表!单元格） suffix taken out. Never used when both periods have parameters.
_POSITIONS = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,3}[0-9]+(?![A-Za-z0-9])|第\s*[0-9]+\s*(?=[行条项列])")
_LOCATION_SUFFIX = re.compile(r"（位置：[^）]*）$")


def legacy_finding_key(f: Finding) -> tuple:
    """The key of a finding from a period recorded without parameters (see above)."""
    return f.code, f.department or "", f.project or "", _POSITIONS.sub("#", _LOCATION_SUFFIX.sub("", f.message))


def same_value(old: str, new: str) -> bool:
    """Two indicator values say the same: `≥ 90 %` is `≥90%`, full-width `≥９０％` too."""
    return old == new or _normal(old) == _normal(new)


def _normal(text: str) -> str:
    return compact(text)


def _keyed(items: Iterable, key: Callable[[object], Hashable]) -> dict[tuple, object]:
    """Items by (key, occurrence): the second item with the same key is (key, 1), in the table's order."""
    seen: dict[Hashable, int] = {}
    keyed = {}
    for item in items:
        k = key(item)
        n = seen.get(k, 0)
        seen[k] = n + 1
        keyed[(k, n)] = item
    return keyed


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else fmt_exact(amount)
