"""One department, counted once within a workbook: a sheet that copies another is not added.

Departments keep backup copies of their table in the same workbook (a hidden sheet with an older
draft, a visible `Sheet1 (2)`). Summed in, they double the money. A department legitimately spread
over several sheets holds different projects on each, so the projects decide: two tables of the same
department on different sheets that share a project (same spending unit and name, compared as
`text.compact` compares) are a copy, disjoint ones are parts of one submission. Of a copy and its
original, a visible sheet wins over a hidden one, else the sheet that comes first in the workbook.
"""

from __future__ import annotations

from pipeline.findings import Finding, finding
from pipeline.model import Department, RowCount, department_key
from pipeline.read.normalise import SheetResult
from pipeline.read.sheets import Sheet
from pipeline.text import compact

COPY_REASON = "copy"       # RowCount.ignored_as reason for the rows of a dropped copy
_SHOWN = 3                 # project names quoted per difference


def drop_sheet_copies(file: str, parsed: list[tuple[Sheet, SheetResult]]) -> list[Finding]:
    """Drop, in place, every table that copies a department read from another sheet of `file`: its
    department and findings go, its rows are counted as ignored (reason `copy`). Returns one
    `duplicate_sheet` finding per dropped copy."""
    kept: dict[str, list[tuple[Sheet, SheetResult]]] = {}
    notes: list[Finding] = []
    for sheet, result in parsed:
        department = result.department
        if department is None:
            continue
        group = kept.setdefault(department_key(department.name), [])
        original = next((pair for pair in group if pair[0] is not sheet and _shares_a_project(pair[1], result)), None)
        if original is None:
            group.append((sheet, result))
            continue
        winner, copy = original, (sheet, result)
        if not original[0].visible and sheet.visible:
            winner, copy = copy, original
            group[group.index(original)] = winner
        notes.append(_finding(file, winner, copy))
        _drop(copy[1])
    return notes


def _keys(result: SheetResult) -> set[tuple[str, str]]:
    return {(compact(p.spending_unit), compact(p.name)) for p in result.department.projects}


def _shares_a_project(a: SheetResult, b: SheetResult) -> bool:
    return bool(_keys(a) & _keys(b))


def _drop(result: SheetResult) -> None:
    read = result.rows.read
    result.department = None
    result.findings = []
    result.rows = RowCount(read=read, ignored=read, ignored_as={COPY_REASON: read} if read else {})


def _finding(file: str, winner: tuple[Sheet, SheetResult], copy: tuple[Sheet, SheetResult]) -> Finding:
    kept, dropped = winner[1].department, copy[1].department
    return finding("duplicate_sheet", file=file, sheet=copy[0].name or None, department=kept.name,
                   hidden=int(not copy[0].visible), visibility_differs=int(copy[0].visible != winner[0].visible),
                   kept_sheet=winner[0].name, **_differences(kept, dropped))


def _differences(kept: Department, dropped: Department) -> dict:
    """How the copy differs from the table kept: both totals, the number of the copy's projects, and the
    names of the projects only the copy has, only the kept table has, and those with other amounts."""
    ours = {(compact(p.spending_unit), compact(p.name)): p for p in kept.projects}
    theirs = {(compact(p.spending_unit), compact(p.name)): p for p in dropped.projects}
    only_copy = [theirs[k].name for k in theirs if k not in ours]
    only_kept = [ours[k].name for k in ours if k not in theirs]
    changed = [ours[k].name for k in ours if k in theirs and ours[k].amounts != theirs[k].amounts]
    return {"kept_total": kept.total, "copy_total": dropped.total, "copy_projects": len(theirs),
            "extra_projects": _names(only_copy), "missing_projects": _names(only_kept),
            "changed_projects": _names(changed)}


def _names(names: list[str]) -> str | None:
    """Up to three names as the message quotes them (`「a」、「b」等 5 个`), None for none."""
    if not names:
        return None
    shown = "、".join(f"「{n}」" for n in names[:_SHOWN])
    return f"{shown}等 {len(names)} 个" if len(names) > _SHOWN else shown

