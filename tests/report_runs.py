"""Run the whole pipeline in-process on department tables made with builders, for the report tests."""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from builders import DEFAULT_INDICATORS, Dept, Proj, education_bureau, published_rows, write_xlsx
from pipeline.run import run

PERIOD = "2026-11"
FORMULA_NAMES = ['=HYPERLINK("http://x","y")', "+1+2"]
SCRIPT = "<script>alert(1)</script>"


@dataclass
class Run:
    folder: Path
    record: dict

    def csv(self, name: str) -> list[dict]:
        with (self.folder / name).open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))


def run_tables(tmp_path: Path, *departments: Dept, copy: list[Path] = ()) -> Run:
    """Write each department as an .xlsx in the published layout, copy other files beside them, run."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for path in copy:
        shutil.copy(path, inputs)
    for n, dept in enumerate(departments):
        write_xlsx(inputs / f"{n:02d}.xlsx", [{"name": "Sheet1", "rows": published_rows(dept)}])
    result = run(inputs, tmp_path / "outputs", PERIOD)
    return Run(result.folder, result.record)


def hostile_department() -> Dept:
    """Project names that would be a formula, a link or a script if a report trusted them; one project's
    total disagrees with its parts, so a finding (and the e-mail) quotes the script name."""
    return Dept("某区文化局", [("某区文化局", [
        Proj(FORMULA_NAMES[0], fiscal="10.00"),
        Proj(FORMULA_NAMES[1], fiscal="5.50"),
        Proj(SCRIPT, fiscal="1.00", total="2.00"),
    ])])


def several_departments() -> list[Dept]:
    """Three departments: two spending units; a 合计 that disagrees; a table in 元 with amounts to the 分."""
    education = education_bureau()
    wrong_total = Dept("某区卫生健康局", [("某区卫生健康局", [Proj("疫苗接种经费", fiscal="200.00"),
                                                              Proj("健康宣传经费", fiscal="12.34", other="0.66")])],
                       declared="215.00")
    in_yuan = Dept("某区司法局", [("某区司法局", [Proj("法律援助经费", fiscal="1.234567"),
                                                  Proj("人民调解经费", fiscal="2.344567",
                                                       indicators=list(DEFAULT_INDICATORS[:2]))])],
                   money_unit="元")
    return [education, wrong_total, in_yuan]


def cents(value) -> str:
    """A number read back from a workbook, as run.json writes amounts (万元, two decimals, half up)."""
    if value is None:
        return ""
    return str(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def rounded(amount: str | None) -> str:
    """An amount of run.json (exact) rounded as the workbook shows it: two decimals, half up."""
    if amount is None:
        return ""
    return str(Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
