"""A `claimtrail project` worker SIGKILLed twice while it catches up with a long log (SQLite and
PostgreSQL): once restarted and caught up, every view equals a clean rebuild from the log."""

from __future__ import annotations

import pytest

from infra.ledger.application import open_ledger
from infra.projections.read_model import ReadModel
from tests.faults.conftest import (
    Processes,
    assert_views_match_rebuild,
    project,
    wait_until,
)
from tests.faults.history import EVENTS_PER_CLAIM, write_history

pytestmark = pytest.mark.slow
CLAIMS = 500  # ~4,000 events: a few seconds of catch-up, in batches of BATCH
BATCH = 500


def test_projection_worker_sigkill_during_catch_up(database_url: str, processes: Processes) -> None:
    head = write_history(database_url, CLAIMS)
    assert head >= CLAIMS * EVENTS_PER_CLAIM
    ledger = open_ledger(database_url)
    try:
        read_model = ReadModel(ledger)
        killed_at = []
        reached = 0
        for _ in range(2):
            worker = project(processes, database_url, batch=BATCH)
            mark = reached

            def mid_catch_up(mark: int = mark) -> int:
                assert worker.alive(), worker.output()  # noqa: B023
                position = read_model.position()
                return position if mark < position < head else 0

            reached = wait_until(mid_catch_up, 60, "the worker to be part way through", pause=0.005)
            worker.kill()  # SIGKILL, most likely inside a batch's transaction
            killed_at.append(reached)
            positions = read_model.projector.positions()
            assert max(positions.values()) < head, positions  # it was killed before the end

        worker = project(processes, database_url, batch=BATCH)
        wait_until(lambda: read_model.position() == head, 60, "the worker to catch up", pause=0.1)
        worker.stop()
    finally:
        ledger.close()
    digests = assert_views_match_rebuild(database_url)
    print(
        f"\nFIGURES projector sigkill [{database_url.split(':')[0]}]: {head} events, killed at "
        f"positions {killed_at}, views equal a rebuild: {digests}"
    )
