"""The benchmark and soak scripts run on a small N, so they cannot rot unnoticed."""

import json
import subprocess
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import generate  # noqa: E402
from pipeline.run import run  # noqa: E402


def test_the_corpus_reads_as_generated(tmp_path):
    paths = generate(12, tmp_path / "in", broken_fraction=0.25, projects=4)
    assert len(paths) == 12
    result = run(tmp_path / "in", tmp_path / "out", "2026-11")
    record = json.loads((tmp_path / "out" / "2026-11" / "run.json").read_text(encoding="utf-8"))
    statuses = [i["status"] for i in record["inputs"]]
    assert statuses.count("rejected") == 3 and statuses.count("ok") == 9
    assert len(record["departments"]) == 9
    assert all(d["projects"] == 4 and d["reconciled"] for d in record["departments"])
    # every generated project has an output, an effect and a satisfaction indicator: no review warnings
    codes = {f["code"] for f in record["findings"]}
    assert not codes & {"missing_output_indicator", "missing_benefit_indicator", "missing_satisfaction_indicator"}
    assert result.batch.timings["read"] > 0


def test_the_benchmark_script_runs_and_reports_ratios():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--sizes", "2", "4", "--pairs", "1"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "| 4 |" in done.stdout and "pipeline/floor min / median / max" in done.stdout
    assert "N 2 -> 4: time x" in done.stdout and "MiB per department" in done.stdout
    assert "`pipeline --help`" in done.stdout
    assert "Report sizes (MB): N=2: report.html" in done.stdout


def test_the_soak_script_accounts_for_every_file():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "soak.py"), "--sizes", "20", "40"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "N=   40  ok=   38  rejected=  2" in done.stdout


def test_the_hostile_benchmark_bounds_time_and_memory():
    attacks = ["far_cell.xlsx", "repeated_row.ods", "far_cell.xlsx, grid limit lifted"]
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "hostile.py"), "--attacks", *attacks],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all 3 cases within" in done.stdout
    assert "reader_crashed" in done.stdout and done.stdout.count("unsafe_file") == 2
