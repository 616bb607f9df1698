"""A period as the history keeps it (history/snapshot.py): exact amounts from the batch, the status from run.json."""

from decimal import Decimal

from builders import education_bureau, published_rows, write_xlsx
from checked import read_checked
from pipeline.history.snapshot import InputState, snapshot_of
from pipeline.report.record import run_record


def test_a_snapshot_keeps_every_project_indicator_and_input_of_the_batch(tmp_path):
    rows = published_rows(education_bureau())
    batch = read_checked([write_xlsx(tmp_path / "教育局.xlsx", [{"name": "S", "rows": rows}])])
    record = run_record(batch, "2026-11", "2026-11-30T18:00:00+08:00")
    snapshot = snapshot_of(batch, record)
    assert (snapshot.period, snapshot.started, snapshot.status) == ("2026-11", "2026-11-30T18:00:00+08:00",
                                                                    "ok")
    assert snapshot.total == Decimal("255.00") == sum(p.total for p in snapshot.projects)
    assert snapshot.inputs == (InputState("教育局.xlsx", batch.inputs[0].sha256, "ok", None),)
    assert [(p.spending_unit, p.name, p.total, p.fiscal, p.source_row, p.layout) for p in snapshot.projects] == [
        (p.spending_unit, p.name, p.amounts.total, p.amounts.fiscal, p.source.row, "table")
        for p in batch.departments[0].projects]
    assert [p.name for p in snapshot.projects] == ["教师培训经费", "教研活动经费", "校舍维修经费"]
    assert len(snapshot.indicators) == 9 and {i.project for i in snapshot.indicators} == {
        "教师培训经费", "教研活动经费", "校舍维修经费"}
    (department,) = snapshot.departments
    assert (department.name, department.total, department.declared_total, department.reconciled) == (
        "某区教育局", Decimal("255.00"), Decimal("255.00"), True)
    assert snapshot.findings == tuple(batch.findings)


def test_a_snapshot_is_a_value_equal_to_one_built_again():
    from pipeline.read.batch import Batch

    batch = Batch()
    record = {"period": "2026-10", "started": "s", "status": "ok", "total_unknown": 0, "unknown_amounts": 0}
    assert snapshot_of(batch, record) == snapshot_of(batch, dict(record))
    assert snapshot_of(batch, record) != snapshot_of(batch, {**record, "period": "2026-11"})
