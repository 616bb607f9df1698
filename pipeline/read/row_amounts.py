"""A table row's amounts in 万元: the one place an unreadable amount cell of a published table is handled.

An amount that could not be read is reported (`bad_amount`; `formula_without_value` / `formula_error`
for a formula whose value the file does not give) and left unknown (None), never counted as 0; a blank
cell is 0. A negative amount is kept and reported (`negative_amount`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from pipeline.model import Amounts, Source, add_known
from pipeline.money import BadAmount, parse_amount, to_wanyuan
from pipeline.read.formulas import UnvaluedFormula
from pipeline.read.layout import cell_text
from pipeline.read.sheets import Sheet
from pipeline.vocabulary import AMOUNT_FIELDS


@dataclass(frozen=True, slots=True)
class AmountReader:
    """What reading a row's amounts needs from the table: its sheet, columns and unit, where a cell is,
    and where a finding goes (`add(code, cell=, project=, **params)`)."""

    sheet: Sheet
    cols: dict[str, int]
    unit: str
    source: Callable[[int, int | None], Source]
    add: Callable[..., None]

    def read(self, index: int, cells, row_kind: str, row_name: str | None = None,
             project: str | None = None) -> tuple[Amounts, bool]:
        """The row's amounts in 万元 and whether all were read. `row_kind` (total, page_total, subtotal,
        unit, project) and `row_name` name the row in a finding (`messages.ROW_LABELS`)."""
        values: dict[str, Decimal | None] = {}
        for fld in AMOUNT_FIELDS:
            col = self.cols.get(fld)
            raw = cells[col] if col is not None and col < len(cells) else None
            cell = self.source(index, col).cell
            where = {"cell": cell, "project": project, "row_kind": row_kind, "row_name": row_name, "column": fld}
            try:
                values[fld] = to_wanyuan(self._parse_cell(index, col, raw), self.unit)
            except BadAmount as exc:
                values[fld] = None
                self._unreadable(exc, raw, where)
                continue
            if values[fld] < 0:
                self.add("negative_amount", **where, raw=cell_text(raw), amount=values[fld], unit=self.unit)
        if "total" not in self.cols:   # no 总计 column: the total is the sum of the sources
            values["total"] = add_known(add_known(values["fiscal"], values["special_account"]), values["other"])
        return Amounts(**values), all(v is not None for v in values.values())

    def _parse_cell(self, index: int, col: int | None, raw) -> Decimal:
        """An amount cell's value; a formula the reader gave as blank (no cached value, or a cached
        error) is unreadable, never 0."""
        formulas = self.sheet.formula_cells
        if formulas and col is not None:
            at = self.sheet.merged_from.get((index, col), (index, col))
            if at in formulas:
                raise UnvaluedFormula(formulas[at])
        return parse_amount(raw)

    def _unreadable(self, exc: BadAmount, raw, where: dict) -> None:
        """Report an amount cell that could not be read: not a number, or a formula without its value."""
        if isinstance(exc, UnvaluedFormula) and exc.error:
            self.add("formula_error", **where, variant="table", error=exc.error)
        elif isinstance(exc, UnvaluedFormula):
            self.add("formula_without_value", **where, variant="table")
        else:
            self.add("bad_amount", **where, variant="table", raw=cell_text(raw), unit=self.unit)
