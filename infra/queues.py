"""Taking a batch from a worker thread's queue, shared by the writer (infra/ledger/group_commit.py)
and the similar-claims lookups (infra/projections/similar_lookups.py)."""

from __future__ import annotations

import queue
from typing import TypeVar

T = TypeVar("T")


def take_more(source: queue.Queue[T | None], jobs: list[T], limit: int) -> list[T]:
    """`jobs` with what else is queued, up to `limit` in all, without waiting. The stop mark
    (None) stays queued: the thread stops after this batch."""
    while len(jobs) < limit:
        try:
            job = source.get_nowait()
        except queue.Empty:
            break
        if job is None:
            source.put(None)
            break
        jobs.append(job)
    return jobs
