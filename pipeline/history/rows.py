"""A run's snapshot as the history database's rows, and money as integer 分 (1 万元 = 1,000,000 分):
exact, never a float; beyond SQLite's 64-bit integers the exact number of 分 as text; unknown is NULL."""

from __future__ import annotations

import json
from decimal import Decimal

from pipeline.findings import Params, params_json
from pipeline.money import EXACT, FEN
from pipeline.history.snapshot import Snapshot

INT64 = 2 ** 63 - 1


def snapshot_rows(snapshot: Snapshot, recorded: str) -> dict[str, list[tuple]]:
    """Every row the snapshot is stored as, by table (children after `runs`)."""
    period = snapshot.period
    return {
        "runs": [(period, snapshot.started, recorded, snapshot.status, to_fen(snapshot.total),
                  snapshot.total_unknown, snapshot.unknown_amounts)],
        "inputs": [(period, n, i.file, i.sha256, i.status, i.reason) for n, i in enumerate(snapshot.inputs)],
        "departments": [(period, n, d.name, d.file, d.sheet, d.unit, to_fen(d.total), to_fen(d.declared_total),
                         to_fen(d.control_total), int(d.reconciled), d.total_unknown, d.unknown_amounts, d.layout)
                        for n, d in enumerate(snapshot.departments)],
        "projects": [(period, n, p.department, p.spending_unit, p.name, to_fen(p.total), to_fen(p.fiscal),
                      to_fen(p.special_account), to_fen(p.other), p.goal, p.source_file, p.source_sheet,
                      p.source_row, p.layout) for n, p in enumerate(snapshot.projects)],
        "indicators": [(period, n, i.department, i.spending_unit, i.project, i.seq, i.level1, i.level2, i.name,
                        i.period_value, i.annual_value, i.source_file, i.source_sheet, i.source_row)
                       for n, i in enumerate(snapshot.indicators)],
        "findings": [(period, n, f.code, f.severity, f.file, f.sheet, f.cell, f.department, f.project, f.message,
                      params_json(f.params)) for n, f in enumerate(snapshot.findings)],
    }


def stored_params(stored: str | None) -> Params | None:
    """A finding's parameters as stored (None for a period recorded before they were kept). A Decimal
    comes back as its exact text, as run.json has it; `changes.finding_key` compares it so."""
    return None if stored is None else tuple(sorted(json.loads(stored).items()))


def to_fen(amount: Decimal | None) -> int | str | None:
    """万元 → integer 分, exactly (amounts are read to the 分; anything finer is a bug, not a rounding).
    Beyond SQLite's 64-bit integers, the exact number of 分 as text; None (unknown) stays None."""
    if amount is None:
        return None
    fen = EXACT.divide(amount, FEN)
    if fen != fen.to_integral_value(context=EXACT):
        raise ValueError(f"{amount} 万元 is finer than one 分")
    number = int(fen)
    return number if -INT64 - 1 <= number <= INT64 else str(number)


def from_fen(fen: int | str | None) -> Decimal | None:
    return None if fen is None else EXACT.multiply(Decimal(fen), FEN).quantize(FEN, context=EXACT)
