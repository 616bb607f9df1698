"""benchmarks/stages.py runs on a tiny N, so it cannot rot unnoticed."""

import subprocess
import sys

from conftest import ROOT


def test_the_stage_benchmark_times_every_reading_stage_against_its_floor():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "stages.py"), "3", "6", "--rounds", "1"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "N = 6: 6 files, 6 sheets, 6 tables, 120 packed cells" in out
    for stage, floor in (("guard", "ZIP listing + first bytes"), ("round trip", "calamine alone"),
                         ("reader", "calamine alone"),
                         ("layout", "one pass over cells"), ("normalise", "one pass over cells"),
                         ("parse", "one regex pass")):
        assert f"| {stage} | " in out and f" | {floor} | " in out
    assert "MiB per department" in out and "for 6 departments" in out
    assert "N 3 -> 6 (2x the files): guard x" in out
