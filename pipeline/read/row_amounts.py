"""A table row's amounts in 万元: the one place an unreadable amount cell of a published table is handled.

An amount that could not be read is reported (`bad_amount`; `formula_without_value` / `formula_error`
for a formula whose value the file does not give) and left unknown (None), never counted as 0; a blank
cell is 0. A negative amount is kept and reported (`negative_amount`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.model import Amounts, Source, add_known
from pipeline.money import ZERO, BadAmount, parse_amount, to_wanyuan
from pipeline.read.formulas import UnvaluedFormula
from pipeline.read.sheets import Sheet, cell_text
from pipeline.vocabulary import AMOUNT_FIELDS

# amount text that parse_amount would take as it is (ASCII digits, no space, no full-width form, no
# bracket): 308.00, -12, 3,080,000.00. Such text is read directly, sparing it the NFKC normalisation
_PLAIN_AMOUNT = re.compile(r"-?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?")


# zero as a cell holds it: read as such it is exactly a blank cell's 0 (0E-6 万元, not negative), so it is
# not parsed. Not -0.0 or "-0" (a negative zero, kept as written), nor False (no amount: bad_amount)
_ZERO_TEXTS = frozenset({"0", "0.0", "0.00"})


def _zero_cell(raw) -> bool:
    cls = raw.__class__
    if cls is float:
        return raw == 0.0 and math.copysign(1.0, raw) > 0
    return raw == 0 if cls is int else cls is str and raw in _ZERO_TEXTS


@dataclass(frozen=True, slots=True)
class AmountReader:
    """What reading a row's amounts needs from the table: its sheet, columns and unit, where a cell is,
    and where a finding goes (`add(code, cell=, project=, **params)`)."""

    sheet: Sheet
    cols: dict[str, int]
    unit: str
    source: Callable[[int, int | None], Source]
    add: Callable[..., None]
    # each amount field with its column (None: the table has none), and a blank cell in 万元: worked
    # out once per table, not per cell (Decimals are immutable, so one zero serves every blank cell)
    _fields: tuple[tuple[str, int | None], ...] = field(init=False, repr=False)
    _zero: Decimal = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_fields", tuple((fld, self.cols.get(fld)) for fld in AMOUNT_FIELDS))
        object.__setattr__(self, "_zero", to_wanyuan(ZERO, self.unit))

    def read(self, index: int, cells, row_kind: str, row_name: str | None = None,
             project: str | None = None) -> tuple[Amounts, bool]:
        """The row's amounts in 万元 and whether all were read. `row_kind` (total, page_total, subtotal,
        unit, project) and `row_name` name the row in a finding (`messages.ROW_LABELS`)."""
        values: list[Decimal | None] = []         # in AMOUNT_FIELDS order, Amounts' own
        width, formulas, unit, zero = len(cells), self.sheet.formula_cells, self.unit, self._zero
        for fld, col in self._fields:
            raw = cells[col] if col is not None and col < width else None
            if not formulas and (raw is None or raw == "" or _zero_cell(raw)):     # blank or 0: the common cases
                values.append(zero)
                continue
            try:
                value = to_wanyuan(self._parse_cell(index, col, raw), unit)
            except BadAmount as exc:
                values.append(None)
                self._unreadable(exc, raw, self._where(index, col, fld, row_kind, row_name, project))
                continue
            values.append(value)
            if value < 0:
                self.add("negative_amount", **self._where(index, col, fld, row_kind, row_name, project),
                         raw=cell_text(raw), amount=value, unit=unit)
        if "total" not in self.cols:   # no 总计 column: the total is the sum of the sources
            values[0] = add_known(add_known(values[1], values[2]), values[3])
        return Amounts(*values), None not in values

    def _where(self, index: int, col: int | None, fld: str, row_kind: str, row_name: str | None,
               project: str | None) -> dict:
        """Where a finding on an amount cell points: built only for a finding."""
        return {"cell": self.source(index, col).cell, "project": project, "row_kind": row_kind,
                "row_name": row_name, "column": fld}

    def _parse_cell(self, index: int, col: int | None, raw) -> Decimal:
        """An amount cell's value; a formula the reader gave as blank (no cached value, or a cached
        error) is unreadable, never 0."""
        formulas = self.sheet.formula_cells
        if formulas and col is not None:
            at = self.sheet.merged_from.get((index, col), (index, col))
            if at in formulas:
                raise UnvaluedFormula(formulas[at])
        if type(raw) is str and _PLAIN_AMOUNT.fullmatch(raw):
            return Decimal(raw.replace(",", ""))
        return parse_amount(raw)

    def _unreadable(self, exc: BadAmount, raw, where: dict) -> None:
        """Report an amount cell that could not be read: not a number, or a formula without its value."""
        if isinstance(exc, UnvaluedFormula) and exc.error:
            self.add("formula_error", **where, variant="table", error=exc.error)
        elif isinstance(exc, UnvaluedFormula):
            self.add("formula_without_value", **where, variant="table")
        else:
            self.add("bad_amount", **where, variant="table", raw=cell_text(raw), unit=self.unit)
