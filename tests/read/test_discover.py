"""Every entry under the inputs folder is listed with a status and reason; links are never followed,
FIFOs never opened, names that are not UTF-8 never crash, the outputs folder is never read back."""

import csv
import io
import json
import os
import pathlib
import shutil
import socket

from typer.testing import CliRunner

from builders import education_bureau, published_rows, write_text
from pipeline.cli import app

SAMPLE_NAME = "广州市荔湾区信访局.xlsx"


def inputs_with_sample(tmp_path, sample):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sample, folder / SAMPLE_NAME)
    return folder


def run(inputs, outputs, *extra):
    result = CliRunner().invoke(app, ["run", "-q", "-i", str(inputs), "-o", str(outputs), "-p", "2026-11", *extra])
    assert "Traceback" not in result.output
    record = json.loads((outputs / "2026-11" / "run.json").read_text(encoding="utf-8"))
    return result, record


def listed(record):
    return {i["file"]: (i["status"], i["reason"]) for i in record["inputs"]}


def assert_sample_alone(record, departments=1):
    assert len(record["departments"]) == departments
    sample = next(d for d in record["departments"] if d["file"] == SAMPLE_NAME)
    assert (sample["projects"], sample["total"]) == (10, "308.00")


def test_every_odd_entry_is_listed_with_its_reason(tmp_path, sample):
    inputs = inputs_with_sample(tmp_path, sample)
    (tmp_path / "elsewhere").mkdir()
    write_text(tmp_path / "elsewhere" / "外部.csv", published_rows(education_bureau()))
    (inputs / "链接文件夹").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (inputs / "坏链接.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    (inputs / "passwd.csv").symlink_to("/etc/passwd")
    (inputs / "副本.xlsx").symlink_to(inputs / SAMPLE_NAME)
    os.mkfifo(inputs / "管道.csv")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(inputs / "s.csv"))
    (inputs / "x.xlsx").mkdir()
    write_text(inputs / "x.xlsx" / "教育局.csv", published_rows(education_bureau()))
    (inputs / ".git").mkdir()
    (inputs / ".git" / "config").write_text("x")
    try:
        result, record = run(inputs, tmp_path / "out")
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    files = listed(record)
    assert files[SAMPLE_NAME] == ("ok", None)
    assert files["x.xlsx/教育局.csv"] == ("ok", None)
    assert files["x.xlsx"][0] == "skipped" and "这是文件夹" in files["x.xlsx"][1]
    assert "链接" in files["链接文件夹"][1] and "文件夹" in files["链接文件夹"][1]
    assert "指向的位置不存在" in files["坏链接.xlsx"][1]
    assert "输入文件夹之外" in files["passwd.csv"][1]
    assert f"「{SAMPLE_NAME}」" in files["副本.xlsx"][1] and "不重复计算" in files["副本.xlsx"][1]
    assert "命名管道" in files["管道.csv"][1]
    assert "套接字" in files["s.csv"][1]
    assert "隐藏文件夹" in files[".git"][1]
    assert all(status == "skipped" for f, (status, _) in files.items() if f not in (SAMPLE_NAME, "x.xlsx/教育局.csv"))
    assert len(files) == 10
    assert_sample_alone(record, departments=2)   # the linked copy is not counted twice
    assert record["total"] == "563.00"


def test_an_unreadable_subfolder_and_an_unreadable_file_are_listed(tmp_path, sample, monkeypatch):
    # the tests run as root, whom permissions do not stop: the refusals are simulated
    inputs = inputs_with_sample(tmp_path, sample)
    (inputs / "锁住").mkdir()
    write_text(inputs / "锁住" / "a.csv", [["x"]])
    write_text(inputs / "无权限.csv", published_rows(education_bureau()))
    real_scandir, real_open = os.scandir, pathlib.Path.open

    def scandir(path="."):
        if str(path).endswith("锁住"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    def path_open(self, *args, **kwargs):
        if self.name == "无权限.csv":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(pathlib.Path, "open", path_open)
    # files are read in worker processes: fork them from this one, so that they see the patched open
    monkeypatch.setattr("pipeline.read.worker.default_start_method", lambda: "fork")
    result, record = run(inputs, tmp_path / "out")
    files = listed(record)
    assert files["锁住"][0] == "skipped" and "文件夹无法打开（Permission denied）" in files["锁住"][1]
    assert files["无权限.csv"][0] == "rejected" and "Permission denied" in files["无权限.csv"][1]
    assert result.exit_code == 1
    assert_sample_alone(record)


def test_a_name_that_is_not_utf8_is_read_and_shown_escaped(tmp_path, sample):
    inputs = inputs_with_sample(tmp_path, sample)
    gbk = "教育局.csv".encode("gbk")                 # as unzip gives a Windows archive's names
    raw = os.path.join(os.fsencode(inputs), gbk)
    with open(raw, "wb") as handle:
        handle.write(write_text(tmp_path / "t.csv", published_rows(education_bureau())).read_bytes())
    gbk_xlsx = os.path.join(os.fsencode(inputs), "信访局副本.xlsx".encode("gbk"))
    with open(gbk_xlsx, "wb") as handle:
        handle.write(sample.read_bytes())
    result, record = run(inputs, tmp_path / "out")
    assert result.exit_code == 0, result.output
    escaped = gbk.decode("utf-8", "surrogateescape").encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    assert escaped.startswith("\\xbd\\xcc")
    assert listed(record)[escaped] == ("ok", None)
    assert {d["name"] for d in record["departments"]} == {"广州市荔湾区信访局", "某区教育局"}
    findings = (tmp_path / "out" / "2026-11" / "findings.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(findings)))
    assert any(r["code"] == "read_note" and r["file"] == escaped and "不是 UTF-8" in r["message"] for r in rows)
    # pipeline check on the file itself reads it (it used to be called damaged)
    for name in (gbk, "信访局副本.xlsx".encode("gbk")):
        checked = CliRunner().invoke(app, ["check", os.fsdecode(os.path.join(os.fsencode(inputs), name))])
        assert "Traceback" not in checked.output and "损坏" not in checked.output, checked.output


def test_an_outputs_folder_inside_the_inputs_folder_is_never_read(tmp_path, sample):
    inputs = inputs_with_sample(tmp_path, sample)
    outputs = inputs / "outputs"
    first, _ = run(inputs, outputs)
    assert first.exit_code == 0, first.output
    second, record = run(inputs, outputs)
    assert second.exit_code == 0, second.output
    files = listed(record)
    assert files["outputs"][0] == "skipped" and "输出文件夹" in files["outputs"][1]
    assert set(files) == {SAMPLE_NAME, "outputs"}
    assert_sample_alone(record)
