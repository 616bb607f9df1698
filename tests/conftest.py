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
