"""docs/outputs.md is the public list of finding codes: it must match the code, both ways."""

import re

from conftest import ROOT
from pipeline.findings import CODES


def documented_codes() -> dict[str, str]:
    docs = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| ([a-z_]+) \| (error|warning|info) \|", docs, re.M))


def test_every_finding_code_is_documented_with_its_default_severity():
    documented = documented_codes()
    assert {code: severity for code, (severity, _) in CODES.items()} == documented
