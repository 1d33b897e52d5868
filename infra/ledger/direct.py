"""Running command attempts one at a time: each in its own transaction, retried from a fresh
load after a conflict (the executor without group commit, and the group committer's fallback)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from eventsourcing.persistence import IntegrityError

from infra.ledger.errors import ConcurrencyError

RETRIES = 16
# Where an async caller's attempts that read the store run: as many threads as FastAPI's pool,
# so that while the database is down each request waits out only its own retries (asyncio's
# default executor has cpu + 4 threads: requests would queue behind each other's timeouts).
ATTEMPTS = ThreadPoolExecutor(max_workers=40, thread_name_prefix="claimtrail-attempt")


async def off_the_loop(work: Callable[[], Any]) -> Any:
    return await asyncio.get_running_loop().run_in_executor(ATTEMPTS, work)


class Saver(Protocol):
    def save_pending(self, pendings: list[Any]) -> list[tuple[Any, int]]: ...


Attempt = Callable[[], Any]  # -> Outcome | Pending


def too_busy() -> ConcurrencyError:
    return ConcurrencyError("the resource changed too often while this command ran; retry")


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
        raise too_busy()

    async def execute_async(self, attempt: Attempt, reads: bool = True) -> Any:
        """The same, on a worker thread (it reads and writes the store)."""
        return await off_the_loop(lambda: self.execute(attempt))
