"""Read a form's indicator grid: 一级指标 | 二级指标 | 三级指标 | 指标值, in the variants real forms print.

一级 and 二级 cells may be merged down or repeated on every row, or left blank under the first (the
level carries down). The value columns may be one 指标值 (with 指标值及单位 / 绩效标准 / 指标性质 /
度量单位 beside it), or two blocks side by side, 实施周期 (长期) ∥ 当年度 (年度), either of which may be
left empty. A row with a 二级 but no 三级 and no value is an unused template row; the first sign-off row
(财政部门审核意见, 填表人, 注:…) ends the grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.read.form_header import Pos, own_cells, split_label_value
from pipeline.read.indicators import Target, parse_target
from pipeline.read.layout import is_header, match_header
from pipeline.read.sheets import Sheet, cell_text
from pipeline.vocabulary import form_field, grid_field

PERIOD, ANNUAL, BOTH = "period", "annual", "both"
_QUALITATIVE_NATURE = {"定性", "定性指标"}


@dataclass(slots=True)
class Block:
    kind: str                              # period | annual | both (one 指标值 for both)
    level2: int | None = None
    level3: int | None = None
    value: int | None = None
    standard: int | None = None


@dataclass(slots=True)
class GridHeader:
    row: int
    level1: int
    blocks: list[Block]
    nature: int | None = None
    measure_unit: int | None = None
    period_value: int | None = None        # a 实施周期指标值 column inside a single block

    @property
    def columns(self) -> set[int]:
        cols = {self.level1, self.nature, self.measure_unit, self.period_value}
        for b in self.blocks:
            cols |= {b.level2, b.level3, b.value, b.standard}
        return {c for c in cols if c is not None}


@dataclass(slots=True)
class GridRow:
    row: int
    level1: str
    level2: str
    name: str
    period_value: str
    annual_value: str
    nature: str
    measure_unit: str
    name_cell: Pos
    value_cell: Pos | None
    period_cell: Pos | None
    level1_cell: Pos
    level2_cell: Pos | None
    # (三级 name, value) of the period block and of the annual block as printed, when there are two blocks
    blocks: tuple[tuple[str, str], tuple[str, str]] = (("", ""), ("", ""))


@dataclass(slots=True)
class Grid:
    header: GridHeader
    rows: list[GridRow] = field(default_factory=list)
    kinds: dict[int, tuple[str, str]] = field(default_factory=dict)   # row -> (used|ignored|rejected, reason)
    end: int = 0                           # the first row after the grid (the sign-off, or the form's end)
    empty_blocks: list[str] = field(default_factory=list)              # period / annual blocks left empty


def grid_header(sheet: Sheet, row: int) -> GridHeader | None:
    """The grid's header row: 一级指标, then 二级指标 and 三级指标/指标内容 to its right, and no
    published-table column (项目名称, 总计…) in the same row — that is a long table's header."""
    if not any(isinstance(v, str) and "一级指标" in v for v in sheet.rows[row]):
        return None                        # the fast way past every other row of a large table
    cells = own_cells(sheet, row)
    titles = [(c, grid_field(t)) for c, t in cells]
    level1 = next((c for c, f in titles if f == "level1"), None)
    if level1 is None or is_header(match_header(sheet.rows[row])[0]):
        return None
    blocks: list[Block] = []
    header = GridHeader(row, level1, blocks)
    for col, name in titles:
        if col <= level1 or name is None:
            continue
        if name == "level2" or not blocks:
            blocks.append(Block(BOTH))
        block = blocks[-1]
        if name == "level2":
            block.level2 = col
        elif name == "level3" and block.level3 is None:
            block.level3 = col
        elif name in ("value", "period_value", "annual_value") and block.value is None:
            block.value = col
            block.kind = {"value": BOTH, "period_value": PERIOD, "annual_value": ANNUAL}[name]
        elif name == "annual_value" and block.kind == PERIOD:   # 实施周期指标值 | 年度指标值 in one block
            header.period_value, block.value, block.kind = block.value, col, BOTH
        elif name == "standard":
            block.standard = col
        elif name in ("nature", "measure_unit"):
            setattr(header, name, col)
    blocks[:] = [b for b in blocks if b.level3 is not None]
    if not blocks or blocks[0].level2 is None:
        return None
    if len(blocks) == 2 and blocks[0].kind == blocks[1].kind == BOTH:
        blocks[0].kind, blocks[1].kind = PERIOD, ANNUAL   # 指标值 ∥ 指标值: long-term first, then the year
    return header


def is_sign_off(sheet: Sheet, row: int) -> bool:
    """财政部门审核意见, 填表人:李四, 注:… — a row that ends the form's grid. A header row that also
    holds another label (项目负责人 | 张三 | 联系电话 | 138…) is none."""
    fields = set()
    for _, text in own_cells(sheet, row):
        pair = split_label_value(text)
        fields.add(form_field(pair[0] if pair else text))
    return "sign_off" in fields and not fields - {"sign_off", None}


