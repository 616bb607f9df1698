"""The changes since the last period as every report shows them: report.xlsx (sheet 变化), report.html,
summary.html and `pipeline diff`.

Built from the run's `history.changes.Changes` (the object run.json's `changes` is written from), never
from the strings in run.json, so no report can disagree with run.json. The rows come in one order:
departments, projects, indicators, findings; within each, added, removed, changed. Amounts are exact
`Decimal`s in 万元, shown with 千分位 (`money.show`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pipeline.findings import SEVERITY_LABEL, Finding, title_of
from pipeline.history.changes import AmountChange, Changes, IndicatorChange
from pipeline.money import ZERO, show, show_exact

ADDED, REMOVED, AMOUNT, TARGET, NEW, RESOLVED = "新增", "删除", "金额调整", "目标值调整", "新发现", "已解决"


@dataclass(frozen=True, slots=True)
class ChangeRow:
    category: str                  # 部门 / 项目 / 指标 / 问题
    change: str                    # 新增 / 删除 / 金额调整 / 目标值调整 / 新发现 / 已解决
    department: str
    spending_unit: str
    project: str
    item: str                      # the indicator's name, or the finding's code
    old_value: str                 # an indicator's 年度指标值 before and after
    new_value: str
    old: Decimal | None            # 总计 in 万元 before and after, and new − old
    new: Decimal | None
    difference: Decimal | None
    note: str                      # a finding: [级别] where：message

    @property
    def line(self) -> str:
        """One line of `pipeline diff`."""
        names = " / ".join(n for n in (self.department, self.spending_unit, self.project, self.item) if n)
        if self.category == "问题":
            return f"  [问题 {self.change}] {self.note}"
        if self.category == "指标":
            value = (f"{self.old_value} → {self.new_value}" if self.change == TARGET
                     else self.new_value or self.old_value)
            return f"  [指标 {self.change}] {names}：{value}"
        if self.change == AMOUNT:
            return f"  [{self.category} {self.change}] {names}：{show(self.old)} → {show(self.new)} 万元（{signed(self.difference)}）"
        return f"  [{self.category} {self.change}] {names}：{show(self.new if self.new is not None else self.old)} 万元"


@dataclass(frozen=True, slots=True)
class ChangesView:
    period: str
    previous_period: str | None    # None: nothing earlier to compare with
    old_total: Decimal | None
    new_total: Decimal | None
    difference: Decimal | None
    rows: list[ChangeRow]
    headline: list[str]            # a few Chinese sentences: the total, then counts by kind of change

    @property
    def title(self) -> str:
        if self.previous_period is None:
            return f"与上期相比的变化（{self.period}，无上期可比）"
        return f"与上期相比的变化（上期 {self.previous_period}，本期 {self.period}）"


def changes_view(changes: Changes | None, period: str) -> ChangesView:
    """The view of the run's changes (None for a run made without history: nothing to compare)."""
    if changes is None or changes.previous_period is None:
        return ChangesView(period, None, None, None, None, [],
                           [f"历史记录中没有早于 {period} 的期间，本期是第一次记录，暂无可比较的上期。"])
    rows = [*_amount_rows("部门", (changes.departments_added, changes.departments_removed, changes.departments_changed)),
            *_amount_rows("项目", (changes.projects_added, changes.projects_removed, changes.projects_changed)),
            *_indicator_rows((changes.indicators_added, changes.indicators_removed, changes.indicators_changed)),
            *_finding_rows((changes.findings_new, changes.findings_resolved))]
    old, new = changes.old_total or ZERO, changes.new_total
    return ChangesView(changes.period, changes.previous_period, old, new, new - old, rows,
                       _headline(changes, old, new, new - old))


def change_lines(view: ChangesView) -> list[str]:
    """What `pipeline diff` prints: the headline, then one line per change."""
    return [*view.headline, *(row.line for row in view.rows)]


def signed(amount: Decimal | None) -> str:
    """`+29.50`, `-3.00`, `0.00`: a difference with its sign (exact below 0.01 万元)."""
    if amount is None:
        return ""
    text = show_exact(amount)
    return "+" + text if amount > 0 else text


def _headline(c: Changes, old: Decimal, new: Decimal, difference: Decimal) -> list[str]:
    moved = (f"增加 {show_exact(difference)} 万元" if difference > 0 else
             f"减少 {show_exact(-difference)} 万元" if difference < 0 else "没有变化")
    return [
        f"与上期 {c.previous_period} 相比：合计由 {show(old)} 万元变为 {show(new)} 万元，{moved}。",
        # the same words as the rows of the table below (新增 / 删除 / 金额调整)
        f"部门：{ADDED} {len(c.departments_added)} 个，{REMOVED} {len(c.departments_removed)} 个，"
        f"{AMOUNT} {len(c.departments_changed)} 个。",
        f"项目：{ADDED} {len(c.projects_added)} 个，{REMOVED} {len(c.projects_removed)} 个，"
        f"{AMOUNT} {len(c.projects_changed)} 个。",
        f"绩效指标：{ADDED} {len(c.indicators_added)} 条{_along(c.indicators_with_added, ADDED)}，"
        f"{REMOVED} {len(c.indicators_removed)} 条{_along(c.indicators_with_removed, REMOVED)}，"
        f"{TARGET} {len(c.indicators_changed)} 条。",
        f"问题：新发现 {len(c.findings_new)} 个，已解决 {len(c.findings_resolved)} 个。",
    ]


def _along(count: int, change: str) -> str:
    """`（另有 12 条随删除的项目一并删除）`: indicators counted with their project, not listed one by one."""
    return f"（另有 {count} 条随{change}的项目一并{change}）" if count else ""


def _amount_rows(category: str, groups: tuple[tuple[AmountChange, ...], ...]) -> list[ChangeRow]:
    return [ChangeRow(category, change, c.department, c.spending_unit or "", c.project or "",
                      "", "", "", c.old, c.new, c.difference, "")
            for change, group in zip((ADDED, REMOVED, AMOUNT), groups) for c in group]


def _indicator_rows(groups: tuple[tuple[IndicatorChange, ...], ...]) -> list[ChangeRow]:
    return [ChangeRow("指标", change, c.department, c.spending_unit, c.project, c.indicator,
                      c.old or "", c.new or "", None, None, None, "")
            for change, group in zip((ADDED, REMOVED, TARGET), groups) for c in group]


def _finding_rows(groups: tuple[tuple[Finding, ...], ...]) -> list[ChangeRow]:
    def note(f: Finding) -> str:
        return f"[{SEVERITY_LABEL.get(f.severity, f.severity)}] {f.where}：{f.message}"

    return [ChangeRow("问题", change, f.department or "", "", f.project or "", title_of(f.code), "", "",
                      None, None, None, note(f))
            for change, group in zip((NEW, RESOLVED), groups) for f in group]
