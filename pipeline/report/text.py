"""The short Chinese summary both commands print (built here, printed by the CLI)."""

from __future__ import annotations

from collections import Counter

from pipeline.read.batch import Batch
from pipeline.findings import ERROR, INFO, WARNING, SEVERITY_LABEL
from pipeline.money import fmt


MAX_DEPARTMENTS = 20   # a city batch lists hundreds: the screen shows the first ones, the reports all
MAX_FILES = 20


def summary_lines(batch: Batch, *, max_findings: int = 10) -> list[str]:
    statuses = Counter(i.status for i in batch.inputs)
    severities = Counter(f.severity for f in batch.findings)
    units = sum(len(d.spending_units) for d in batch.departments)
    projects = sum(len(d.projects) for d in batch.departments)
    indicators = sum(len(d.indicators) for d in batch.departments)
    declared = [d.declared_total.total for d in batch.departments if d.declared_total is not None]
    forms = sum(1 for d in batch.departments for p in d.projects if p.layout == "form")
    lines = [
        f"文件 {len(batch.inputs)} 个：读取成功 {statuses['ok']} 个，拒收 {statuses['rejected']} 个，跳过 {statuses['skipped']} 个",
        f"部门 {len(batch.departments)} 个，资金使用单位 {units} 个，项目 {projects} 个，绩效指标 {indicators} 条"
        + (f"（其中申报表 {forms} 份）" if forms else ""),
        f"合计 {fmt(batch.total)} 万元（各部门合计行申报 {fmt(sum(declared)) if declared else '—'} 万元）",
    ]
    for d in batch.departments[:MAX_DEPARTMENTS]:
        declared_d = fmt(d.declared_total.total) if d.declared_total is not None else "—"
        lines.append(f"  {d.name}：项目 {len(d.projects)} 个，指标 {len(d.indicators)} 条，"
                     f"计算 {fmt(d.total)} 万元，申报 {declared_d} 万元"
                     + (f"，控制数 {fmt(batch.control_totals[d.name])} 万元" if d.name in batch.control_totals else "")
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
    lines.append("状态：" + ("通过" if batch.ok else "未通过（有错误，请按问题清单修改后重新报送）"))
    return lines
