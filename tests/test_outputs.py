"""The streamed CSV and run.json writers give the very bytes the whole-string ones give."""

from pipeline.outputs import csv_bytes, json_bytes, write_csv, write_json

COLUMNS = ["name", "amount", "note"]
ROWS = [{"name": "=SUM(A1)", "amount": "1.50", "note": None},
        {"name": "信访局", "amount": "-2.00", "note": "+86 020"},
        {"name": "a,\"b\"\nc", "amount": "", "note": "@x"},
        {"name": 7, "amount": None, "note": "\tcell"}]


def test_write_csv_gives_csv_bytes(tmp_path):
    write_csv(tmp_path / "t.csv", iter(ROWS), COLUMNS, {"amount"})
    assert (tmp_path / "t.csv").read_bytes() == csv_bytes(ROWS, COLUMNS, {"amount"})
    assert (tmp_path / "t.csv").read_bytes().startswith("\ufeffname".encode("utf-8"))


def test_write_json_gives_json_bytes(tmp_path):
    record = {"period": "2026-11", "total": "308.00", "findings": [{"message": "单元格 C5 不是数字"}], "none": None}
    write_json(tmp_path / "run.json", record)
    assert (tmp_path / "run.json").read_bytes() == json_bytes(record)
