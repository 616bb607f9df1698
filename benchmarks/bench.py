"""Benchmark `pipeline run` against the floor of its reader and writers, interleaved in one invocation.

    python benchmarks/bench.py                      # N = 10, 100, 500; 3 rounds
    python benchmarks/bench.py --sizes 10 100 500 2000 --rounds 3

For each N the corpus (benchmarks/corpus.py) is generated once. Every round runs, for each N in turn,
the pipeline end to end in a fresh process, then the floor in a fresh process: python-calamine
reading every sheet (the csv module for text files), xlsxwriter writing report.xlsx's cells and
every departments/ workbook's cells again with write_row and no formats (once with xlsxwriter's default
options, once with in_memory=True as the pipeline writes), and jinja2 rendering the same rows as an
escaped HTML table. Prints medians, ratios against both floors, per-stage times and peak memory.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402

PIPELINE = """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from pipeline.run import run
result = run(Path(sys.argv[1]), Path(sys.argv[2]), "2026-11")
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "stages": dict(result.batch.timings),
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

FLOOR = r"""
import csv, io, json, resource, sys, time
from pathlib import Path
import python_calamine, xlsxwriter, jinja2

inputs, folder, scratch = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
options = {"in_memory": True} if sys.argv[4] == "in_memory" else {}

def cells(path):
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    return [(name, wb.get_sheet_by_name(name).to_python()) for name in wb.sheet_names]

# what the writers must write, loaded before the clock starts
report = cells(folder / "report.xlsx")
departments = [cells(p) for p in sorted((folder / "departments").glob("*.xlsx"))]
html_rows = [row for name, rows in report if name in ("项目", "绩效指标", "问题清单", "核对") for row in rows]
template = jinja2.Environment(autoescape=True).from_string(
    "<table>{% for row in rows %}<tr>{% for c in row %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</table>")

def write(path, sheets):
    wb = xlsxwriter.Workbook(str(path), options)
    for name, rows in sheets:
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
    wb.close()

stages = {}
t = time.perf_counter()
for path in sorted(inputs.rglob("*")):
    if path.suffix in (".xlsx", ".xls"):
        try:
            cells(path)
        except Exception:
            pass
    elif path.suffix == ".csv":
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")
        list(csv.reader(io.StringIO(text)))
stages["read"] = time.perf_counter() - t
t = time.perf_counter()
write(scratch / "report.xlsx", report)
stages["report_xlsx"] = time.perf_counter() - t
t = time.perf_counter()
for n, sheets in enumerate(departments):
    write(scratch / f"d{n}.xlsx", sheets)
stages["departments"] = time.perf_counter() - t
t = time.perf_counter()
template.render(rows=html_rows)
stages["render"] = time.perf_counter() - t
print(json.dumps({"seconds": sum(stages.values()), "stages": stages,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child(code: str, *args: Path | str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def help_seconds(rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        for n in args.sizes:
            generate(n, work / f"in{n}")
        runs: dict[int, list[dict]] = {n: [] for n in args.sizes}
        floors: dict[int, list[dict]] = {n: [] for n in args.sizes}
        memory_floors: dict[int, list[dict]] = {n: [] for n in args.sizes}
        for _ in range(args.rounds):
            for n in args.sizes:
                runs[n].append(child(PIPELINE, work / f"in{n}", work / f"out{n}"))
                scratch = work / f"scratch{n}"
                scratch.mkdir(exist_ok=True)
                floors[n].append(child(FLOOR, work / f"in{n}", work / f"out{n}" / "2026-11", scratch, "default"))
                memory_floors[n].append(child(FLOOR, work / f"in{n}", work / f"out{n}" / "2026-11", scratch,
                                              "in_memory"))
        record = json.loads((work / f"out{args.sizes[-1]}" / "2026-11" / "run.json").read_text(encoding="utf-8"))
        # what a reader downloads: the web report and the e-mail body must stay light for a city
        weights = {n: {name: (work / f"out{n}" / "2026-11" / name).stat().st_size / 1e6
                       for name in ("report.html", "summary.html", "report.xlsx")} for n in args.sizes}
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"{platform.system()}; rounds: {args.rounds}; medians in seconds")
    print("floor: xlsxwriter with its default options; floor (in_memory): the same with in_memory=True, the")
    print("option the pipeline itself uses, which skips a temporary file per XML part")
    print("| N | projects | pipeline | floor | pipeline/floor | floor (in_memory) | pipeline/floor (in_memory) | files/s | peak MiB |")
    print("|---|---|---|---|---|---|---|---|---|")
    median = {}
    for n in args.sizes:
        p = statistics.median(r["seconds"] for r in runs[n])
        f = statistics.median(r["seconds"] for r in floors[n])
        m = statistics.median(r["seconds"] for r in memory_floors[n])
        peak = max(r["peak_mib"] for r in runs[n])
        median[n] = p
        projects = record["departments"] and sum(d["projects"] for d in record["departments"]) if n == args.sizes[-1] else ""
        print(f"| {n} | {projects} | {p:.2f} | {f:.2f} | {p / f:.2f} | {m:.2f} | {p / m:.2f} | {n / p:.0f} | {peak:.0f} |")
    print()
    print("Per stage (medians, seconds):")
    for n in args.sizes:
        stages = {k: statistics.median(r["stages"].get(k, 0) for r in runs[n]) for k in runs[n][0]["stages"]}
        floor = {k: statistics.median(r["stages"][k] for r in floors[n]) for k in floors[n][0]["stages"]}
        print(f"- N={n}: pipeline " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items())
              + " | floor " + ", ".join(f"{k} {v:.2f}" for k, v in floor.items()))
    sizes = sorted(median)
    for small, large in zip(sizes, sizes[1:]):
        print(f"time(N={large}) / time(N={small}) = {median[large] / median[small]:.2f} "
              f"for {large / small:.0f}x the files")
    print("Report sizes (MB): " + "; ".join(f"N={n}: " + ", ".join(f"{k} {v:.2f}" for k, v in w.items())
                                             for n, w in weights.items()))
    print(f"`pipeline --help`: {help_seconds():.3f} s (median of 5)")


if __name__ == "__main__":
    main()
