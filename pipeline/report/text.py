"""The short Chinese summary both commands print (built here, printed by the CLI)."""

from __future__ import annotations

from collections import Counter

from pipeline.read.batch import Batch
from pipeline.findings import ERROR, INFO, WARNING, SEVERITY_LABEL
from pipeline.model import Sum, grand_total
from pipeline.money import show, show_exact
from pipeline.report.record import run_status
from pipeline.vocabulary import FAILED, UNKNOWN_AMOUNT, status_label, unknown_note


MAX_DEPARTMENTS = 20   # a city batch lists hundreds: the screen shows the first ones, the reports all
MAX_FILES = 20


def summary_lines(batch: Batch, *, max_findings: int = 10) -> list[str]:
    statuses = Counter(i.status for i in batch.inputs)
    severities = Counter(f.severity for f in batch.findings)
    units = sum(len(d.spending_units) for d in batch.departments)
    projects = sum(len(d.projects) for d in batch.departments)
    indicators = sum(len(d.indicators) for d in batch.departments)
    declared = Sum.of(d.declared_total.total for d in batch.departments if d.declared_total is not None)
    declared_text = "—" if not any(d.declared_total for d in batch.departments) else amount_text(declared)
    forms = sum(1 for d in batch.departments for p in d.projects if p.layout == "form")
    lines = [
        f"文件 {len(batch.inputs)} 个：读取成功 {statuses['ok']} 个，拒收 {statuses['rejected']} 个，跳过 {statuses['skipped']} 个",
        f"部门 {len(batch.departments)} 个，资金使用单位 {units} 个，项目 {projects} 个，绩效指标 {indicators} 条"
        + (f"（其中申报表 {forms} 份）" if forms else ""),
        f"合计 {amount_text(grand_total(batch.departments))}（各部门合计行申报 {declared_text}）",
    ]
    for d in batch.departments[:MAX_DEPARTMENTS]:
        declared_d = ("—" if d.declared_total is None else UNKNOWN_AMOUNT if d.declared_total.total is None
                      else amount_text(Sum.of([d.declared_total.total])))
        lines.append(f"  {d.name}：项目 {len(d.projects)} 个，指标 {len(d.indicators)} 条，"
                     f"计算 {amount_text(d.total_sum)}，申报 {declared_d}"
                     + (f"，控制数 {show_exact(batch.control_totals[d.name])} 万元" if d.name in batch.control_totals else "")
                     + (f"（由 {len(d.projects)} 份申报表汇总）" if d.layout == "form" else ""))
    if len(batch.departments) > MAX_DEPARTMENTS:
        lines.append(f"  ……另有 {len(batch.departments) - MAX_DEPARTMENTS} 个部门，见 report.xlsx 汇总表")
    lines.append(f"问题：错误 {severities[ERROR]} 个，警告 {severities[WARNING]} 个，提示 {severities[INFO]} 个")
    for f in batch.findings[:max_findings]:
        lines.append(f"  [{SEVERITY_LABEL[f.severity]}] {f.message}")  # the message names file and cell
    if len(batch.findings) > max_findings:
        lines.append(f"  ……另有 {len(batch.findings) - max_findings} 个问题，见 findings.csv")
    not_read = [i for i in batch.inputs if i.status != "ok"]
    for i in not_read[:MAX_FILES]:
        label = "拒收" if i.status == "rejected" else "跳过"
        lines.append(f"  [{label}] {i.file}：{i.reason}")
    if len(not_read) > MAX_FILES:
        lines.append(f"  ……另有 {len(not_read) - MAX_FILES} 个文件未读取，见 report.xlsx 文件表")
    status = run_status(batch)
    lines.append("状态：" + status_label(status) + ("（有错误，请按问题清单修改后重新报送）" if status == FAILED else ""))
    return lines


def amount_text(total: Sum) -> str:
    """`298.00 万元`, or for a sum that lacks unreadable amounts `298.00 万元（另有 1 个金额无法读取，未计入）`."""
    return f"{show(total.known)} 万元{unknown_note(total.unknown)}"
