"""Combine a department's forms, which arrive one per file, into one department.

Each form is read as a department of its own with one project. Here they are grouped by department
(spending units by 实施单位); a form resubmitted (the same department and project in two files) keeps
the most recently modified file, with a `duplicate_form` warning. When the department also sent its
published table, the table is the department (counted once) and its forms back it: they are cross-checked
project by project, with a `form_table_mismatch` finding for every difference.
"""

from __future__ import annotations

from pipeline.findings import finding
from pipeline.model import Department, InputFile, Project, SpendingUnit, department_key
from pipeline.read.resubmissions import listed, newest_and_older, skip_unused_files
from pipeline.text import compact
from pipeline.vocabulary import MONEY_COLUMNS



def combine_forms(batch) -> None:
    forms = [d for d in batch.departments if d.layout == "form"]
    if not forms:
        return
    entries = {i.file: i for i in batch.inputs}
    kept = _drop_resubmissions(batch, forms, entries)
    tables = {department_key(d.name): d for d in batch.departments if d.layout == "table"}
    combined: dict[str, Department] = {}
    for form in sorted(kept, key=lambda d: (d.file, d.sheet, d.projects[0].source.row)):
        key = department_key(form.name)
        if key in tables:
            _cross_check(batch, tables[key], form)
            entry = entries[form.file]
            if entry.status == "ok" and entry.reason is None:
                entry.reason = f"申报表：部门「{tables[key].name}」以汇总表「{tables[key].file}」为准，本表用于核对"
            continue
        department = combined.get(key)
        if department is None:
            department = combined[key] = Department(form.name, form.file, form.sheet, "万元", None, None, {},
                                                    layout="form", code=form.code)
        _add_project(batch, department, form.projects[0])
    batch.departments = [d for d in batch.departments if d.layout == "table"] + list(combined.values())


def _add_project(batch, department: Department, project: Project) -> None:
    project.department = department.name
    unit = next((u for u in department.spending_units if compact(u.name) == compact(project.spending_unit)), None)
    if unit is None:
        unit = SpendingUnit(project.spending_unit, None, None)
        department.spending_units.append(unit)
    if any(compact(p.name) == compact(project.name) for p in unit.projects):
        batch.findings.append(finding(
            "duplicate_project", file=project.source.file, sheet=project.source.sheet or None,
            cell=project.source.cell, department=department.name, project=project.name, variant="form",
            spending_unit=unit.name))
    unit.projects.append(project)


def _drop_resubmissions(batch, forms: list[Department], entries: dict[str, InputFile]) -> list[Department]:
    """The same department's same project in forms of two files: the newest file's form is used."""
    groups: dict[tuple[str, str], list[Department]] = {}
    for form in forms:
        groups.setdefault((department_key(form.name), compact(form.projects[0].name)), []).append(form)
    dropped: list[Department] = []
    for kept, older in newest_and_older(groups.values(), entries):
        dropped.extend(older)
        batch.findings.append(finding(
            "duplicate_form", file=kept.file, sheet=kept.sheet or None, cell=kept.projects[0].source.cell,
            department=kept.name, project=kept.projects[0].name, older_files=listed(older)))
    if not dropped:
        return forms
    gone = {id(d) for d in dropped}
    batch.departments = [d for d in batch.departments if id(d) not in gone]
    names = {(d.file, d.sheet, d.projects[0].name) for d in dropped}
    batch.findings = [f for f in batch.findings if (f.file, f.sheet or "", f.project) not in names]
    skip_unused_files(batch.departments, dropped, entries,
                      lambda d: f"「{d.projects[0].name}」的申报表已由更新的文件取代，本文件未采用")
    return [d for d in forms if id(d) not in gone]


def _cross_check(batch, table: Department, form: Department) -> None:
    """A form backing a published table: the table's project must say what the form says."""
    project = form.projects[0]
    match = next((p for p in table.projects if compact(p.name) == compact(project.name)), None)

    def differ(variant: str, **params) -> None:
        batch.findings.append(finding(
            "form_table_mismatch", file=project.source.file, sheet=project.source.sheet or None,
            cell=project.source.cell, department=table.name, project=project.name, variant=variant, **params))

    if match is None:
        differ("not_in_table", table_file=table.file)
        return
    for name in MONEY_COLUMNS:
        mine, theirs = getattr(project.amounts, name), getattr(match.amounts, name)
        if mine is not None and theirs is not None and mine != theirs:
            differ("money", column=name, form_amount=mine, table_amount=theirs, table_cell=match.source.cell)
    values = {compact(i.name): i for i in match.indicators}
    for indicator in project.indicators:
        other = values.pop(compact(indicator.name), None)
        if other is None:
            differ("indicator_not_in_table", indicator=indicator.name, indicator_cell=indicator.source.cell)
        elif compact(other.annual_value) != compact(indicator.annual_value):
            differ("indicator_value", indicator=indicator.name, form_value=indicator.annual_value,
                   table_value=other.annual_value)
    for other in values.values():
        differ("indicator_not_in_form", indicator=other.name)
