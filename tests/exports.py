"""Files as web systems and office programs export them under a table's name: HTML tables and
Excel 2003 XML (SpreadsheetML) saved as ".xls", Excel's 「Unicode 文本」. Rows as in builders.py."""

from __future__ import annotations

from html import escape
from pathlib import Path
from xml.sax.saxutils import quoteattr

from builders import text_bytes


def _text(value) -> str:
    return "" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)


def html_bytes(rows: list[list], *, encoding: str = "utf-8", merges=(), meta: bool = True, bom: bool = False) -> bytes:
    """An HTML page with one table; merges (r0, c0, r1, c1) become rowspan/colspan and the covered
    cells are left out, as a browser-facing export writes them. Line breaks become <br>."""
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in merges}
    covered = {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - set(spans)
    lines = []
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            if (r, c) in covered:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
            cells.append(f"<td{attrs}>{escape(_text(value)).replace(chr(10), '<br>')}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    charset = {"utf-8": "utf-8", "gbk": "gb2312"}.get(encoding, encoding)
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if meta else ""
    page = f"<html><head>{head}<title>导出</title></head><body>\n<table border=1>\n" + "\n".join(lines) + \
        "\n</table></body></html>"
    return ("\ufeff" if bom else "").encode("utf-8") + page.encode(encoding)


def spreadsheetml_bytes(rows: list[list], *, sheet: str = "Sheet1", merges=(), doctype: str = "") -> bytes:
    """Excel 2003 XML: empty cells skipped with ss:Index, merges as ss:MergeAcross/ss:MergeDown."""
    spans = {(r0, c0): (r1 - r0, c1 - c0) for r0, c0, r1, c1 in merges}
    covered = {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - set(spans)
    out = []
    for r, row in enumerate(rows):
        cells, expected = [], 0
        for c, value in enumerate(row):
            if (r, c) in covered or (value in ("", None) and (r, c) not in spans):
                continue
            down, across = spans.get((r, c), (0, 0))
            attrs = (f' ss:Index="{c + 1}"' if c != expected else "") + \
                (f' ss:MergeAcross="{across}"' if across else "") + (f' ss:MergeDown="{down}"' if down else "")
            kind = "Number" if isinstance(value, (int, float)) else "String"
            data = f"{value:.2f}" if isinstance(value, float) else escape(str(value))
            cells.append(f'<Cell{attrs}><Data ss:Type="{kind}">{data}</Data></Cell>')
            expected = c + across + 1
        out.append(f'<Row ss:Index="{r + 1}">' + "".join(cells) + "</Row>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + doctype + '<?mso-application progid="Excel.Sheet"?>\n'
            '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
            'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
            f'<Worksheet ss:Name={quoteattr(sheet)}><Table>\n' + "\n".join(out) +
            "\n</Table></Worksheet></Workbook>\n").encode("utf-8")


def unicode_text_bytes(rows: list[list]) -> bytes:
    """Excel's 「Unicode 文本」 (*.txt): UTF-16LE with a BOM, tab separated."""
    return b"\xff\xfe" + text_bytes(rows, encoding="utf-16-le", delimiter="\t")


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