def read_grid(sheet: Sheet, header: GridHeader, end: int) -> Grid:
    """Rows header.row+1 .. end-1 (or up to the first sign-off row)."""
    grid = Grid(header, end=end)
    grid.kinds[header.row] = ("used", "")
    carry = {"level1": "", "l2": {}}
    for row in range(header.row + 1, end):
        if is_sign_off(sheet, row):
            grid.end = row
            break
        if grid_header(sheet, row) is not None:     # the header repeated (a second page, a second grid)
            grid.kinds[row] = ("ignored", "header")
            continue
        _grid_row(sheet, grid, row, carry)
    _empty_blocks(grid)
    return grid


def _text(sheet: Sheet, row: int, col: int | None) -> str:
    cells = sheet.rows[row]
    return cell_text(cells[col]) if col is not None and col < len(cells) else ""


def _grid_row(sheet: Sheet, grid: Grid, row: int, carry: dict) -> None:
    header = grid.header
    printed = [t for _, t in own_cells(sheet, row)]
    level1 = _text(sheet, row, header.level1)
    values = []
    for k, block in enumerate(header.blocks):
        level2 = _text(sheet, row, block.level2)
        name = _text(sheet, row, block.level3)
        value = _text(sheet, row, block.value) or _text(sheet, row, block.standard)
        values.append((block, level2, name, value))
    outside = [c for c, _ in own_cells(sheet, row) if c not in header.columns and c > header.level1]
    if not any(name or value for _, _, name, value in values):
        if outside:
            grid.kinds[row] = ("rejected", "")
        elif level1 or any(level2 for _, level2, _, _ in values):
            grid.kinds[row] = ("ignored", "template_row" if printed else "blank")
        else:
            grid.kinds[row] = ("ignored", "blank")
        if level1 and level1 != carry["level1"]:
            carry["level1"], carry["l2"] = level1, {}
        return
    level1 = level1 or carry["level1"]
    if level1 != carry["level1"]:
        carry["l2"] = {}                   # a 二级 carries down only under its own 一级
    carry["level1"] = level1
    grid.kinds[row] = ("used", "")
    grid.rows.append(_combine(sheet, header, row, level1, values, carry))


def _combine(sheet: Sheet, header: GridHeader, row: int, level1: str, values: list, carry: dict) -> GridRow:
    """One indicator from a row's blocks: the annual block names it, the period block gives its period value."""
    by_kind = {block.kind: (block, l2, name, value) for block, l2, name, value in values}
    annual_block, period = by_kind.get(ANNUAL), by_kind.get(PERIOD)
    main = annual_block or by_kind.get(BOTH) or period
    block, level2, name, annual = main
    if not (name or annual) and period is not None:          # the annual block empty on this row
        block, level2, name, annual = period
    level2 = level2 or carry["l2"].get(id(block), "")
    carry["l2"][id(block)] = level2
    value_cell = (row, block.value) if block.value is not None else None
    if period is not None and period is not main:
        period_value, period_cell = period[3], (row, period[0].value)
    elif header.period_value is not None:
        period_value, period_cell = _text(sheet, row, header.period_value), (row, header.period_value)
    else:
        period_value, period_cell = annual, value_cell
    blocks = ((period[2], period[3]) if period else ("", ""), (annual_block[2], annual_block[3]) if annual_block else ("", ""))
    return GridRow(row, level1, level2, name, period_value, annual,
                   _text(sheet, row, header.nature), _text(sheet, row, header.measure_unit),
                   (row, block.level3), value_cell, period_cell,
                   (row, header.level1), (row, block.level2) if block.level2 is not None else None, blocks)


def _empty_blocks(grid: Grid) -> None:
    """A block whose every 三级 and value is blank while the other block is filled."""
    blocks = grid.header.blocks
    if grid.header.period_value is not None and grid.rows and not any(r.period_value for r in grid.rows):
        grid.empty_blocks.append(PERIOD)   # 实施周期指标值 | 年度指标值 columns of one block
    if len(blocks) < 2 or not grid.rows:
        return
    for k, kind in enumerate((PERIOD, ANNUAL)):
        if not any(name or value for name, value in (r.blocks[k] for r in grid.rows)):
            grid.empty_blocks.append(kind)


def row_target(row: GridRow) -> Target:
    """The annual value read as the table's long layout reads it: 指标性质 (≥ ≤ = 定性) and 度量单位
    complete the value (`100` + `≥` + `公里`)."""
    annual, nature, unit_text = row.annual_value, row.nature, row.measure_unit
    if nature in _QUALITATIVE_NATURE:
        return Target(None, None, "", "qualitative")
    if nature or unit_text:
        return parse_target(f"{nature}{annual}{unit_text if not annual.endswith(unit_text) else ''}")
    return parse_target(annual)


def value_columns(row: GridRow) -> tuple[int | None, int | None]:
    """The columns of the annual and the period value cells on the indicator's row (Indicator.annual_col,
    period_col), where findings on a value point."""
    return (row.value_cell[1] if row.value_cell else None, row.period_cell[1] if row.period_cell else None)
