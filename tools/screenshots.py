"""Regenerate the screenshots in docs/screenshots/ from a 20-department batch, the way people see the reports.

    python tools/screenshots.py                 # writes docs/screenshots/*.png
    python tools/screenshots.py --out /tmp/shots

report.xlsx and one department's workbook are printed to PDF by LibreOffice (A4, as the workbook sets it)
and their first page turned into a PNG by pdftoppm; report.html and summary.html are shot by headless
Chromium in a 390 px wide frame (a phone). Needs soffice, pdftoppm and chromium (Debian: libreoffice-calc-nogui,
poppler-utils, chromium, fonts-noto-cjk); exits 2 naming what is missing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
PHONE = 390


def tools() -> dict[str, str | None]:
    return {"soffice": shutil.which("soffice") or shutil.which("libreoffice"), "pdftoppm": shutil.which("pdftoppm"),
            "chromium": shutil.which("chromium") or shutil.which("chromium-browser")}


def batch(work: Path) -> Path:
    """18 generated departments, the bundled sample and one department whose 合计 is wrong; run it."""
    from builders import education_bureau, published_rows, write_text
    from corpus import generate
    from pipeline.run import run

    inputs = work / "inputs"
    generate(18, inputs, projects=6)
    shutil.copy(ROOT / "inputs" / "广州市荔湾区信访局.xlsx", inputs)
    wrong = education_bureau()
    wrong.declared = "1.00"
    write_text(inputs / "某区教育局.csv", published_rows(wrong))
    return run(inputs, work / "outputs", "2026-11").folder


def print_first_page(book: Path, png: Path, work: Path, found: dict) -> None:
    env = {"HOME": str(work / "home"), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    subprocess.run([found["soffice"], "--headless", "--convert-to", "pdf", "--outdir", str(work), str(book)],
                   check=True, capture_output=True, timeout=300, env=env)
    subprocess.run([found["pdftoppm"], "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                    str(work / f"{book.stem}.pdf"), str(png.with_suffix(""))], check=True, timeout=120)


def shoot_phone(page: Path, png: Path, work: Path, found: dict) -> None:
    """Chromium opens no window narrower than 500 px: the page is laid out in a 390 px frame instead."""
    frame = work / f"{page.stem}-frame.html"
    frame.write_text(f'<html><body style="margin:0"><iframe src="{page.resolve().as_uri()}" '
                     f'style="width:{PHONE}px;height:2400px;border:0"></iframe></body></html>', encoding="utf-8")
    subprocess.run([found["chromium"], *CHROMIUM_FLAGS, f"--user-data-dir={work / ('chrome-' + page.stem)}",
                    "--window-size=500,2400", f"--screenshot={png}", frame.resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    found = tools()
    missing = [name for name, path in found.items() if path is None]
    if missing:
        print(f"missing: {', '.join(missing)} (Debian: apt-get install libreoffice-calc-nogui poppler-utils "
              "chromium fonts-noto-cjk)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        folder = batch(work)
        print_first_page(folder / "report.xlsx", args.out / "report-xlsx.png", work, found)
        print_first_page(folder / "departments" / "广州市荔湾区信访局.xlsx", args.out / "department-xlsx.png", work, found)
        shoot_phone(folder / "report.html", args.out / "report-html-390.png", work, found)
        shoot_phone(folder / "summary.html", args.out / "email-390.png", work, found)
    for png in sorted(args.out.glob("*.png")):
        print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
