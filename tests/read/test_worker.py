"""The reading workers are handed files in turns, a few at most each, so the main process, which takes
the outcomes in the files' order, finds the next one it needs ready as often as it can be."""

from collections import deque
from pathlib import Path

from pipeline.read.guard import Limits
from pipeline.read.worker import IN_HAND, ReaderPool


class Taking:
    """A worker that takes every file it is given (what `_dispatch` needs of one)."""

    def __init__(self):
        self.tasks = deque()

    def give(self, task) -> bool:
        self.tasks.append(task)
        return True


def test_files_go_to_the_workers_in_turns_and_no_more_than_a_few_each():
    pool = ReaderPool(Limits(), 2)
    pool.workers = [Taking(), Taking()]
    queue = deque((n, Path(f"{n}.xlsx")) for n in range(20))
    pool._dispatch(queue, {})
    first, second = ([index for index, _ in w.tasks] for w in pool.workers)
    assert first == list(range(0, 2 * IN_HAND, 2)) and second == list(range(1, 2 * IN_HAND, 2))
    assert [index for index, _ in queue] == list(range(2 * IN_HAND, 20))    # the rest wait their turn
    pool.workers[1].tasks.popleft()                 # the second worker finished file 1
    pool._dispatch(queue, {})
    assert [index for index, _ in pool.workers[1].tasks][-1] == 2 * IN_HAND and len(queue) == 20 - 2 * IN_HAND - 1
