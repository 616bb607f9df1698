"""Formats benchmark: python benchmarks/formats.py [--projects 4000]

What reading by content costs: sniffing every file of a corpus, and one large table read as .xlsx,
as a web system's HTML or SpreadsheetML ".xls" and as Excel's UTF-16 text. Then the attacks on the
lxml readers (a 65,534 × 1,000 rowspan/colspan, a cell at SpreadsheetML's last row and column, a
million tiny HTML cells): each must be refused within the bounds below, or the script exits 1.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from builders import Dept, Proj, published_rows, write_xlsx  # noqa: E402
from corpus import generate  # noqa: E402
from exports import html_bytes, spreadsheetml_bytes, unicode_text_bytes, write  # noqa: E402

from pipeline.read import sniff  # noqa: E402
from pipeline.read.sheets import read_sheets  # noqa: E402

ATTACK_SECONDS = 2.0          # an attack is refused in at most this long...
ATTACK_PEAK_MB = 400          # ...in a process whose peak resident memory stays below this
SS = 'xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"'
ATTACKS = {
    "HTML rowspan 65534 × colspan 1000, three times": (
        b"<table>" + b"<tr><td colspan=1000 rowspan=65534>x</td></tr>" * 3 + b"</table>"),
    "SpreadsheetML cell at row 1,048,575, column 16,384": (
        f'<?xml version="1.0"?><Workbook {SS}><Worksheet ss:Name="a"><Table><Row ss:Index="1048575">'
        '<Cell ss:Index="16384"><Data ss:Type="String">x</Data></Cell></Row></Table></Worksheet></Workbook>'.encode()),
    "SpreadsheetML MergeAcross 16383 × MergeDown 1048575": (
        f'<?xml version="1.0"?><Workbook {SS}><Worksheet ss:Name="a"><Table><Row><Cell ss:MergeAcross="16383" '
        'ss:MergeDown="1048575"><Data ss:Type="String">x</Data></Cell></Row></Table></Worksheet></Workbook>'.encode()),
    "HTML with 1,100,000 empty cells (10 MB)": b"<table>" + (b"<tr>" + b"<td></td>" * 1100 + b"</tr>") * 1000 + b"</table>",
    "SpreadsheetML with 1,100,000 empty cells (9 MB)": (
        f'<?xml version="1.0"?><Workbook {SS}><Worksheet ss:Name="a"><Table>'.encode()
        + (b"<Row>" + b"<Cell/>" * 1100 + b"</Row>") * 1000 + b"</Table></Worksheet></Workbook>"),
}


CHILD = """
import json, resource, sys, time
from pathlib import Path
from pipeline.read.sheets import ReadError, read_sheets
started = time.perf_counter()
try:
    outcome = "read %d rows" % len(read_sheets(Path(sys.argv[1]))[0].rows)
except ReadError as exc:
    outcome = "refused: " + str(exc)
print(json.dumps([outcome, time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))
"""


def measured(path: Path) -> tuple[str, float, float]:
    """(outcome, seconds, peak resident MB of the whole process, C libraries included), in a fresh process."""
    child = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True)
    outcome, seconds, peak = json.loads(child.stdout)
    return outcome, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=4000)
    parser.add_argument("--files", type=int, default=500)
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        paths = generate(args.files, work / "corpus")
        started = time.perf_counter()
        for path in paths:
            sniff.sniff(path)
        sniffing, started = time.perf_counter() - started, time.perf_counter()
        for path in paths:
            read_sheets(path)
        reading = time.perf_counter() - started
        print(f"sniff {len(paths)} files: {sniffing:.3f} s ({sniffing / len(paths) * 1e3:.2f} ms a file); "
              f"read_sheets of the same files, sniff included: {reading:.3f} s")
        dept = Dept("某大局", [("某大局", [Proj(f"项目{n:05d}", fiscal="1.00") for n in range(args.projects)])])
        rows = published_rows(dept)
        files = {
            ".xlsx": write_xlsx(work / "t.xlsx", [{"name": "S", "rows": rows}]),
            'HTML ".xls"': write(work / "h.xls", html_bytes(rows, encoding="gbk")),
            'SpreadsheetML ".xls"': write(work / "x.xls", spreadsheetml_bytes(rows)),
            "UTF-16 .txt": write(work / "u.txt", unicode_text_bytes(rows)),
        }
        for label, path in files.items():
            outcome, seconds, peak = measured(path)
            print(f"{args.projects} projects as {label:22s} {path.stat().st_size / 1e6:5.1f} MB  {seconds:6.3f} s  "
                  f"peak RSS {peak:6.1f} MB  {outcome}")
        for label, data in ATTACKS.items():
            path = write(work / "attack.xls", data)
            outcome, seconds, peak = measured(path)
            ok = outcome.startswith("refused") and seconds <= ATTACK_SECONDS and peak <= ATTACK_PEAK_MB
            failed |= not ok
            print(f"{'ok  ' if ok else 'FAIL'} {label}: {seconds:.3f} s, peak RSS {peak:.0f} MB, {outcome[:60]}")
    print(f"bounds: refused within {ATTACK_SECONDS} s, peak resident memory below {ATTACK_PEAK_MB} MB")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
