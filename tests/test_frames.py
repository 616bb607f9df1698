"""The DataFrame entry point gives the normalised tables with exact amounts and provenance."""

from decimal import Decimal

from builders import Dept, Proj, published_rows, write_xlsx
from pipeline.frames import read_tables


def test_the_sample_as_dataframes(sample):
    tables = read_tables([sample])
    projects = tables.projects
    assert len(projects) == 10
    assert all(isinstance(v, Decimal) for v in projects["total"])
    assert sum(projects["total"], Decimal(0)) == Decimal("308.00")
    first = projects.iloc[0]
    assert (first["project"], first["total"]) == ("信访维稳工作专项经费", Decimal("100.00"))
    assert (first["source_file"], first["source_cell"]) == (sample.name, "A6")
    # the provenance is true: the cell it names holds the project's name
    import python_calamine
    rows = python_calamine.CalamineWorkbook.from_path(str(sample)).get_sheet_by_name(first["source_sheet"]).to_python()
    assert rows[first["source_row"] - 1][0] == first["project"]
    assert set(projects["layout"]) == {"table"}
    assert len(tables.indicators) == 33
    assert set(tables.indicators["project"]) == set(projects["project"])
    assert list(tables.findings["severity"]).count("warning") == 6
    assert list(tables.inputs["status"]) == ["ok"]


def test_amounts_stay_exact_to_the_fen(tmp_path):
    """0.000001 万元 is one 分: a float column would lose it in the sum (below the 1,000,000 万元 project ceiling)."""
    dept = Dept("某区司法局", [("某区司法局", [Proj("甲", fiscal="0.000001"), Proj("乙", fiscal="999999.000002")])])
    write_xlsx(tmp_path / "a.xlsx", [{"name": "Sheet1", "rows": published_rows(dept)}])
    tables = read_tables([tmp_path])
    assert sum(tables.projects["fiscal"], Decimal(0)) == Decimal("999999.000003")
    assert tables.projects["total"].dtype == object


def test_a_findings_params_are_a_dict_of_its_raw_figures(tmp_path):
    """总计 12.00 against parts adding up to 10.50: the difference is there exactly, as a Decimal, no message parsed."""
    dept = Dept("某区司法局", [("某区司法局", [Proj("甲", fiscal="10.50", total="12.00")])])
    write_xlsx(tmp_path / "a.xlsx", [{"name": "Sheet1", "rows": published_rows(dept)}])
    findings = read_tables([tmp_path]).findings
    assert list(findings.columns)[-1] == "params"          # added at the end
    mismatch = findings[findings["code"] == "row_sum_mismatch"].iloc[0]
    assert isinstance(mismatch["params"], dict)
    assert mismatch["params"]["column"] == "total"
    assert {mismatch["params"][k] for k in ("expected", "actual")} == {Decimal("10.50"), Decimal("12.00")}
    assert abs(mismatch["params"]["difference"]) == Decimal("1.50")
    assert findings["params"].str.get("column").tolist().count("total") >= 1
