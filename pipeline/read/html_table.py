"""Read the ".xls" many web systems export, which is really an HTML page with a <table>.

The page becomes one sheet, its top-level tables stacked as a browser shows them (a title table above
the data table keeps its 部门名称 line above the header), a blank row between two. rowspan and colspan
are merged cells: the covered cells get the spanning cell's text and are recorded in `merged_from`,
as for a workbook. Parsed with lxml.html
(libxml2's HTML parser), never by pattern matching; it loads nothing from the network.
"""

from __future__ import annotations

from pipeline.read.sheets import ReadError, Sheet

# HTML caps colspan at 1000 and rowspan at 65534; a grid this large is no department's table
MAX_SPAN = 1000
MAX_CELLS = 1_000_000


def read_html(data: bytes, encoding: str | None) -> list[Sheet]:
    import lxml.html
    from lxml import etree

    lowered = data.lower()
    tags = lowered.count(b"<td") + lowered.count(b"<th")   # an upper bound, before building a tree
    if tags > MAX_CELLS:
        raise ReadError(f"网页表格有约 {tags:,} 个单元格，超过 {MAX_CELLS:,} 个，疑似异常文件，未读取")
    parser = lxml.html.HTMLParser(encoding=_encoding(data, encoding), no_network=True, remove_comments=True,
                                  remove_pis=True)
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"是网页格式（HTML），但无法解析：{exc}") from exc
    tables = [t for t in root.iter("table") if not any(a.tag == "table" for a in t.iterancestors())]
    if not tables:
        raise ReadError("实际是网页（HTML），但其中没有表格，未读取。请向报送部门索取 Excel 原表")
    cells = int(root.xpath("count(//td) + count(//th)"))  # counted by libxml2, before any Python loop
    if cells > MAX_CELLS:
        raise ReadError(f"网页表格有 {cells:,} 个单元格，超过 {MAX_CELLS:,} 个，疑似异常文件，未读取")
    grid: dict[tuple[int, int], tuple[str, tuple[int, int]]] = {}
    top = 0
    for table in tables:
        top = _place(table, grid, top) + 1     # one blank row between two tables
    return [_sheet(grid)]


def _encoding(data: bytes, sniffed: str | None) -> str | None:
    """A BOM or bytes that are not UTF-8 decide; otherwise the page's own <meta charset> is trusted
    (libxml2 reads it), falling back to UTF-8, which lxml would otherwise take for Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    if sniffed and sniffed.startswith("utf-16"):
        return sniffed
    head = data[:4096].lower()
    if b"charset" in head:
        return None
    return sniffed or "utf-8"


def _place(table, grid: dict, top: int) -> int:
    """Put the table's cells into `grid` from row `top`; returns the first row below it."""
    end = top
    for r, tr in enumerate(_rows(table), start=top):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            rowspan, colspan = cell.get("rowspan"), cell.get("colspan")
            rows = _span(rowspan, 65534) if rowspan else 1
            cols = _span(colspan, MAX_SPAN) if colspan else 1
            if len(grid) + rows * cols > MAX_CELLS:
                raise ReadError(f"网页表格超过 {MAX_CELLS:,} 个单元格（合并单元格 {rows} 行 × {cols} 列），"
                                "疑似异常文件，未读取")
            text = _text(cell)
            for dr in range(rows):
                for dc in range(cols):
                    grid[(r + dr, c + dc)] = (text, (r, c))
            c += cols
            end = max(end, r + rows)
        end = max(end, r + 1)
    return end


def _sheet(grid: dict) -> Sheet:
    sheet = Sheet("", [])
    height = max((r for r, _ in grid), default=-1) + 1
    width = max((c for _, c in grid), default=-1) + 1
    if height * width > MAX_CELLS:
        raise ReadError(f"网页表格的范围过大（{height:,} 行 × {width:,} 列），疑似异常文件，未读取")
    sheet.rows = [[""] * width for _ in range(height)]
    for (r, c), (text, origin) in grid.items():
        sheet.rows[r][c] = text
        if origin != (r, c):
            sheet.merged_from[(r, c)] = origin
    return sheet


def _rows(table):
    """The table's own rows, in order, through <thead>/<tbody>/<tfoot> but not into nested tables."""
    for child in table:
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child if tr.tag == "tr")


def _span(value: str, cap: int) -> int:
    try:
        number = int(value.strip() or 1)
    except ValueError:
        return 1
    return min(max(number, 1), cap)


def _text(cell) -> str:
    """A cell's text with <br> as a line break (a packed indicator cell puts one indicator per line),
    blanks collapsed as a browser shows them."""
    if len(cell):  # child elements: <br>, <span>, <font>...
        for br in cell.iter("br"):
            br.tail = "\n" + (br.tail or "")
        raw = cell.text_content()
    else:
        raw = cell.text or ""
    if raw.isprintable() and "  " not in raw and raw == raw.strip():
        return raw  # nearly every cell: nothing to collapse
    lines = [" ".join(line.split()) for line in raw.replace("\xa0", " ").split("\n")]
    return "\n".join(line for line in lines if line)
