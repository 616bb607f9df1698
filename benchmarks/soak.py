"""Soak test: python benchmarks/soak.py [--sizes 250 500 1000]

Runs `pipeline run` on corpora of N files, 5% of them broken in assorted ways (issue 12's attacks
among them: see benchmarks/corpus.py), each in a fresh process. Checks that every run completes, that
run.json accounts for every file (the broken ones rejected with a finding, the rest read), that the
guard turned every attack away before a reader could crash on it (no `reader_crashed`), and prints
peak memory per N so its growth can be judged.
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
from corpus import generate  # noqa: E402

CHILD = """
import resource, sys
from pathlib import Path
from pipeline.run import run
result = run(Path(sys.argv[1]), Path(sys.argv[2]), "2026-11")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def soak(count: int, work: Path) -> dict:
    inputs, outputs = work / f"in{count}", work / f"out{count}"
    paths = generate(count, inputs, broken_fraction=0.05)
    started = time.perf_counter()
    child = subprocess.run([sys.executable, "-c", CHILD, str(inputs), str(outputs)], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"N={count}: the run failed:\n{child.stderr}")
    record = json.loads((outputs / "2026-11" / "run.json").read_text(encoding="utf-8"))
    statuses = [i["status"] for i in record["inputs"]]
    rejected = {i["file"] for i in record["inputs"] if i["status"] == "rejected"}
    flagged = {f["file"] for f in record["findings"] if f["severity"] == "error"}
    assert len(statuses) == len(paths), (len(statuses), len(paths))
    assert rejected <= flagged, "a rejected file without an error finding"
    codes = sorted({f["code"] for f in record["findings"] if f["file"] in rejected})
    assert "reader_crashed" not in codes, "a reader crashed on a file the guard should have refused"
    for entry in record["inputs"]:
        rows = entry["rows"]
        assert rows["read"] == rows["used"] + rows["ignored"] + rows["rejected"], entry["file"]
    return {"files": count, "ok": statuses.count("ok"), "rejected": len(rejected), "seconds": round(seconds, 2),
            "peak_mib": int(child.stdout.strip().splitlines()[-1]), "codes": codes,
            "projects": sum(d["projects"] for d in record["departments"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        results = [soak(n, Path(work)) for n in args.sizes]
    for r in results:
        print(f"N={r['files']:5d}  ok={r['ok']:5d}  rejected={r['rejected']:3d}  projects={r['projects']:6d}  "
              f"{r['seconds']:7.2f} s  peak {r['peak_mib']:5d} MiB  ({r['peak_mib'] / r['files']:.2f} MiB/file)  "
              f"rejected as {', '.join(r['codes']) or '-'}")
    first, last = results[0], results[-1]
    growth = (last["peak_mib"] / first["peak_mib"]) / (last["files"] / first["files"])
    print(f"peak memory grew {last['peak_mib'] / first['peak_mib']:.2f}x for {last['files'] / first['files']:.0f}x "
          f"the files (ratio {growth:.2f}; at most 1.0 means no faster than the data)")


if __name__ == "__main__":
    main()
