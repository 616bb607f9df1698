"""Time the reading stages of a library run, each against its own floor, in one invocation.

    python benchmarks/stages.py                  # N = 500, 5 rounds
    python benchmarks/stages.py 500 2000 --rounds 3     # and the scaling from 500 to 2,000
    python benchmarks/stages.py 4 --rounds 1     # a smoke run (tests/test_benchmark_stages.py)
    python benchmarks/stages.py --corpus /tmp/c  # generate into /tmp/c/n500 once, reuse it after

For each N the corpus (benchmarks/corpus.py) is generated once and every file is read once in this
process, so that each stage can be timed alone over the same input. Then, in each round, every stage
and its floor run one after the other (stage, floor, next stage, ...), so the machine's load falls on
both alike; the medians over the rounds and the ratio stage/floor (min / median / max of the rounds)
are printed:

* guard: `check_file` over every file | listing each ZIP and reading the first 64 bytes of every part
  (reading the whole of a text file, which the guard counts line breaks in)
* round trip: pickling and unpickling each .xlsx file's outcome (what a reading worker sends back) |
  python-calamine alone reading every sheet of the same files
* reader: `read_sheets` over the .xlsx files (sniffing, formula cells, merged ranges filled) | the same
* layout: `find_forms` and `find_tables` over every sheet | one pass over every cell taking its text
* normalise: `build_department` over every table found | the same pass over the cells
* parse: `parse_packed` over every packed 绩效指标 cell | one regex pass over the same texts
* read_file: the main process's whole parsing of every outcome (`read_file`: layout, normalise, the
  copy check), as `read_batch` runs it | the same pass over the cells
* reconcile: `reconcile` over every department of the batch | one pass summing each column of
  every project's amounts
* rules: the review's rules (`map_levels`, `review`, `review_forms`, `texts_too_long`) over the batch |
  one pass over every indicator's five texts

Every stage runs with the cyclic garbage collector paused, as `read_batch` reads and parses and as the
run reviews (its heap frozen): a collection walking the corpus held here would time the benchmark, not
the stage.

Then the memory of the batch: `read_file` builds it from the outcomes under tracemalloc, and the
traced memory retained with the batch alive less that after it is released is the batch's size,
printed per department.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

import python_calamine

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402

from pipeline.read.batch import Batch, collector_paused, read_file  # noqa: E402
from pipeline.read.discover import discover  # noqa: E402
from pipeline.read.forms import find_forms  # noqa: E402
from pipeline.read.guard import check_file  # noqa: E402
from pipeline.read.indicators import parse_packed  # noqa: E402
from pipeline.read.layout import cell_text, find_tables  # noqa: E402
from pipeline.read.normalise import build_department  # noqa: E402
from pipeline.read.outcome import read_one  # noqa: E402
from pipeline.read.sheets import read_sheets  # noqa: E402
from pipeline.review.cell_length import texts_too_long  # noqa: E402
from pipeline.review.reconcile import reconcile  # noqa: E402
from pipeline.review.rules.forms import review_forms  # noqa: E402
from pipeline.review.rules.kit import map_levels  # noqa: E402
from pipeline.review.rules.project import review  # noqa: E402
from pipeline.settings import Limits, Settings  # noqa: E402
from pipeline.vocabulary import AMOUNT_FIELDS  # noqa: E402

ITEM = re.compile(r"([0-9]+)、([^。]*)。?")      # the floor's one pass: each item of a packed cell


class Corpus:
    """Every file of a corpus read once, and what each stage takes as its input."""

    def __init__(self, folder: Path):
        self.candidates, _ = discover([folder])
        self.paths = [c.path for c in self.candidates]
        self.workbooks = [p for p in self.paths if zipfile.is_zipfile(p) and p.suffix == ".xlsx"]
        self.outcomes = [read_one(path, Limits()) for path in self.paths]
        chosen = set(self.workbooks)
        self.workbook_outcomes = [o for p, o in zip(self.paths, self.outcomes) if p in chosen]
        self.sheets = [sheet for o in self.outcomes for sheet in (o.sheets or [])]
        self.tables = [(sheet, table) for sheet in self.sheets if not find_forms(sheet)
                       for table in find_tables(sheet)]
        self.packed = [cell_text(sheet.rows[row.index][table.columns["indicators"]])
                       for sheet, table in self.tables if "indicators" in table.columns
                       for row in table.rows if row.kind == "project"
                       and table.columns["indicators"] < len(sheet.rows[row.index])]
        self.batch = parsed(self)
        self.projects = [p for d in self.batch.departments for p in d.projects]


def parsed(corpus: Corpus) -> Batch:
    batch = Batch()
    for candidate, outcome in zip(corpus.candidates, corpus.outcomes):
        read_file(candidate, batch, outcome)
    return batch


def guard(corpus: Corpus) -> None:
    for path in corpus.paths:
        try:
            check_file(path, Limits())
        except Exception:  # noqa: BLE001 - a refused file costs what the guard spent on it
            pass


def guard_floor(corpus: Corpus) -> None:
    for path in corpus.paths:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for entry in archive.infolist():
                    with archive.open(entry) as stream:
                        stream.read(64)
        else:
            path.read_bytes()


def round_trip(corpus: Corpus) -> None:
    for outcome in corpus.workbook_outcomes:
        pickle.loads(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


def workbooks(corpus: Corpus) -> None:
    for path in corpus.workbooks:
        read_sheets(path)


def calamine_alone(corpus: Corpus) -> None:
    for path in corpus.workbooks:
        if str(path).isascii():
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        else:                                       # a name in GBK bytes: read_sheets hands calamine the file
            with path.open("rb") as handle:
                workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
        for name in workbook.sheet_names:
            workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        workbook.close()


def layout(corpus: Corpus) -> None:
    for sheet in corpus.sheets:
        if not find_forms(sheet):
            find_tables(sheet)


def cells_floor(corpus: Corpus) -> None:
    for sheet in corpus.sheets:
        for row in sheet.rows:
            for value in row:
                if value is not None:
                    str(value).strip()


def normalise(corpus: Corpus) -> None:
    for sheet, table in corpus.tables:
        build_department(sheet, table, "f.xlsx")


def parse(corpus: Corpus) -> None:
    for text in corpus.packed:
        parse_packed(text)


def parse_floor(corpus: Corpus) -> None:
    for text in corpus.packed:
        ITEM.findall(text)


def reconciled(corpus: Corpus) -> None:
    for department in corpus.batch.departments:
        reconcile(department)


def sums_floor(corpus: Corpus) -> None:
    for project in corpus.projects:
        for fld in AMOUNT_FIELDS:
            sum(v for v in (getattr(project.amounts, fld),) if v is not None)


def rules(corpus: Corpus) -> None:
    settings, departments = Settings(), corpus.batch.departments
    map_levels(corpus.projects, settings)
    review(departments, settings)
    review_forms(departments, settings)
    texts_too_long(departments)


def texts_floor(corpus: Corpus) -> None:
    for project in corpus.projects:
        for i in project.indicators:
            for text in (i.level1, i.level2, i.name, i.period_value, i.annual_value):
                len(text)


STAGES = (("guard", guard, guard_floor), ("round trip", round_trip, calamine_alone),
          ("reader", workbooks, calamine_alone),
          ("layout", layout, cells_floor),
          ("normalise", normalise, cells_floor), ("parse", parse, parse_floor),
          ("read_file", parsed, cells_floor), ("reconcile", reconciled, sums_floor), ("rules", rules, texts_floor))


def timed(work, corpus: Corpus) -> float:
    """CPU seconds: on a shared machine they vary less than the wall clock, and each stage is one thread."""
    with collector_paused():
        started = time.process_time()
        work(corpus)
        return time.process_time() - started


def measure(corpus: Corpus, rounds: int) -> dict[str, tuple[list[float], list[float]]]:
    times = {name: ([], []) for name, _, _ in STAGES}
    for _ in range(rounds):
        for name, stage, floor in STAGES:
            times[name][0].append(timed(stage, corpus))
            times[name][1].append(timed(floor, corpus))
    return times


def batch_memory(corpus: Corpus) -> tuple[float, int]:
    """The traced MiB the batch built from the outcomes retains, and its departments."""
    gc.collect()
    tracemalloc.start()
    batch = Batch()
    for candidate, outcome in zip(corpus.candidates, corpus.outcomes):
        read_file(candidate, batch, outcome)
    gc.collect()
    with_batch = tracemalloc.get_traced_memory()[0]
    departments = len(batch.departments)
    del batch
    gc.collect()
    without = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (with_batch - without) / (1 << 20), departments


def report(size: int, corpus: Corpus, times: dict) -> None:
    print(f"\nN = {size}: {len(corpus.paths)} files, {len(corpus.sheets)} sheets, {len(corpus.tables)} tables, "
          f"{len(corpus.packed)} packed cells")
    print("| stage | stage s | floor | floor s | stage/floor min / median / max |")
    print("|---|---|---|---|---|")
    floors = {"guard": "ZIP listing + first bytes", "round trip": "calamine alone", "reader": "calamine alone",
              "layout": "one pass over cells",
              "normalise": "one pass over cells", "parse": "one regex pass", "read_file": "one pass over cells",
              "reconcile": "one pass over the amounts", "rules": "one pass over the indicators' texts"}
    for name, (stage, floor) in times.items():
        ratios = sorted(s / f for s, f in zip(stage, floor) if f > 0)
        shown = f"{ratios[0]:.2f} / **{statistics.median(ratios):.2f}** / {ratios[-1]:.2f}" if ratios else "-"
        print(f"| {name} | {statistics.median(stage):.3f} | {floors[name]} | {statistics.median(floor):.3f} | {shown} |")
    mib, departments = batch_memory(corpus)
    per = mib / departments if departments else 0.0
    print(f"batch retained (tracemalloc): {mib:.1f} MiB for {departments} departments, {per:.3f} MiB per department")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", default=[500])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus", type=Path, help="a folder holding corpus.py's files for each N (nN/), kept")
    args = parser.parse_args()
    medians: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="stages-") as scratch:
        for size in args.sizes:
            folder = (args.corpus or Path(scratch)) / f"n{size}"
            if not folder.is_dir():
                generate(size, folder)
            corpus = Corpus(folder)
            times = measure(corpus, args.rounds)
            report(size, corpus, times)
            medians[size] = {name: statistics.median(stage) for name, (stage, _) in times.items()}
            del corpus
    for small, large in zip(args.sizes, args.sizes[1:]):
        scaling = ", ".join(f"{name} x{medians[large][name] / medians[small][name]:.2f}"
                            for name in medians[small] if medians[small][name] > 0)
        print(f"N {small} -> {large} ({large / small:g}x the files): {scaling}")


if __name__ == "__main__":
    main()
