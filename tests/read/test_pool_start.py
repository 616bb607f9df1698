"""A reader pool started in the background (`ReaderPool.start`) reads as one started in place, and is
always stopped: after reading, and when the run fails before it reads anything."""

import pytest

from conftest import SAMPLE
from pipeline.read.batch import read_batch
from pipeline.read.guard import Limits
from pipeline.read.worker import ReaderPool


def test_a_pool_started_in_the_background_gives_the_same_batch(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    (tmp_path / "in" / "empty.xlsx").write_bytes(b"")
    pool = ReaderPool(Limits(), 2).start()
    started = read_batch([tmp_path / "in"], pool=pool)
    assert pool.workers == []                        # read_batch closed it
    in_place = read_batch([tmp_path / "in"])
    summary = [(i.file, i.status, i.sha256) for i in started.inputs]
    assert summary == [(i.file, i.status, i.sha256) for i in in_place.inputs]
    assert [f.as_dict() for f in started.findings] == [f.as_dict() for f in in_place.findings]
    assert [len(d.projects) for d in started.departments] == [10]


def test_a_pool_never_entered_is_stopped_by_close():
    pool = ReaderPool(Limits(), 2).start()
    pool.close()
    assert pool.workers == [] and pool._starting is None
    pool.close()                                     # idempotent


def test_a_pool_that_cannot_start_raises_where_it_is_entered(monkeypatch):
    import pipeline.read.worker as worker

    def refuse(*args):
        raise OSError("no processes left")

    monkeypatch.setattr(worker, "_Worker", refuse)
    pool = ReaderPool(Limits(), 1).start()
    with pytest.raises(OSError, match="no processes left"):
        with pool:
            pass
    assert pool.workers == []
