"""Benchmark `pipeline run`, as a user runs it, against the floor of its reader and writers.

    python benchmarks/bench.py                                  # N = 100 and 500, 5 pairs each
    python benchmarks/bench.py --sizes 100 500 2000 5000 --pairs 5
    python benchmarks/bench.py --sizes 2 4 --pairs 1            # a smoke run (tests/test_benchmarks.py)

For each N the corpus (benchmarks/corpus.py) is generated once and `pipeline run` is run once to
learn what it writes. Then, for each N, the pairs run interleaved A B A B ...: A is `pipeline run
-q` (the console script beside this interpreter) in a fresh process, as a user types it (imports, the reading workers, every
writer, the history database); B is the floor in a fresh process: python-calamine reading every input
(the csv module for the text files), xlsxwriter writing report.xlsx's cells and every departments/
workbook's cells again with write_row, no formats, with the very options the pipeline passes
(report.xlsx `constant_memory`, departments/ `in_memory`), and jinja2 rendering report.xlsx's rows as an
escaped HTML table, one process after the other. Both are whole processes timed from outside (wall
clock), start-up included; from the floor's time is taken only the time it spends loading the cells
it is asked to write (a pickle), which the pipeline does not have to do. Each process is started
through a small wrapper that samples, every 25 ms (the PSS every 250 ms), the resident set of the
process and of every process it started then alive (the reading workers and their forkserver, the writers' second
process), summed: the peak of that sum is the run's memory ("peak"); "PSS" is the same sum counting
a page shared by several processes once in all ("largest" is the largest single process).

Prints, per N: the pipeline and floor medians, the ratio pipeline/floor of each pair as min / median
/ max, files per second, the peak memory of both, the marginal memory per department between sizes,
time(N) ratios for the scaling, and the time of `pipeline --help`.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402
from sampler import wrapped  # noqa: E402

PERIOD = "2026-11"

FLOOR = r"""
import csv, io, json, pickle, sys, time
started = time.perf_counter()
from pathlib import Path
import python_calamine, xlsxwriter, jinja2

inputs, cells_file, scratch = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
report_options, department_options = json.loads(sys.argv[4]), json.loads(sys.argv[5])

loading = time.perf_counter()
with open(cells_file, "rb") as handle:      # what the writers must write: not part of the floor's time
    report, departments = pickle.load(handle)
loaded = time.perf_counter() - loading

def cells(data):
    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [(name, wb.get_sheet_by_name(name).to_python()) for name in wb.sheet_names]

def write(path, sheets, options):
    wb = xlsxwriter.Workbook(str(path), {**options, "tmpdir": str(path.parent)})
    for name, rows in sheets:
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
    wb.close()

