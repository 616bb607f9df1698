"""Find formula cells whose value the reader cannot give: no cached result, or a cached error.

A spreadsheet stores a formula beside the value it last computed. Files written by a program that
does not compute (openpyxl-based generators, some system exports) store the formula with no value,
and a cached error (#N/A, #REF!, #DIV/0!) is stored as an error value. python-calamine returns both
as a blank cell, which would read as an amount of 0, and it has no formula API. So the worksheet XML
of .xlsx/.xlsm and the content.xml of .ods are scanned here, streaming (expat, in chunks: memory
bounded by the number of such cells, not by the file), and never resolving entities (a DTD is refused
outright; the guard has already turned such files away).

.xls (BIFF) keeps the cached result in the FORMULA record: calamine reads cached numbers, text and
booleans and gives a cached error as blank; `biff.py` finds those errors. A formula stored without a
result cannot be told from one that yields "" there, and is not reported (see docs/outputs.md).
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.parsers import expat

from pipeline.money import BadAmount
from pipeline.read.biff import OLE_MAGIC, biff_errors

# sheet name -> {(row0, col0): the cached error as shown (#DIV/0!), or "" for a formula without a value}
FormulaCells = dict[str, dict[tuple[int, int], str]]

CHUNK = 1 << 16
MAX_CELLS = 1_000_000              # per file: a hostile repeat count must not exhaust memory
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})$")
_ERROR = re.compile(r"#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!)|Err:\d{3}")
_ODS_VALUES = ("value", "date-value", "time-value", "boolean-value", "string-value")


class UnvaluedFormula(BadAmount):
    """Raised for an amount cell holding a formula whose value the file does not give: `error` is the
    cached error (#DIV/0!), "" when no value was stored."""

    def __init__(self, error: str):
        super().__init__(error)
        self.error = error


class _Refused(Exception):
    """The XML declares a DTD or an entity."""


def formula_cells(path: Path) -> FormulaCells:
    """Per sheet, the formula cells without a usable cached value; {} for a file that is not a ZIP
    workbook or cannot be scanned (the reader then reports it, or reads it as calamine does)."""
    try:
        with path.open("rb") as handle:
            if handle.read(8) == OLE_MAGIC:
                return biff_errors(path.read_bytes(), MAX_CELLS)
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return _xlsx(archive, names)
            if "content.xml" in names and _mentions(archive, "content.xml", _ods_hint):
                return {name: cells for name, cells in _ods(archive).items() if cells}
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError, RuntimeError, EOFError,
            IndexError, struct.error, expat.ExpatError, _Refused):   # BiffError is a ValueError
        return {}
    return {}


