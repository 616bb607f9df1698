from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed_xinfangju.txt"
SAMPLE = ROOT / "inputs" / "广州市荔湾区信访局.xlsx"


@pytest.fixture
def seed() -> Path:
    return SEED


@pytest.fixture
def sample() -> Path:
    return SAMPLE


# report runs shared by test_report_xlsx.py and test_report_html.py: one run of several departments
# (with a formula-like, a <script> and a path-like name) and one of the bundled sample, per module
@pytest.fixture(scope="module")
def several(tmp_path_factory):
    from report_runs import hostile_department, run_tables, several_departments

    return run_tables(tmp_path_factory.mktemp("several"), *several_departments(), hostile_department())


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    from report_runs import run_tables

    return run_tables(tmp_path_factory.mktemp("sample"), copy=[SAMPLE])


@pytest.fixture(params=["several", "sample_run"])
def any_run(request):
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def browser():
    from browser import BROWSER_ARGS, chromium

    executable = chromium()
    if executable is None:
        pytest.skip("no Chromium installed (Debian: apt-get install -y chromium); the browser test needs one")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        yield instance
        instance.close()
