"""Read Excel 2003 XML (SpreadsheetML), the other ".xls" web systems and older programs export.

`<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">` holds `<Worksheet ss:Name>`, each a
`<Table>` of `<Row ss:Index>` of `<Cell ss:Index ss:MergeAcross ss:MergeDown><Data ss:Type>`. Merged
cells are filled from their top-left cell and recorded in `merged_from`, as for a workbook. Parsed
with lxml without entity expansion, network or huge-tree mode; a file with a DOCTYPE is refused.
"""

from __future__ import annotations

from pipeline.read.sheets import ReadError, Sheet

NS = "urn:schemas-microsoft-com:office:spreadsheet"
SS = f"{{{NS}}}"
X = "{urn:schemas-microsoft-com:office:excel}"
MERGE_ACROSS, MERGE_DOWN, DATA, TYPE = f"{SS}MergeAcross", f"{SS}MergeDown", f"{SS}Data", f"{SS}Type"
MAX_CELLS = 1_000_000          # as for HTML tables: far above any department's table
MAX_INDEX = 1_048_576          # Excel's last row; SpreadsheetML's own limit is 65,536


def read_spreadsheetml(data: bytes) -> list[Sheet]:
    from lxml import etree

    if b"<!DOCTYPE" in data[:65536] or b"<!ENTITY" in data[:65536]:
        raise _unsafe()
    if data.count(b"<Cell") + data.count(b":Cell") > MAX_CELLS:   # an upper bound, before building a tree
        raise ReadError(f"Excel 2003 XML 表格超过 {MAX_CELLS:,} 个单元格，疑似异常文件，未读取")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"是 Excel 2003 XML 表格，但 XML 有误（文件可能被截断）：{exc}") from exc
    if root.getroottree().docinfo.doctype:
        raise _unsafe()
    cells = int(root.xpath("count(//ss:Cell)", namespaces={"ss": NS}))  # counted by libxml2, before any loop
    if cells > MAX_CELLS:
        raise ReadError(f"Excel 2003 XML 表格有 {cells:,} 个单元格，超过 {MAX_CELLS:,} 个，疑似异常文件，未读取")
    return [_sheet(ws) for ws in root.iter(f"{SS}Worksheet")]


def _unsafe() -> ReadError:
    return ReadError("Excel 2003 XML 表格中含有 DTD/实体声明（可用于 XML 炸弹），未读取。"
                     "请用 Excel 打开后另存为 .xlsx 再放入", code="unsafe_file")


def _sheet(worksheet) -> Sheet:
    sheet = Sheet(worksheet.get(f"{SS}Name", ""), [], visible=_visible(worksheet))
    grid: dict[tuple[int, int], object] = {}
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    table = worksheet.find(f"{SS}Table")
    r = -1
    for row in table.iterfind(f"{SS}Row") if table is not None else ():
        r = _index(row, r)
        c = -1
        for cell in row.iterfind(f"{SS}Cell"):
            c = _index(cell, c)
            while (r, c) in covered:
                c += 1
            across, down = _count(cell, MERGE_ACROSS), _count(cell, MERGE_DOWN)
            if (across + 1) * (down + 1) + len(grid) > MAX_CELLS:
                raise ReadError(f"Excel 2003 XML 表格超过 {MAX_CELLS:,} 个单元格，疑似异常文件，未读取")
            grid[(r, c)] = _value(cell)
            for dr in range(down + 1):
                for dc in range(across + 1):
                    if dr or dc:
                        covered[(r + dr, c + dc)] = (r, c)
            c += across
    for (r, c), origin in covered.items():
        grid[(r, c)] = grid[origin]
    height = max((r for r, _ in grid), default=-1) + 1
    width = max((c for _, c in grid), default=-1) + 1
    if height * width > MAX_CELLS:
        raise ReadError(f"Excel 2003 XML 表格的范围过大（{height:,} 行 × {width:,} 列），疑似异常文件，未读取")
    sheet.rows = [[""] * width for _ in range(height)]
    for (r, c), value in grid.items():
        sheet.rows[r][c] = value
    sheet.merged_from = covered
    return sheet


def _index(element, previous: int) -> int:
    """ss:Index is 1-based and skips ahead; without it an element follows the previous one."""
    raw = element.get(f"{SS}Index")
    if raw is None:
        return previous + 1
    try:
        index = int(raw) - 1
    except ValueError:
        return previous + 1
    if not previous < index < MAX_INDEX:
        raise ReadError(f"Excel 2003 XML 表格中有无效的位置 ss:Index=\"{raw}\"（文件可能已损坏），未读取")
    return index


def _count(cell, attribute: str) -> int:
    raw = cell.get(attribute)
    if raw is None:
        return 0
    try:
        return max(0, int(raw))
    except ValueError:
        return 0


def _value(cell) -> object:
    """The cell's text as written: a Number stays the text of the number (exact, never a float)."""
    data = cell.find(DATA)
    if data is None:
        return ""
    text = "".join(data.itertext()) if len(data) else data.text or ""  # rich text holds <Font> runs
    if data.get(TYPE) == "Boolean":
        return text.strip() == "1"
    return text


def _visible(worksheet) -> bool:
    options = worksheet.find(f"{X}WorksheetOptions")
    hidden = options.find(f"{X}Visible") if options is not None else None
    return hidden is None or (hidden.text or "").strip() not in ("SheetHidden", "SheetVeryHidden")
