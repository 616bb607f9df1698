"""Time the history insert of a run against a plain executemany of the same rows, interleaved.

    python benchmarks/history.py                       # N = 500, 7 rounds
    python benchmarks/history.py --db OUT/history.sqlite --period 2026-11 --rounds 9
    python benchmarks/history.py 4 --rounds 1          # a smoke run (tests/test_benchmark_history.py)

The snapshot is a real run's: corpus.py's N files are run through `pipeline run` once (or `--db` names
a database a run recorded), and the period is read back with `History.snapshot`. Then each round, in a
fresh database of the same schema (`open_history`):

* stage: `History.prepare(snapshot).commit()` as `History.record` calls it (rows built from the snapshot, then written in
  one transaction that first deletes the period's earlier record), then the same again over the record
  just written (a re-run of the period, which replaces it)
* floor: the same rows, built before the clock starts, written with one `executemany` per table in one
  transaction (the first record only: the floor deletes nothing)

Wall-clock seconds (the commit's fsync is part of the cost); medians and the ratio stage/floor
(min / median / max of the rounds) are printed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402

from pipeline.history.rows import snapshot_rows  # noqa: E402
from pipeline.history.store import open_history  # noqa: E402

PERIOD = "2026-11"


def recorded_snapshot(db: Path, period: str):
    with open_history(db, create=False) as history:
        snapshot = history.snapshot(period)
    if snapshot is None:
        raise SystemExit(f"{db} does not record {period}")
    return snapshot


def run_once(size: int, scratch: Path) -> Path:
    """A database that `pipeline run` recorded for corpus.py's `size` files."""
    inputs, outputs = scratch / f"n{size}", scratch / "out"
    generate(size, inputs)
    subprocess.run([sys.executable, "-c", "from pipeline.cli import app; app()", "run", "-i", str(inputs), "-o", str(outputs),
                    "-p", PERIOD, "-q"], check=False, stdout=subprocess.DEVNULL)
    return outputs / "history.sqlite"


def stage(snapshot, db: Path) -> tuple[float, float]:
    """Seconds for the first record of the period, and for recording it again over itself."""
    with open_history(db) as history:
        started = time.perf_counter()
        history.prepare(snapshot).commit()
        first = time.perf_counter() - started
        started = time.perf_counter()
        history.prepare(snapshot).commit()
        return first, time.perf_counter() - started


def floor(rows: dict[str, list[tuple]], db: Path) -> float:
    with open_history(db) as history:
        connection = history.connection
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        for table, values in rows.items():
            if values:
                connection.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(values[0]))})", values)
        connection.execute("COMMIT")
        return time.perf_counter() - started


def ratios(stage_times: list[float], floor_times: list[float]) -> str:
    shown = sorted(s / f for s, f in zip(stage_times, floor_times) if f > 0)
    return f"{shown[0]:.2f} / **{statistics.median(shown):.2f}** / {shown[-1]:.2f}" if shown else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, nargs="?", default=500)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--db", type=Path, help="a history database a run recorded (no corpus is generated)")
    parser.add_argument("--period", default=PERIOD)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="history-bench-") as scratch:
        db = args.db or run_once(args.size, Path(scratch))
        snapshot = recorded_snapshot(db, args.period)
        rows = snapshot_rows(snapshot, "2026-12-01T00:00:00+08:00")
        firsts, agains, floors = [], [], []
        for n in range(args.rounds):
            first, again = stage(snapshot, Path(scratch) / f"stage{n}.sqlite")
            firsts.append(first)
            agains.append(again)
            floors.append(floor(rows, Path(scratch) / f"floor{n}.sqlite"))
    counts = ", ".join(f"{len(v)} {k}" for k, v in rows.items())
    print(f"history insert of {counts}; {args.rounds} rounds, wall-clock seconds")
    print("| | stage s | floor s | stage/floor min / median / max |")
    print("|---|---|---|---|")
    print(f"| first record | {statistics.median(firsts):.3f} | {statistics.median(floors):.3f} | {ratios(firsts, floors)} |")
    print(f"| re-record | {statistics.median(agains):.3f} | {statistics.median(floors):.3f} | {ratios(agains, floors)} |")


if __name__ == "__main__":
    main()
