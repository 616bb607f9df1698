"""Reading one file gives an outcome, never an exception: the sheets with the file's digest and
modification time, or the finding code and the Chinese reason it was rejected with."""

import hashlib
import os

import pytest

from conftest import SAMPLE
from hostile import zip_bomb
from pipeline.read.outcome import read_one, sha256_of
from pipeline.read.sheets import ReadError
from pipeline.settings import Limits


def test_a_good_file_gives_its_sheets_digest_and_modification_time():
    outcome = read_one(SAMPLE, Limits())
    assert outcome.code is None and outcome.reason is None
    assert outcome.sha256 == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert outcome.modified == os.stat(SAMPLE).st_mtime
    assert [s.name for s in outcome.sheets] == ["项目支出绩效目标表"]


def test_a_file_over_the_size_limit_is_refused_before_it_is_hashed(tmp_path):
    big = tmp_path / "big.csv"
    big.write_bytes(b"a,b\n" * 300_000)                  # 1.2 MB
    outcome = read_one(big, Limits(max_file_mb=1))
    assert (outcome.code, outcome.sheets, outcome.sha256) == ("unsafe_file", None, None)
    assert "超过上限 1 MB" in outcome.reason


def test_a_zip_bomb_is_refused_by_the_guard_with_its_digest_kept(tmp_path):
    bomb = zip_bomb(tmp_path / "bomb.xlsx")
    outcome = read_one(bomb, Limits())
    assert outcome.code == "unsafe_file" and outcome.sheets is None
    assert outcome.sha256 == hashlib.sha256(bomb.read_bytes()).hexdigest()


def test_a_missing_file_is_unreadable_not_an_exception(tmp_path):
    outcome = read_one(tmp_path / "gone.xlsx", Limits())
    assert outcome.code == "unreadable_file" and outcome.reason.startswith("无法打开文件")


def test_a_file_that_is_no_table_is_rejected_with_the_readers_reason(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    outcome = read_one(fake, Limits())
    assert outcome.code == "unreadable_file" and "PDF" in outcome.reason


def test_the_digest_stops_at_the_limit_when_a_file_grew(tmp_path):
    grown = tmp_path / "grown.csv"
    grown.write_bytes(b"x" * 3_000_000)
    assert sha256_of(grown, 3_000_000) == hashlib.sha256(b"x" * 3_000_000).hexdigest()
    with pytest.raises(ReadError) as refused:
        sha256_of(grown, 2_000_000)
    assert refused.value.code == "unsafe_file"
