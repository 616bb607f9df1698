"""What a file really is, from its bytes rather than its name.

Departments rename files, and web systems export HTML or Excel 2003 XML under a ".xls" name, so the
extension says little. `sniff` reads the first few kilobytes (and, for a ZIP or an OLE2 container,
its directory: a few kilobytes more) and names the format; `read_sheets` then picks the reader.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

HEAD_BYTES = 8192
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
SPREADSHEETML_NS = b"urn:schemas-microsoft-com:office:spreadsheet"
BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# bytes no text table holds; NUL and Ctrl-Z (0x1A) are tolerated in text, but not in bulk
CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0D, 0x0C, 0x1A, 0x1B}
_NOT_CONTROL = bytes(b for b in range(256) if b not in CONTROL)   # deleted to count the controls at C speed

# the formats a reader reads ...
XLSX, XLSB, XLS, ODS, HTML, SPREADSHEETML, TEXT = "xlsx", "xlsb", "xls", "ods", "html", "spreadsheetml", "text"
# ... and the ones refused, each with its true name
ENCRYPTED, OLE_OTHER, ZIP_OTHER, DOCX, XML_OTHER, PDF, MHTML, BINARY, EMPTY = (
    "encrypted", "ole", "zip", "docx", "xml", "pdf", "mhtml", "binary", "empty")
# a container whose directory cannot be read: the workbook reader names the damage
DAMAGED_ZIP, DAMAGED_OLE = "damaged_zip", "damaged_ole"

LABEL = {
    XLSX: "Excel 工作簿（.xlsx）", XLSB: "Excel 二进制工作簿（.xlsb）", XLS: "Excel 97-2003 工作簿（.xls）",
    ODS: "OpenDocument 电子表格（.ods）", HTML: "网页格式（HTML）的表格",
    SPREADSHEETML: "Excel 2003 XML 表格（SpreadsheetML）", TEXT: "文本表格（CSV 或制表符分隔）",
}
HOW_READ = {HTML: "网页表格", SPREADSHEETML: "Excel 2003 XML 表格", TEXT: "文本表格"}
# what each extension promises; anything else is read by its content, with a note
EXPECTED = {".xlsx": {XLSX}, ".xlsm": {XLSX}, ".xls": {XLS}, ".ods": {ODS}, ".csv": {TEXT}, ".tsv": {TEXT},
            ".txt": {TEXT}}
SAVE_AS = "请用 Excel 打开后另存为 .xlsx 再放入，或向报送部门索取 Excel 原表"
REFUSAL = {
    OLE_OTHER: f"实际是 Office 文档（如 Word .doc），不是 Excel 工作簿，未读取。{SAVE_AS}",
    ZIP_OTHER: "实际是 ZIP 压缩包，不是工作簿，未读取。如是多份报表打包，请解压后把其中的表格放入输入文件夹",
    DOCX: f"实际是 Word 文档（.docx），不是 Excel 工作簿，未读取。{SAVE_AS}",
    XML_OTHER: f"实际是 XML 文件，但不是 Excel 2003 XML 表格，未读取。{SAVE_AS}",
    PDF: "实际是 PDF 文件，不是表格，未读取。请向报送部门索取 Excel 原表",
    MHTML: f"实际是「单个文件网页」（MHTML），不是表格文件，未读取。{SAVE_AS}",
    BINARY: "含有二进制内容，不是文本表格或工作簿（可能是改了扩展名的其他文件），未读取。" + SAVE_AS,
    EMPTY: "无法作为电子表格打开：文件是空的（0 字节）。请让报送部门重新发送",
}


@dataclass(frozen=True, slots=True)
class Sniffed:
    kind: str
    encoding: str | None = None     # text and markup: the encoding the bytes are in, when known


def sniff(path: Path) -> Sniffed:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head:
        return Sniffed(EMPTY)
    if head.startswith(OLE_MAGIC):
        return Sniffed(_ole_kind(path))
    if head.startswith(ZIP_MAGIC):
        return Sniffed(_zip_kind(path))
    if head.startswith(b"%PDF-"):
        return Sniffed(PDF)
    encoding = text_encoding(head)
    if encoding is None:
        return Sniffed(BINARY)
    return Sniffed(_markup_kind(head, encoding) or TEXT, encoding)


def mismatch_note(kind: str, suffix: str) -> str | None:
    """The clerk's note when a file was read by its content, not its extension."""
    if kind in EXPECTED.get(suffix, {kind}):
        return None
    return (f"该文件实际是{LABEL[kind]}，扩展名却是 {suffix or '（无）'}；已按{HOW_READ.get(kind, LABEL[kind])}读取。"
            f"无需处理；如需改正，可请报送部门按实际格式命名")


def _ole_kind(path: Path) -> str:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptedPackage"):
                return ENCRYPTED            # an encrypted .xlsx: OOXML inside an OLE2 wrapper
            if ole.exists("Workbook") or ole.exists("Book"):
                return XLS
            return OLE_OTHER
    except Exception:  # olefile raises OSError and assorted parse errors on a damaged container
        return DAMAGED_OLE


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = {n.lower() for n in archive.namelist()}
            if "xl/workbook.xml" in names:
                return XLSX
            if "xl/workbook.bin" in names:
                return XLSB
            if "mimetype" in names and archive.getinfo(_original(archive, "mimetype")).file_size < 200:
                if archive.read(_original(archive, "mimetype")).strip() == ODS_MIMETYPE:
                    return ODS
            if "word/document.xml" in names:
                return DOCX
            return ZIP_OTHER
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, NotImplementedError, EOFError):
        return DAMAGED_ZIP


def _original(archive: zipfile.ZipFile, lower: str) -> str:
    return next(n for n in archive.namelist() if n.lower() == lower)


def text_encoding(head: bytes) -> str | None:
    """The encoding of text bytes ("utf-8", "gb18030", "utf-16-le"...), or None for binary content."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    sample = head[:4096]
    if len(sample) >= 4:
        even, odd = sample[0::2], sample[1::2]
        # UTF-16 without a BOM: the high byte of most CJK-free text is NUL, in alternate positions
        # (Chinese text has fewer, but its digits, tabs and line ends still give one in ten)
        if odd.count(0) > 0.1 * len(odd) and even.count(0) < 0.01 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.1 * len(even) and odd.count(0) < 0.01 * len(odd):
            return "utf-16-be"
    controls = len(sample.translate(None, _NOT_CONTROL))
    if controls > max(8, len(sample) // 100):
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return encoding
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 4:  # a character cut at the end of the sample
                return encoding
    return None


def _markup_kind(head: bytes, encoding: str) -> str | None:
    text = head.decode(encoding, errors="ignore").lstrip("\ufeff \t\r\n\x00").lower()
    if text.startswith("mime-version:"):
        return MHTML    # Excel's "single file web page": MIME parts, the table among them
    if not text.startswith("<"):
        return None
    if SPREADSHEETML_NS.decode() in text and "<workbook" in text:
        return SPREADSHEETML
    if "<table" in text or "<html" in text or text.startswith("<!doctype html"):
        return HTML
    if text.startswith("<?xml"):
        return XML_OTHER
    return None
