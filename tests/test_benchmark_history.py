"""benchmarks/history.py runs on a tiny N, so it cannot rot unnoticed."""

import subprocess
import sys

from conftest import ROOT


def test_the_history_benchmark_times_the_insert_of_a_real_run_against_executemany():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "history.py"), "4", "--rounds", "1"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # the rows are those the run recorded: one run, its four inputs and departments, 20 projects each
    assert "history insert of 1 runs, 4 inputs, 4 departments, 80 projects, " in out
    assert "| first record | " in out and "| re-record | " in out