def _parse(archive: zipfile.ZipFile, member: str, start: Callable, end: Callable | None = None,
           text: Callable | None = None) -> None:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args):
        raise _Refused()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    parser.buffer_text = True
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def _xlsx(archive: zipfile.ZipFile, names: set[str]) -> FormulaCells:
    sheets: list[tuple[str, str]] = []      # (name, relationship id)
    targets: dict[str, str] = {}

    def workbook(name, attrs):
        if _local(name) == "sheet":
            sheets.append((attrs.get("name", ""), attrs.get(f"{_REL}}}id", "")))

    def rels(name, attrs):
        if _local(name) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    _parse(archive, "xl/workbook.xml", workbook)
    if "xl/_rels/workbook.xml.rels" in names:
        _parse(archive, "xl/_rels/workbook.xml.rels", rels)
    found: FormulaCells = {}
    budget = [MAX_CELLS]
    for sheet, rel in sheets:
        target = targets.get(rel, "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        if member in names and _mentions(archive, member, _xlsx_hint):
            cells = _xlsx_sheet(archive, member, budget)
            if cells:
                found[sheet] = cells
    return found


def _mentions(archive: zipfile.ZipFile, member: str, hint: Callable[[bytes], bool]) -> bool:
    """Whether a part holds a formula or an error cell at all: a C-speed search that spares the parse
    for the many sheets typed by hand (a 20,000-row sheet: 25 ms here, 0.6 s to parse)."""
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            if hint(tail + chunk):
                return True
            tail = chunk[-8:]
    return False


def _ods_hint(data: bytes) -> bool:
    return b'formula="' in data or b"formula='" in data


def _xlsx_hint(data: bytes) -> bool:
    if b't="e"' in data or b"t='e'" in data:
        return True
    for opening in (b"<f", b":f"):          # <f>, <f t="shared" …/>, <x:f>; not <family>, <font>
        at = data.find(opening)
        while at >= 0:
            if data[at + 2:at + 3] in (b">", b" ", b"/", b"\t", b"\n", b"\r"):
                return True
            at = data.find(opening, at + 2)
    return False


def _xlsx_sheet(archive: zipfile.ZipFile, member: str, budget: list[int]) -> dict[tuple[int, int], str]:
    cells: dict[tuple[int, int], str] = {}
    state = {"row": -1, "col": -1, "type": "", "formula": False, "value": None, "in_v": False}

    def start(name, attrs):
        tag = _local(name)
        if tag == "row":
            state["row"] = int(attrs["r"]) - 1 if attrs.get("r", "").isdigit() else state["row"] + 1
            state["col"] = -1
        elif tag == "c":
            ref = _REF.match(attrs.get("r", ""))
            if ref:
                state["row"], state["col"] = int(ref.group(2)) - 1, _column(ref.group(1))
            else:
                state["col"] += 1
            state.update(type=attrs.get("t", ""), formula=False, value=None, in_v=False)
        elif tag == "f":
            state["formula"] = True
        elif tag in ("v", "is"):
            state["in_v"] = True
            state["value"] = state["value"] or ""

    def end(name):
        tag = _local(name)
        if tag in ("v", "is"):
            state["in_v"] = False
        elif tag == "c":
            value = state["value"]
            if state["type"] == "e":
                shown = (value or "").strip() or "#错误"
            elif state["formula"] and not value and state["type"] not in ("str", "inlineStr"):
                shown = ""
            else:
                return
            if budget[0] > 0:
                budget[0] -= 1
                cells[(state["row"], state["col"])] = shown

    def text(data):
        if state["in_v"]:
            state["value"] += data

    _parse(archive, member, start, end, text)
    return cells


def _column(letters: str) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return col - 1


def _ods(archive: zipfile.ZipFile) -> FormulaCells:
    found: FormulaCells = {}
    budget = [MAX_CELLS]
    state = {"sheet": None, "row": 0, "rows": 1, "next_row": 0, "col": 0, "cell": None, "text": None}

    def start(name, attrs):
        space, _, local = name.partition("}")
        if space != _TABLE:
            return
        if local == "table":
            state["sheet"] = found.setdefault(attrs.get(f"{_TABLE}}}name", ""), {})
            state["next_row"] = 0
        elif local == "table-row":
            state["row"], state["rows"] = state["next_row"], _repeat(attrs.get(f"{_TABLE}}}number-rows-repeated"))
            state["next_row"] += state["rows"]
            state["col"] = 0
        elif local in ("table-cell", "covered-table-cell"):
            repeat = _repeat(attrs.get(f"{_TABLE}}}number-columns-repeated"))
            if local == "table-cell" and f"{_TABLE}}}formula" in attrs:
                state["cell"] = (attrs, repeat)
                state["text"] = ""
            else:
                state["col"] += repeat

    def end(name):
        if name == f"{_TABLE}}}table-cell" and state["cell"] is not None:
            attrs, repeat = state["cell"]
            shown = _ods_problem(attrs, state["text"] or "")
            if shown is not None and state["sheet"] is not None:
                for r in range(state["row"], state["row"] + state["rows"]):
                    for c in range(state["col"], state["col"] + repeat):
                        if budget[0] <= 0:
                            break
                        budget[0] -= 1
                        state["sheet"][(r, c)] = shown
            state["col"] += repeat
            state["cell"], state["text"] = None, None

    def text(data):
        if state["text"] is not None:
            state["text"] += data

    _parse(archive, "content.xml", start, end, text)
    return found


def _ods_problem(attrs: dict, text: str) -> str | None:
    """"" for a formula with no value, the error text for a cached error, None for a usable value."""
    text = text.strip()
    if attrs.get(f"{_CALCEXT}}}value-type") == "error":
        return text or "#错误"
    value_type = attrs.get(f"{_OFFICE}}}value-type")
    if value_type is None and not any(f"{_OFFICE}}}{v}" in attrs for v in _ODS_VALUES):
        return ""
    if value_type == "string" and not attrs.get(f"{_OFFICE}}}string-value") and _ERROR.fullmatch(text):
        return text
    return None


def _repeat(value: str | None) -> int:
    return int(value) if value and value.isdigit() and int(value) > 0 else 1
