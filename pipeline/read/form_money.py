"""A per-project form's money: every line of its 资金情况 block read in the unit the form states.

The unit is the one the money block or a money label names (`资金情况（万元）`), else a `单位:万元` line,
unless a value names its own (`250万`). An unreadable value is unknown (None) with a `bad_amount`
finding, a formula without its value `formula_without_value` / `formula_error`, and a form that
states no unit at all `form_no_money_unit` (万元 is assumed).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from pipeline.model import ZERO, Amounts
from pipeline.money import parse_money_unit
from pipeline.read.form_header import Label, Money, read_money
from pipeline.read.sheets import cell_text

if TYPE_CHECKING:
    from pipeline.read.form_project import FormReading


def _money_unit(form: FormReading) -> str | None:
    for lab in form.header.labels:
        if lab.field in ("money_block", "total", "period_total", "fiscal", "other") and lab.suffix:
            unit = parse_money_unit(f"单位:{lab.suffix}")
            if unit:
                return unit
    return form.header.unit_line


_MONEY_FIELDS = ("total", "period_total", "fiscal", "fiscal_item", "special_account", "other", "other_item")


def _money_lines(form: FormReading) -> dict[str, list[tuple[Money, Label]]]:
    """Every money line of the header read in the form's unit; unreadable ones are `bad_amount`."""
    unit = _money_unit(form)
    read: dict[str, list[tuple[Money, Label]]] = {}
    for lab in form.header.labels:
        if lab.field in _MONEY_FIELDS:
            formula = _unvalued_formula(form, lab)
            money = Money(None, True, "") if formula is not None else read_money(lab.value, unit or "万元")
            read.setdefault(lab.field, []).append((money, lab))
            if formula is not None:
                _formula_finding(form, lab, formula)
            elif money.amount is None:
                form.add("bad_amount", lab.value_cell or lab.cell, variant="form", label=_printed(lab),
                         problem=money.problem)
    stated = unit is not None or all(m.unit_written or not m.amount for ms in read.values() for m, _ in ms)
    if not stated:
        first = next(iter(read.values()))[0][1] if read else None
        form.add("form_no_money_unit", first.cell if first else None)
    return read


def _unvalued_formula(form: FormReading, lab: Label) -> str | None:
    """A money value that is a formula the file stores without its value (""), or with an error value."""
    formulas = form.sheet.formula_cells
    if not formulas or lab.value_cell is None:
        return None
    return formulas.get(form.sheet.merged_from.get(lab.value_cell, lab.value_cell))


def _printed(lab: Label) -> str:
    """A money line's label as the form prints it, without its colon: what a finding calls it."""
    return lab.printed.strip().rstrip(":：")


def _formula_finding(form: FormReading, lab: Label, error: str) -> None:
    if error:
        form.add("formula_error", lab.value_cell, variant="form", label=_printed(lab), error=error)
    else:
        form.add("formula_without_value", lab.value_cell, variant="form", label=_printed(lab))


def read_form_money(form: FormReading) -> tuple[Amounts, Decimal | None, dict[str, Decimal]]:
    read = _money_lines(form)

    def total_of(name: str) -> Decimal | None:
        lines = read.get(name, [])
        if lines:
            form.cells[name] = form.source(lines[0][1].value_cell or lines[0][1].cell)
        if any(m.amount is None for m, _ in lines):
            return None
        return sum((m.amount for m, _ in lines), ZERO)

    items = {"fiscal": total_of("fiscal_item"), "other": total_of("other_item")}
    values = {name: total_of(name) for name in ("fiscal", "special_account", "other")}
    item_sums = {}
    for name, summed in items.items():
        if name + "_item" not in read:
            continue
        if name not in read:
            values[name] = summed                     # the items without their 小计 line
        elif summed is not None:
            item_sums[name] = summed
    if "total" in read:
        total = total_of("total")
        if not read.keys() & {"fiscal", "fiscal_item", "special_account", "other", "other_item"}:
            values["fiscal"] = total               # 本年度申请…财政预算资金 alone: the money asked of the treasury
    else:
        total = None if None in values.values() else sum(values.values(), ZERO)
    # whole-period money where printed: a blank 资金总额 is not printed (unknown), never a period total of 0
    printed = any(cell_text(lab.value) for _, lab in read.get("period_total", []))
    period_total = total_of("period_total") if printed else None
    return Amounts(total=total, fiscal=values["fiscal"], special_account=values["special_account"],
                   other=values["other"]), period_total, item_sums
