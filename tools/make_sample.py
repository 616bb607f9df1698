"""Make inputs/ 's bundled sample: the seed text read by pipeline, written in the published layout.

    python tools/make_sample.py ../shared/seed/000_d20db180e72aa6f3.txt inputs/广州市荔湾区信访局.xlsx
"""

import sys
from pathlib import Path

from pipeline.read.batch import read_batch
from pipeline.report.departments import write_department_workbook


def main(seed: str, target: str) -> None:
    batch = read_batch([Path(seed)])
    (department,) = batch.departments
    write_department_workbook(department, Path(target))


if __name__ == "__main__":
    main(*sys.argv[1:3])