for path in sorted(inputs.rglob("*")):
    if not path.is_file():
        continue
    data = path.read_bytes()        # some names are GBK bytes, which calamine cannot open by path
    try:
        cells(data)
    except Exception:
        for encoding in ("utf-8-sig", "utf-16", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            text = data.decode("gb18030", errors="replace")
        list(csv.reader(io.StringIO(text, newline="")))
write(scratch / "report.xlsx", report, report_options)
(scratch / "departments").mkdir(exist_ok=True)
for n, sheets in enumerate(departments):
    write(scratch / "departments" / f"d{n}.xlsx", sheets, department_options)
template = jinja2.Environment(autoescape=True).from_string(
    "<table>{% for row in rows %}<tr>{% for c in row %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</table>")
rows = [row for name, sheet in report for row in sheet]
(scratch / "report.html").write_text(template.render(rows=rows), encoding="utf-8")
print(json.dumps({"loading": loaded, "inside": time.perf_counter() - started - loaded}))
"""


def pipeline_command() -> list[str]:
    """The `pipeline` console script beside this interpreter, as a user types it; else `python -m pipeline`."""
    for name in ("pipeline", "pipeline.exe"):
        script = Path(sys.executable).with_name(name)
        if script.is_file():
            return [str(script)]
    return [sys.executable, "-m", "pipeline"]


def pipeline_run(inputs: Path, outputs: Path) -> dict:
    return wrapped(*pipeline_command(), "run", "-i", inputs, "-o", outputs, "-p", PERIOD, "-q",
                   allowed=(0, 1))          # 1: the run found errors (its outputs are still written)


def floor_run(inputs: Path, cells_file: Path, scratch: Path) -> dict:
    from pipeline.report.departments import SAFE_WORKBOOK
    from pipeline.report.xlsx import WORKBOOK_OPTIONS

    scratch.mkdir(parents=True, exist_ok=True)
    result = wrapped(sys.executable, "-c", FLOOR, inputs, cells_file, scratch,
                     json.dumps(WORKBOOK_OPTIONS), json.dumps(SAFE_WORKBOOK))
    inner = json.loads(result["stdout"].strip().splitlines()[-1])
    result["seconds"] -= inner["loading"]
    return result


def save_cells(folder: Path, cells_file: Path) -> None:
    """report.xlsx's and every departments/ workbook's cells, as the floor is to write them again."""
    import python_calamine

    def cells(path: Path) -> list:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        return [(name, wb.get_sheet_by_name(name).to_python()) for name in wb.sheet_names]

    report = cells(folder / "report.xlsx")
    departments = [cells(p) for p in sorted((folder / "departments").glob("*.xlsx"))]
    with open(cells_file, "wb") as handle:
        pickle.dump((report, departments), handle, protocol=pickle.HIGHEST_PROTOCOL)


def help_seconds(rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run([*pipeline_command(), "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(n: int, pairs: int, work: Path, corpus: str | None = None) -> dict:
    inputs, outputs = work / f"in{n}", work / f"out{n}"
    if corpus:                              # a corpus generated before (benchmarks/corpus.py N FOLDER)
        inputs = Path(corpus.format(n=n))
    else:
        generate(n, inputs)
    pipeline_run(inputs, outputs)           # once to learn what the writers write (and warm the disk cache)
    folder = outputs / PERIOD
    record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    # what a reader downloads: the web report and the e-mail body must stay light for a city
    weights = {name: (folder / name).stat().st_size / 1e6 for name in ("report.html", "summary.html", "report.xlsx")}
    cells_file = work / f"cells{n}.pickle"
    save_cells(folder, cells_file)
    runs, floors = [], []
    for _ in range(pairs):
        runs.append(pipeline_run(inputs, outputs))
        floors.append(floor_run(inputs, cells_file, work / f"scratch{n}"))
    cells_file.unlink()
    ratios = [r["seconds"] / f["seconds"] for r, f in zip(runs, floors)]
    return {"n": n, "projects": sum(d["projects"] for d in record["departments"]),
            "pipeline": statistics.median(r["seconds"] for r in runs),
            "floor": statistics.median(f["seconds"] for f in floors),
            "ratios": ratios, "peak": max(r["peak_mib"] for r in runs), "pss": max(r["pss_mib"] for r in runs),
            "largest": max(r["largest_mib"] for r in runs), "processes": max(r["processes"] for r in runs),
            "floor_peak": max(f["peak_mib"] for f in floors), "weights": weights}


def report(results: list[dict], pairs: int) -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.system()}; {pairs} interleaved pairs per N; whole processes")
    print("| N | projects | pipeline s | floor s | pipeline/floor min / median / max | files/s | peak MiB "
          "(all processes) | PSS MiB | largest process MiB | processes | floor peak MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        ratios = r["ratios"]
        print(f"| {r['n']} | {r['projects']:,} | {r['pipeline']:.2f} | {r['floor']:.2f} | {min(ratios):.2f} / "
              f"**{statistics.median(ratios):.2f}** / {max(ratios):.2f} | {r['n'] / r['pipeline']:.0f} | "
              f"{r['peak']:.0f} | {r['pss']:.0f} | {r['largest']:.0f} | {r['processes']} | {r['floor_peak']:.0f} |")
    print()
    for small, large in zip(results, results[1:]):
        print(f"N {small['n']} -> {large['n']}: time x{large['pipeline'] / small['pipeline']:.2f} for "
              f"x{large['n'] / small['n']:.0f} the files; marginal memory "
              f"{(large['peak'] - small['peak']) / (large['n'] - small['n']):.3f} MiB per department "
              f"({(large['pss'] - small['pss']) / (large['n'] - small['n']):.3f} PSS)")
    print("Report sizes (MB): " + "; ".join(f"N={r['n']}: " + ", ".join(f"{k} {v:.2f}" for k, v in r["weights"].items())
                                             for r in results))
    print(f"`pipeline --help`: {help_seconds():.3f} s (median of 5)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--corpus", help="folder of each N's corpus made before, e.g. /tmp/c{n}; else generated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        results = [measure(n, args.pairs, Path(work), args.corpus) for n in args.sizes]
    report(results, args.pairs)


if __name__ == "__main__":
    main()
