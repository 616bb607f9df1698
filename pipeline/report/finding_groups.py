"""The findings of a run grouped as the reports list them: by department (or file), by spending unit,
by kind, and counted per project. Every grouping, count and order a report shows of the findings is
made here, for `view.build_view` and the departments/ workbooks, so no writer groups or counts them.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.findings import ERROR, INFO, SEVERITY_LABEL, SEVERITY_ORDER, WARNING
from pipeline.review.rows import ProjectLine


def by_owner(findings: list[dict], owners: list[str]) -> list[tuple[str, list[dict]]]:
    """Findings grouped by department (a file's own findings under the file), errors first within
    each, groups with errors first, then in the order of `owners` (the departments to fix)."""
    groups: dict[str, list[dict]] = {}
    for f in findings:
        groups.setdefault(f["department"] or f["file"], []).append(f)
    rank = {name: n for n, name in enumerate(owners)}
    worst = {owner: min(SEVERITY_ORDER[f["severity"]] for f in items) for owner, items in groups.items()}
    return sorted(groups.items(), key=lambda item: (worst[item[0]], rank.get(item[0], len(rank)), item[0]))


def by_spending_unit(findings: list[dict], units: dict[tuple[str, str], set[str]]) -> list[dict]:
    """For 问题清单: by department (by name; a file's own findings last) and spending unit, errors first
    within each, each with its spending unit (`units`: (department, project) -> its spending units; one
    only when the name says which)."""
    rows = []
    for f in findings:
        found = units.get((f["department"], f["project"]), set())
        unit = next(iter(found)) if len(found) == 1 else ""
        rows.append({**f, "spending_unit": unit})
    return sorted(rows, key=lambda f: (f["department"] is None, f["department"] or f["file"], f["spending_unit"],
                                       SEVERITY_ORDER[f["severity"]]))


def by_department(findings: list[dict]) -> dict[str, list[dict]]:
    """The view's findings (errors first, with 级别 `label`, 问题 `title`, 位置 `where` and the message
    without its location, `text`) of each department, as departments/ workbooks list them."""
    grouped: dict[str, list[dict]] = {}
    for f in findings:
        if f["department"]:
            grouped.setdefault(f["department"], []).append(f)
    return grouped


def counts_by_label(findings: list[dict]) -> list[tuple[str, int]]:
    """`[("错误", 2), ("警告", 1)]` for a group of findings, in severity order, zeros left out."""
    counts = Counter(f["severity"] for f in findings)
    return [(SEVERITY_LABEL[s], counts[s]) for s in (ERROR, WARNING, INFO) if counts[s]]


def problems_by_owner(findings: list[dict]) -> dict[str, list[tuple[str, int]]]:
    """Each department's errors and warnings by kind (the code's Chinese title) with how many of each."""
    counts: dict[str, Counter] = {}
    for f in findings:
        if f["severity"] != INFO:
            counts.setdefault(f["department"] or f["file"], Counter())[(SEVERITY_ORDER[f["severity"]], f["title"])] += 1
    return {owner: [(title, n) for (_, title), n in sorted(c.items(), key=lambda item: (item[0][0], -item[1]))]
            for owner, c in counts.items()}


def counts_by_project(projects: list[ProjectLine], findings: list[dict]) -> list[int]:
    """How many findings each project has. A finding names its department and project, but two spending
    units may each have a project of that name (办公经费 under 第一中学 and 第二中学); then the finding's
    row tells them apart: it belongs to the nearest of them at or above it in the same file and sheet
    (the project's own row, or below it the project's indicator rows in the long layout). A finding
    without a cell there counts for each of them, as nothing says which it is."""
    same_name: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(projects):
        same_name.setdefault((p.department, p.name), []).append(i)
    counts = [0] * len(projects)
    for f in findings:
        candidates = same_name.get((f["department"], f["project"]), []) if f["project"] else []
        row = _row(f["cell"])
        if len(candidates) > 1 and row is not None:
            above = [i for i in candidates if (projects[i].source.file, projects[i].source.sheet or None) ==
                     (f["file"], f["sheet"] or None) and projects[i].source.row <= row]
            candidates = [max(above, key=lambda i: projects[i].source.row)] if above else candidates
        for i in candidates:
            counts[i] += 1
    return counts


def _row(cell: str | None) -> int | None:
    """`B7` -> 7."""
    digits = re.search(r"[0-9]+$", cell or "")
    return int(digits.group()) if digits else None
