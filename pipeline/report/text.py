"""The short Chinese summary `run` and `check` print (built here, printed by the CLI).

Addressed to the clerk: what was read and what was left out, each department with a pass/fail mark,
the findings grouped by department, each rejected file once with its reason, then a status line and
what to do next.
"""

from __future__ import annotations

from pipeline.read.batch import Batch
from pipeline.findings import ERROR, INFO, WARNING, SEVERITY_LABEL
from pipeline.model import Sum
from pipeline.money import show, show_exact
from pipeline.report.batch_view import BatchView, batch_view, worst
from pipeline.vocabulary import FAILED, UNKNOWN_AMOUNT, WARNINGS, status_label, unknown_note

MAX_DEPARTMENTS = 20   # a city batch lists hundreds: the screen shows the first ones, the reports all
MAX_FILES = 20
MARKS = {ERROR: "×", WARNING: "!", None: "√"}        # GBK has all three: a Windows console prints them
STATUS = {ERROR: "未通过", WARNING: "有警告", None: "通过"}


def amount_text(total: Sum) -> str:
    """`298.00 万元`, or for a sum that lacks unreadable amounts `298.00 万元（另有 1 个金额无法读取，未计入）`."""
    return f"{show(total.known)} 万元{unknown_note(total.unknown)}"


def summary_lines(batch: Batch, *, max_findings: int = 10, facts: BatchView | None = None) -> list[str]:
    """The whole summary; the last line is the status line. `facts`: the batch's view, when the caller has it."""
    facts = facts or batch_view(batch)
    return [*head_lines(batch, facts), *department_lines(batch, facts), *finding_lines(facts, max_findings),
            *file_lines(batch), status_line(facts)]


def head_lines(batch: Batch, facts: BatchView) -> list[str]:
    statuses, units, projects, indicators, forms = (facts.files, facts.spending_units, facts.projects,
                                                    facts.indicators, facts.forms)
    declared_text = "—" if facts.declared is None else amount_text(facts.declared)
    left_out = f"；不含拒收的 {statuses['rejected']} 个文件" if statuses["rejected"] else ""
    return [
        f"文件 {len(batch.inputs)} 个：读取成功 {statuses['ok']} 个，拒收 {statuses['rejected']} 个，跳过 {statuses['skipped']} 个",
        f"部门 {len(batch.departments)} 个，资金使用单位 {units} 个，项目 {projects:,} 个，绩效指标 {indicators:,} 条"
        + (f"（其中申报表 {forms} 份）" if forms else ""),
        f"合计 {amount_text(facts.total)}（各部门合计行申报 {declared_text}{left_out}）",
    ]


def department_lines(batch: Batch, facts: BatchView) -> list[str]:
    lines = ["各部门（√ 通过，! 有警告，× 未通过）："] if batch.departments else []
    for d in batch.departments[:MAX_DEPARTMENTS]:
        c = facts.counts_of(d.name)
        problems = "".join(f"，{SEVERITY_LABEL[s]} {c[s]} 个" for s in (ERROR, WARNING) if c[s])
        control = (f"，控制数 {show_exact(batch.control_totals[d.name])} 万元" if d.name in batch.control_totals else "")
        declared = ("—" if d.declared_total is None else UNKNOWN_AMOUNT if d.declared_total.total is None
                    else amount_text(Sum.of([d.declared_total.total])))
        lines.append(f"  {MARKS[worst(c)]} {d.name}：项目 {len(d.projects)} 个，指标 {len(d.indicators)} 条，"
                     f"计算 {amount_text(d.total_sum)}，申报 {declared}{control}{problems}"
                     + (f"（由 {len(d.projects)} 份申报表汇总）" if d.layout == "form" else ""))
    if len(batch.departments) > MAX_DEPARTMENTS:
        lines.append(f"  ……另有 {len(batch.departments) - MAX_DEPARTMENTS} 个部门，见 report.xlsx 汇总表")
    return lines


def finding_lines(facts: BatchView, max_findings: int) -> list[str]:
    """Findings grouped by department (errors first within each); a rejected file's own finding is left
    to the list of files not read, so it is said once."""
    severities = facts.severities
    lines = [f"问题：错误 {severities[ERROR]} 个，警告 {severities[WARNING]} 个，提示 {severities[INFO]} 个"]
    printed = 0
    for department, findings, counts in facts.groups:
        if printed >= max_findings:
            break
        told = "，".join(f"{SEVERITY_LABEL[s]} {counts[s]} 个" for s in (ERROR, WARNING, INFO) if counts[s])
        lines.append(f"  {MARKS[worst(counts)]} {department}（{told}）：")
        for f in findings[:max_findings - printed]:
            lines.append(f"    [{SEVERITY_LABEL[f.severity]}] {f.message}")  # the message names file and cell
        printed += min(len(findings), max_findings - printed)
    if facts.listed > printed:
        lines.append(f"  ……另有 {facts.listed - printed} 个问题，见 findings.csv 和 report.xlsx 的问题清单")
    return lines


def file_lines(batch: Batch) -> list[str]:
    not_read = [i for i in batch.inputs if i.status != "ok"]
    lines = ["未读取的文件："] if not_read else []
    for i in not_read[:MAX_FILES]:
        label = "拒收" if i.status == "rejected" else "跳过"
        lines.append(f"  [{label}] {i.file}：{i.reason}")
    if len(not_read) > MAX_FILES:
        lines.append(f"  ……另有 {len(not_read) - MAX_FILES} 个文件未读取，见 report.xlsx 文件表")
    return lines


def status_line(facts: BatchView) -> str:
    """The verdict, addressed to the clerk who runs the command."""
    if facts.status != FAILED:
        return "状态：" + status_label(facts.status)
    return f"状态：未通过（{facts.resubmit} 个部门或文件有错误，须退回修改后重新报送）"


def next_step(status: str, *, wrote: bool) -> str:
    """What the clerk does next, after a run (`wrote`) or a check whose status is `status` (vocabulary.py)."""
    if not wrote:
        return "下一步：pipeline run（写出本期报告）" if status != FAILED else "下一步：请把以上问题告知相关部门，改正后重新检查。"
    if status != FAILED:
        warned = "；有警告的部门可按问题清单修改" if status == WARNINGS else ""
        return f"下一步：pipeline email --dry-run（先预览邮件），确认后 pipeline email 发出{warned}。"
    return "下一步：把 departments/ 中各部门的表发回修改；或 pipeline email --dry-run 预览给科长的邮件。"
