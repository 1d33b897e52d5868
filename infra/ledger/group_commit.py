"""Running command attempts: one at a time, or coalesced into shared transactions.

An attempt loads, checks and acts, and returns either a finished Outcome (an idempotent replay)
or the aggregates it wants saved (a Pending). The direct executor saves each attempt on its own.
The group committer runs queued attempts one after another on a writer thread and saves all
their events in one transaction; if that transaction conflicts, it saves each attempt alone so
a conflicting command never fails its neighbours, and runs the losers again (a fresh load, so
If-Match and idempotency keys are judged exactly as without grouping).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Protocol

from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError

from infra.ledger.errors import ConcurrencyError

log = logging.getLogger("claimtrail.group_commit")
RETRIES = 16
WAIT_SECONDS = 30.0


class Saver(Protocol):
    def save_pending(self, pendings: list[Any]) -> list[tuple[Any, int]]: ...


Attempt = Callable[[], Any]  # -> Outcome | Pending


class DirectExecutor:
    """Each attempt in its own transaction, retried from a fresh load after a conflict."""

    def __init__(self, ledger: Saver, is_outcome: Callable[[Any], bool]) -> None:
        self.ledger, self.is_outcome = ledger, is_outcome

    def execute(self, attempt: Attempt) -> Any:
        for _ in range(RETRIES):
            result = attempt()
            if self.is_outcome(result):
                return result
            try:
                [(event, position)] = self.ledger.save_pending([result])
            except IntegrityError:
                continue
            return result.outcome(event, position)
        raise ConcurrencyError("the resource changed too often while this command ran; retry")


@dataclass
class _Job:
    attempt: Attempt
    future: Future[Any] = field(default_factory=Future)
    tries: int = 0


class GroupCommitter:
    """A writer thread that coalesces concurrent commands into shared transactions."""

    def __init__(
        self, ledger: Saver, is_outcome: Callable[[Any], bool], max_batch: int = 128
    ) -> None:
        self.ledger, self.is_outcome, self.max_batch = ledger, is_outcome, max_batch
        self.queue: queue.Queue[_Job | None] = queue.Queue()
        self.again: deque[_Job] = deque()
        self.direct = DirectExecutor(ledger, is_outcome)
        self.thread = threading.Thread(target=self._loop, name="claimtrail-writer", daemon=True)
        self.batches = self.grouped = 0  # counters, for tests and metrics

    def start(self) -> GroupCommitter:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.queue.put(None)
        self.thread.join(timeout=WAIT_SECONDS)

    def execute(self, attempt: Attempt) -> Any:
        if threading.current_thread() is self.thread or not self.thread.is_alive():
            return self.direct.execute(attempt)
        job = _Job(attempt)
        self.queue.put(job)
        return job.future.result(timeout=WAIT_SECONDS)

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
        while len(jobs) < self.max_batch:
            try:
                job = self.queue.get_nowait()
            except queue.Empty:
                break
            if job is None:
                self.queue.put(None)  # stop after this batch
                break
            jobs.append(job)
        return jobs

    def _unavailable(self, exc: BaseException, jobs: list[_Job]) -> None:
        """The database is gone (the recorder already retried 10 times): fail these jobs and
        every queued one now, instead of letting each wait out the same timeouts in turn."""
        waiting = [*jobs, *self.again]
        self.again.clear()
        while True:
            try:
                job = self.queue.get_nowait()
            except queue.Empty:
                break
            if job is None:
                self.queue.put(None)
                break
            waiting.append(job)
        for job in waiting:
            if not job.future.done():
                job.future.set_exception(exc)

    def _run(self, jobs: list[_Job]) -> None:
        ready: list[tuple[_Job, Any]] = []
        busy: set[Any] = set()  # the aggregates the ready commands change
        try:
            for job in jobs:
                try:
                    result = job.attempt()
                    if not self.is_outcome(result) and _changes(result) & busy:
                        # Two commands on one aggregate cannot share a transaction (the second
                        # would conflict with the first): save what is ready, then run this
                        # one again on top of it, instead of failing the whole batch.
                        self._save(ready)
                        ready, busy = [], set()
                        result = job.attempt()
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

    def _save(self, ready: list[tuple[_Job, Any]]) -> None:
        """Save the ready commands in one transaction; each alone if that conflicts."""
        if not ready:
            return
        self.batches += 1
        self.grouped += len(ready)
        try:
            saved = self.ledger.save_pending([pending for _, pending in ready])
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
        for (job, pending), (event, position) in zip(ready, saved, strict=True):
            job.future.set_result(pending.outcome(event, position))

    def _save_alone(self, job: _Job, pending: Any) -> None:
        try:
            [(event, position)] = self.ledger.save_pending([pending])
        except IntegrityError:
            job.tries += 1
            if job.tries >= RETRIES:
                job.future.set_exception(
                    ConcurrencyError("the resource changed too often while this command ran; retry")
                )
            else:
                self.again.append(job)
        except (OperationalError, InterfaceError):
            raise
        except BaseException as exc:
            job.future.set_exception(exc)
        else:
            job.future.set_result(pending.outcome(event, position))


def _changes(pending: Any) -> set[Any]:
    """The ids of the aggregates a pending command saves."""
    return {aggregate.id for aggregate in pending.aggregates}
