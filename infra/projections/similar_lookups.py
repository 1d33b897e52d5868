"""The similar-claims lookups of the answers to writes, read together by one thread.

Every POST /claims looks up the claims similar to the one it recorded, once its save is done.
Looked up one by one on the thread pool, each cost a thread hop and its own statements (one
when nothing similar can score), which took more CPU than the rest of the request. Here a
request queues its question and awaits the answer; one thread takes every question it finds
queued and answers them all with the statements of one lookup (ReadModel.similar_many), so
the answers are those of the lookups one by one.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from concurrent.futures import Future

from domain.similarity import ClaimShape, Similar
from infra.projections.read_model import ReadModel
from infra.projections.similar_query import Ask
from infra.queues import take_more

_Job = tuple[Ask, Future[list[Similar]]]
WAIT_SECONDS = 30.0


class SimilarLookups:
    """A thread answering queued similar-claims questions in batches of up to `max_batch`
    (one on SQLite, whose statements take at most 500 features)."""

    def __init__(self, read_model: ReadModel, max_batch: int = 64) -> None:
        self.read_model = read_model
        self.max_batch = max_batch if read_model.store.postgres else 1
        self.queue: queue.Queue[_Job | None] = queue.Queue()
        self.thread = threading.Thread(target=self._loop, name="claimtrail-similar", daemon=True)
        self.batches = self.asked = 0  # counters, for tests
        self.stopped = False

    def start(self) -> SimilarLookups:
        self.thread.start()
        return self

    def stop(self) -> None:
        """Answer what is queued, then stop; a question asked after this is looked up alone
        on a worker thread, and one that raced past the flag fails (the write's answer then
        says `similar: null`), so no request waits on a thread that is gone."""
        self.stopped = True
        self.queue.put(None)
        self.thread.join(timeout=WAIT_SECONDS)
        while True:
            try:
                job = self.queue.get_nowait()
            except queue.Empty:
                return
            if job is not None and job[1].set_running_or_notify_cancel():
                job[1].set_exception(RuntimeError("similar lookups stopped"))

    async def find(
        self, claim: ClaimShape, exclude: str | None, threshold: float, limit: int
    ) -> list[Similar]:
        ask = Ask(claim, exclude, threshold, limit)
        if self.stopped:
            return (await asyncio.to_thread(self.read_model.similar_many, [ask]))[0]
        future: Future[list[Similar]] = Future()
        self.queue.put((ask, future))
        return await asyncio.wait_for(asyncio.wrap_future(future), WAIT_SECONDS)

    def _loop(self) -> None:
        while (jobs := self._next_batch()) is not None:
            if not jobs:
                continue
            self.batches += 1
            self.asked += len(jobs)
            try:
                answers = self.read_model.similar_many([ask for ask, _ in jobs])
            except BaseException as exc:  # never leave a caller waiting
                for _, future in jobs:
                    future.set_exception(exc)
            else:
                for (_, future), answer in zip(jobs, answers, strict=True):
                    future.set_result(answer)

    def _next_batch(self) -> list[_Job] | None:
        first = self.queue.get()
        if first is None:
            return None
        jobs = take_more(self.queue, [first], self.max_batch)
        # A request cancelled meanwhile (its client went away) is not looked up.
        return [job for job in jobs if job[1].set_running_or_notify_cancel()]
