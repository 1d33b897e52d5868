"""Running command attempts: one at a time, or with only their saves coalesced.

An attempt loads, checks and acts, and returns either a finished Outcome (an idempotent replay)
or the aggregates it wants saved (a Pending). The direct executor saves each attempt on its own.
With the group committer, attempts run concurrently where the requests are (a request thread,
or the event loop of an async endpoint); only their pendings go to one writer thread, which
saves every pending it finds queued in one transaction. If that transaction conflicts, it saves
each pending alone, so a conflicting command never fails its neighbours, and runs the losers'
attempts again itself (a fresh load, so If-Match and idempotency keys are judged exactly as
without grouping). A pending the writer knows to be stale (its aggregate was saved since it was
loaded, by this writer) is run again at once instead of failing a whole batch.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError

from infra.ledger.direct import RETRIES, Attempt, DirectExecutor, Saver, off_the_loop, too_busy
from infra.queues import take_more

log = logging.getLogger("claimtrail.group_commit")
WAIT_SECONDS = 30.0
REMEMBERED = 50_000  # aggregate versions the writer remembers having saved


@dataclass
class _Job:
    attempt: Attempt
    pending: Any = None  # what the attempt made where the request is; None: run it here
    future: Future[Any] = field(default_factory=Future)
    tries: int = 0


class GroupCommitter:
    """A writer thread that saves the pendings of concurrent commands in shared transactions."""

    def __init__(
        self, ledger: Saver, is_outcome: Callable[[Any], bool], max_batch: int = 128
    ) -> None:
        self.ledger, self.is_outcome, self.max_batch = ledger, is_outcome, max_batch
        self.queue: queue.Queue[_Job | None] = queue.Queue()
        self.again: deque[_Job] = deque()
        self.direct = DirectExecutor(ledger, is_outcome)
        self.thread = threading.Thread(target=self._loop, name="claimtrail-writer", daemon=True)
        self.saved: dict[Any, int] = {}  # aggregate id -> the last version this writer saved
        self.batches = self.grouped = self.rerun = 0  # counters, for tests and metrics

    def start(self) -> GroupCommitter:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.queue.put(None)
        self.thread.join(timeout=WAIT_SECONDS)

    def execute(self, attempt: Attempt) -> Any:
        """Run the attempt in this thread; wait for the writer to save what it made."""
        if threading.current_thread() is self.thread or not self.thread.is_alive():
            return self.direct.execute(attempt)
        result = attempt()
        if self.is_outcome(result):
            return result
        return self._submit(attempt, result).result(timeout=WAIT_SECONDS)

    async def execute_async(self, attempt: Attempt, reads: bool = True) -> Any:
        """Run the attempt (on a worker thread if it `reads` the store, else right here on
        the event loop) and await the writer's save: no thread waits on the writer."""
        if not self.thread.is_alive():
            return await self.direct.execute_async(attempt)
        result = await off_the_loop(attempt) if reads else attempt()
        if self.is_outcome(result):
            return result
        future = asyncio.wrap_future(self._submit(attempt, result))
        return await asyncio.wait_for(future, WAIT_SECONDS)

    def _submit(self, attempt: Attempt, pending: Any) -> Future[Any]:
        pending.collect()  # the events leave the aggregates here, not on the writer
        job = _Job(attempt, pending)
        self.queue.put(job)
        return job.future

    # -- the writer thread -------------------------------------------------------------------

    def _loop(self) -> None:
        while (jobs := self._next_batch()) is not None:
            try:
                self._run(jobs)
            except BaseException as exc:  # never leave a caller waiting
                log.exception("group commit failed")
                for job in jobs:
                    if not job.future.done():
                        job.future.set_exception(exc)

    def _next_batch(self) -> list[_Job] | None:
        jobs = list(self.again)
        self.again.clear()
        if not jobs:
            first = self.queue.get()
            if first is None:
                return None
            jobs.append(first)
        jobs = take_more(self.queue, jobs, self.max_batch)
        # From here a caller can no longer cancel (an awaiting request that timed out):
        # a cancelled job is dropped unsaved, the others will be answered.
        return [j for j in jobs if j.tries or j.future.set_running_or_notify_cancel()]

    def _drain(self) -> list[_Job]:
        waiting = list(self.again)
        self.again.clear()
        while True:
            try:
                job = self.queue.get_nowait()
            except queue.Empty:
                return waiting
            if job is None:
                self.queue.put(None)
                return waiting
            waiting.append(job)

    def _unavailable(self, exc: BaseException, jobs: list[_Job]) -> None:
        """The database is gone (the recorder already retried 10 times): fail these jobs and
        every queued one now, instead of letting each wait out the same timeouts in turn."""
        for job in [*jobs, *self._drain()]:
            if not job.future.done():
                job.future.set_exception(exc)

    def _run(self, jobs: list[_Job]) -> None:
        ready: list[tuple[_Job, Any]] = []
        busy: set[Any] = set()  # the aggregates the ready commands change
        try:
            for job in jobs:
                try:
                    result = self._result(job)
                    if not self.is_outcome(result) and _changes(result) & busy:
                        # Two commands on one aggregate cannot share a transaction (the second
                        # would conflict with the first): save what is ready, then run this
                        # one again on top of it, instead of failing the whole batch.
                        self._save(ready)
                        ready, busy = [], set()
                        result = self._rerun(job)
                except (OperationalError, InterfaceError):
                    raise
                except BaseException as exc:
                    job.future.set_exception(exc)
                    continue
                if self.is_outcome(result):
                    job.future.set_result(result)
                else:
                    ready.append((job, result))
                    busy |= _changes(result)
            self._save(ready)
        except (OperationalError, InterfaceError) as exc:
            self._unavailable(exc, jobs)

    def _result(self, job: _Job) -> Any:
        """The job's pending if it may still be saved, else its attempt run again here."""
        pending, job.pending = job.pending, None
        if pending is None or self._stale(pending):
            return self._rerun(job)
        return pending

    def _rerun(self, job: _Job) -> Any:
        self.rerun += 1
        result = job.attempt()
        if not self.is_outcome(result):
            result.collect()
        return result

    def _stale(self, pending: Any) -> bool:
        """Whether an event of the pending follows a version this writer already saved."""
        saved = self.saved
        return any(
            saved.get(event.originator_id, 0) >= event.originator_version
            for event in pending.events
        )

    def _remember(self, pendings: list[Any]) -> None:
        if len(self.saved) > REMEMBERED:
            self.saved.clear()
        for pending in pendings:
            for event in pending.events:
                self.saved[event.originator_id] = event.originator_version

    def _save(self, ready: list[tuple[_Job, Any]]) -> None:
        """Save the ready commands in one transaction; each alone if that conflicts."""
        if not ready:
            return
        self.batches += 1
        self.grouped += len(ready)
        pendings = [pending for _, pending in ready]
        try:
            saved = self.ledger.save_pending(pendings)
        except IntegrityError:
            for job, pending in ready:
                self._save_alone(job, pending)
            return
        except (OperationalError, InterfaceError):
            raise
        except BaseException as exc:
            for job, _ in ready:
                job.future.set_exception(exc)
            return
        self._remember(pendings)
        for (job, pending), (event, position) in zip(ready, saved, strict=True):
            job.future.set_result(pending.outcome(event, position))

    def _save_alone(self, job: _Job, pending: Any) -> None:
        try:
            [(event, position)] = self.ledger.save_pending([pending])
        except IntegrityError:
            job.tries += 1
            if job.tries >= RETRIES:
                job.future.set_exception(too_busy())
            else:
                self.again.append(job)  # job.pending is None: its attempt runs again
        except (OperationalError, InterfaceError):
            raise
        except BaseException as exc:
            job.future.set_exception(exc)
        else:
            self._remember([pending])
            job.future.set_result(pending.outcome(event, position))


def _changes(pending: Any) -> set[Any]:
    """The ids of the aggregates a pending command saves."""
    return {aggregate.id for aggregate in pending.aggregates}
