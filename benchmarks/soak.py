"""Soak test: python benchmarks/soak.py [--sizes 250 500 1000]

Runs `pipeline run` on corpora of N files, 5% of them broken in assorted ways (issue 12's attacks
among them: see benchmarks/corpus.py), each in a fresh process. Checks that every run completes, that
run.json accounts for every file (the broken ones rejected with a finding, the rest read), that the
guard turned every attack away before a reader could crash on it (no `reader_crashed`), and prints
peak memory per N so its growth can be judged: the peak of the summed resident sets of the run's
whole process tree (the reading workers and the writers' second process included), sampled from
outside as bench.py does (benchmarks/sampler.py); the largest single process beside it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402
from sampler import wrapped  # noqa: E402

CHILD = """
import sys
from pathlib import Path
from pipeline.run import run
run(Path(sys.argv[1]), Path(sys.argv[2]), "2026-11")
"""


def soak(count: int, work: Path) -> dict:
    inputs, outputs = work / f"in{count}", work / f"out{count}"
    paths = generate(count, inputs, broken_fraction=0.05)
    child = wrapped(sys.executable, "-c", CHILD, inputs, outputs)    # exits unless the run succeeded
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
    return {"files": count, "ok": statuses.count("ok"), "rejected": len(rejected), "seconds": round(child["seconds"], 2),
            "peak_mib": round(child["peak_mib"]), "largest_mib": round(child["largest_mib"]), "codes": codes,
            "projects": sum(d["projects"] for d in record["departments"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        results = [soak(n, Path(work)) for n in args.sizes]
    for r in results:
        print(f"N={r['files']:5d}  ok={r['ok']:5d}  rejected={r['rejected']:3d}  projects={r['projects']:6d}  "
              f"{r['seconds']:7.2f} s  peak {r['peak_mib']:5d} MiB  ({r['peak_mib'] / r['files']:.2f} MiB/file; "
              f"largest process {r['largest_mib']} MiB)  "
              f"rejected as {', '.join(r['codes']) or '-'}")
    first, last = results[0], results[-1]
    growth = (last["peak_mib"] / first["peak_mib"]) / (last["files"] / first["files"])
    print(f"peak memory grew {last['peak_mib'] / first['peak_mib']:.2f}x for {last['files'] / first['files']:.0f}x "
          f"the files (ratio {growth:.2f}; at most 1.0 means no faster than the data)")


if __name__ == "__main__":
    main()
