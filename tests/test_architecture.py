"""The house follows the data: the import contract holds, and the package installs as a user installs it."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contract_holds():
    """pyproject.toml's [tool.importlinter] layers: read → review → history → report → deliver → run → cli."""
    result = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_a_module_importing_upward_breaks_the_contract(tmp_path):
    """The contract is not vacuous: a read module that imports a report module is caught."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "pipeline", copy / "pipeline")
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    sheets = copy / "pipeline" / "read" / "sheets.py"
    sheets.write_text(sheets.read_text(encoding="utf-8") + "\nfrom pipeline.report import view  # upward\n",
                      encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy)}
    result = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
                            cwd=copy, capture_output=True, text=True, env=env)
    assert result.returncode != 0
    assert "pipeline.read.sheets -> pipeline.report.view" in result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    return next(out.glob("pipeline-*.whl"))


def test_the_wheel_ships_the_templates(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for template in ("report.html.j2", "email.html.j2", "report.css", "email.css"):
        assert f"pipeline/report/templates/{template}" in names


def test_an_installed_wheel_runs_the_bundled_sample(wheel, tmp_path):
    """`pip install .` then `pipeline run` in an empty folder with the sample copied in writes every report."""
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    work = tmp_path / "work"
    (work / "inputs").mkdir(parents=True)
    for sample in (ROOT / "inputs").glob("*.xlsx"):
        shutil.copy(sample, work / "inputs")
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run([sys.executable, "-m", "pipeline", "run", "--period", "2026-11", "--quiet"],
                            cwd=work, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    folder = work / "outputs" / "2026-11"
    for name in ("report.xlsx", "report.html", "summary.html", "run.json", "projects.csv", "indicators.csv",
                 "findings.csv"):
        assert (folder / name).is_file(), name
    assert list((folder / "departments").glob("*.xlsx"))
    assert "项目支出绩效目标" in (folder / "report.html").read_text(encoding="utf-8")


def test_every_core_module_is_held_to_the_contract():
    """A new top-level module is either a stage package or listed in the core contract's source_modules."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    stages = {name.strip() for layer in layers for name in layer.split("|")}
    core = set(next(c for c in config["contracts"] if c["type"] == "forbidden")["source_modules"])
    modules = {f"pipeline.{p.stem}" for p in (ROOT / "pipeline").glob("*.py") if p.stem not in ("__init__", "__main__")}
    packages = {f"pipeline.{p.parent.name}" for p in (ROOT / "pipeline").glob("*/__init__.py")}
    assert modules | packages == stages | core
