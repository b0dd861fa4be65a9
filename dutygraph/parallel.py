"""Reading many lists at once: parse and extract in worker processes, hand the tables back in order.

A province is 1,500 lists, and each is read and extracted on its own, so the work spreads over
the machine's cores; the one writer (the store, in one transaction) takes the lists as they
come back, in the order they were given.

>>> [t.list_id for t in load_many(["data/000_5b382267ef9e6b6d.txt"], jobs=1)]
['卜尔汉图镇:配合']
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from itertools import islice

from .tables import Given, ListTables

__all__ = ["default_jobs", "load_many"]

#: Files in flight per worker: enough to keep every worker busy while the store writes.
_AHEAD = 3


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def load_many(
    files: Sequence[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    vocab_dir: str | None = None,
    given: Given | None = None,
) -> Iterator[ListTables]:
    """Each file read into its tables (handoffs extracted), in the order given.

    With ``jobs`` above 1 and more than one file, ``jobs`` worker processes do the reading; the
    first file that fails raises its ``DutygraphError`` here and the rest are cancelled.
    """
    read = partial(_load_one, vocab_dir=vocab_dir, given=given)
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1 or len(files) <= 1:
        yield from map(read, files)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(files))) as pool:
        # a few files ahead per worker, submitted as the results are taken: memory stays
        # bounded, and the executor is never handed thousands of tasks at once (Python 3.11's
        # executor can deadlock on its wake-up pipe when flooded with submissions)
        waiting = iter(files)
        running = deque(pool.submit(read, f) for f in islice(waiting, jobs * _AHEAD))
        try:
            while running:
                tables = running.popleft().result()
                running.extend(pool.submit(read, f) for f in islice(waiting, 1))
                yield tables
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _load_one(
    path: str | os.PathLike[str],
    *,
    vocab_dir: str | None,
    given: Given | None,
) -> ListTables:
    from .pipeline import load_list
    from .vocabulary import Vocabulary

    vocab = Vocabulary.load(vocab_dir)  # cached per process
    return load_list(path, given=given, vocab=vocab)
