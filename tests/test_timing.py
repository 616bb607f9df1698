"""Stage timings add up per stage; the heap is frozen only while the writers run."""

import gc

import pytest

from pipeline.timing import Timings, frozen_heap, no_progress


def test_a_stage_that_runs_twice_is_summed_and_kept_when_it_raises():
    timings = Timings()
    with timings.stage("read"):
        pass
    first = timings["read"]
    with pytest.raises(ValueError), timings.stage("read"):
        raise ValueError
    assert set(timings) == {"read"} and timings["read"] >= first >= 0.0
    with timings.stage("write"):
        pass
    assert set(timings) == {"read", "write"}


def test_frozen_heap_freezes_and_unfreezes_even_on_error():
    before = gc.get_freeze_count()
    keep = [object() for _ in range(10)]
    with pytest.raises(RuntimeError), frozen_heap():
        assert gc.get_freeze_count() >= before + len(keep)
        raise RuntimeError
    assert gc.get_freeze_count() == 0


def test_no_progress_accepts_every_call():
    assert no_progress("read", 0, 3) is None and no_progress("write", 3, 3, "report.xlsx") is None
