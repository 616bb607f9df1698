"""Hostile files within bounds: python benchmarks/hostile.py [--seconds 10] [--mib 200] [--attacks NAME ...]

Builds each attack of tests/hostile.py (issue 12) beside a copy of the bundled sample, and runs
`pipeline check` on the folder in a fresh process. Asserts for each that the whole process finishes
within the time bound, that the peak memory of the process and of its reading workers (`resource.
getrusage` of itself and its children, and each worker's own peak as it reports with every file;
a worker that dies was held under `max_reader_mb` by its ceiling) stays under the memory bound,
that the attack is answered as tests/hostile.py expects, and that the sample still reads to 10
projects, 308.00 万元. One more case lifts the grid limit so the far cell reaches the reader, which
aborts in its worker.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from hostile import ATTACKS  # noqa: E402

SAMPLE = ROOT / "inputs" / "广州市荔湾区信访局.xlsx"
LIFTED = "far_cell.xlsx, grid limit lifted"

CHILD = """
import json, resource, sys
from pathlib import Path
from pipeline.run import check
from pipeline.settings import load_settings
settings = load_settings(Path(sys.argv[2]) if len(sys.argv) > 2 else None)
batch = check([Path(sys.argv[1])], settings)
peak = max(resource.getrusage(who).ru_maxrss / 1024 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"peak_mib": max(peak, batch.reader_peak_mib),
                  "inputs": {i.file: [i.status, i.reason] for i in batch.inputs},
                  "errors": {f.file: f.code for f in batch.findings if f.severity == "error"},
                  "departments": {d.file: [len(d.projects), str(d.total.quantize(1 / __import__("decimal").Decimal(100)))]
                                  for d in batch.departments}}, ensure_ascii=False))
"""


def measure(name: str, work: Path) -> dict:
    """Run the check over the sample and the attack `name`; its outcome, wall time and peak memory."""
    folder = work / name.replace(",", "").replace(" ", "_")
    folder.mkdir()
    good = Path(shutil.copy(SAMPLE, folder / "good.xlsx"))
    attack = "far_cell.xlsx" if name == LIFTED else name
    ATTACKS[attack][0](good, folder / attack)
    args = [str(folder)]
    if name == LIFTED:
        (work / "lifted.toml").write_text("[limits]\nmax_cells = 1e18\n", encoding="utf-8")
        args.append(str(work / "lifted.toml"))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{name}: the check itself failed (exit {done.returncode}):\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {"name": name, "attack": attack, "seconds": seconds, **result}


def judge(r: dict, seconds: float, mib: float) -> list[str]:
    """What is wrong with one measured case (nothing, when all holds)."""
    _, status, code, words = ATTACKS[r["attack"]]
    if r["name"] == LIFTED:
        code, words = "reader_crashed", "SIGABRT"
    problems = []
    if r["departments"].get("good.xlsx") != [10, "308.00"]:
        problems.append(f"the sample read as {r['departments'].get('good.xlsx')}")
    got_status, reason = r["inputs"][r["attack"]]
    if got_status != status or r["errors"].get(r["attack"]) != code or (words and words not in (reason or "")):
        problems.append(f"answered {got_status} {r['errors'].get(r['attack'])} {reason!r}")
    if r["seconds"] > seconds:
        problems.append(f"took {r['seconds']:.1f} s (bound {seconds:g} s)")
    if r["peak_mib"] > mib:
        problems.append(f"peaked at {r['peak_mib']:.0f} MiB (bound {mib:g} MiB)")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="bound on each whole check, start-up included")
    parser.add_argument("--mib", type=float, default=200, help="bound on the peak memory of any of its processes")
    parser.add_argument("--attacks", nargs="+", default=[*ATTACKS, LIFTED], choices=[*ATTACKS, LIFTED])
    args = parser.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        for name in args.attacks:
            r = measure(name, Path(work))
            problems = judge(r, args.seconds, args.mib)
            failures += bool(problems)
            verdict = "ok" if not problems else "FAILED: " + "; ".join(problems)
            print(f"{name:36s} {r['inputs'][r['attack']][0]:9s} {r['errors'].get(r['attack']) or '-':15s} "
                  f"{r['seconds']:6.2f} s  peak {r['peak_mib']:6.0f} MiB  {verdict}")
    if failures:
        raise SystemExit(f"{failures} case(s) out of bounds")
    print(f"all {len(args.attacks)} cases within {args.seconds:g} s and {args.mib:g} MiB")


if __name__ == "__main__":
    main()
