"""Runs a command in a fresh process and measures it from outside: wall seconds and peak memory of
its whole process tree (the reading workers, their forkserver, the writers' second process included).

Shared by bench.py and soak.py. Without /proc (not Linux) only ru_maxrss, the largest single process,
is known, and "peak_mib" falls back to it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# runs argv[1:] as a child, prints its wall seconds and its memory: every SAMPLE seconds the resident
# set (and every PSS_EVERY samples, where the kernel gives it, the proportional set: shared pages split
# between the processes sharing them) of the child and of all its descendants alive then, summed; the peak of
# that sum is the run's memory, whatever processes it works in. Without /proc (not Linux) only
# ru_maxrss, the largest single process, is known.
WRAPPER = r"""
import json, os, resource, subprocess, sys, threading, time

SAMPLE = 0.025                     # RSS every 25 ms (cheap: statm), PSS every 10th sample
PSS_EVERY = 10
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

def tree(pid):
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    todo += [int(c) for c in handle.read().split()]
        except OSError:
            pass
    return found

def memory(pid, with_pss):
    rss = pss = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/statm") as handle:
                rss += int(handle.read().split()[1]) * PAGE
            if with_pss:   # the kernel walks every page for this: a few ms per large process
                with open(f"/proc/{p}/smaps_rollup") as handle:
                    pss += next(int(line.split()[1]) * 1024 for line in handle if line.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            pass
    return rss, pss

started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
peak = {"rss": 0, "pss": 0, "processes": 0}
sampling = os.path.isdir(f"/proc/{child.pid}/task")

def sample():
    n = 0
    while child.poll() is None:
        rss, pss = memory(child.pid, with_pss=n % PSS_EVERY == 0)
        peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
        peak["processes"] = max(peak["processes"], len(tree(child.pid)))
        n += 1
        time.sleep(SAMPLE)

sampler = threading.Thread(target=sample, daemon=True)
if sampling:
    sampler.start()
stdout, stderr = child.communicate()
seconds = time.perf_counter() - started
largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "rc": child.returncode, "stdout": stdout[-2000:], "stderr": stderr[-4000:],
                  "largest_mib": largest, "peak_mib": peak["rss"] / 2**20 if sampling else largest,
                  "pss_mib": peak["pss"] / 2**20, "processes": peak["processes"]}))
"""


def wrapped(*argv: str | Path, allowed: tuple[int, ...] = (0,)) -> dict:
    """Run argv in a fresh process: {"seconds", "rc", "stdout", "stderr" (their ends), "peak_mib" (the peak
    of the tree's summed resident sets), "pss_mib", "largest_mib" (the largest single process), "processes"}."""
    done = subprocess.run([sys.executable, "-c", WRAPPER, *map(str, argv)], capture_output=True, text=True,
                          check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["rc"] not in allowed:
        raise SystemExit(f"{argv} exited {result['rc']}:\n{result['stderr']}")
    return result
