"""A `claimtrail project` worker SIGKILLed while a receiver holds one of its webhook deliveries
(SQLite and PostgreSQL): once restarted, the receiver has every event at least once and,
redeliveries of the same webhook-id left out, in log order."""

from __future__ import annotations

from uuid import UUID

import pytest
from eventsourcing.utils import get_topic

from domain.principals import Principal
from domain.values import Role
from infra.ledger.application import Ledger, open_ledger
from infra.projections.store import ViewStore
from infra.webhooks import state
from tests.faults.conftest import CLI, Proc, Processes, wait_until
from tests.webhook_receiver import receiving

pytestmark = pytest.mark.slow
FIRST, LATER = 12, 8  # events before the kill, and while the worker is down
HELD = 3  # the receiver holds the third request until the worker is dead
WORKER = {
    "CLAIMTRAIL_WEBHOOK_ALLOW_PRIVATE": "true",  # the receiver is on loopback
    "CLAIMTRAIL_WEBHOOK_TIMEOUT": "3",
    "CLAIMTRAIL_WEBHOOK_RETRY_FIRST": "0.2",
    "CLAIMTRAIL_WEBHOOK_RETRY_MAX": "1",
    "CLAIMTRAIL_WEBHOOK_POLL": "0.05",
}


def _worker(processes: Processes, database_url: str) -> Proc:
    import sys

    env = {"CLAIMTRAIL_DATABASE_URL": database_url, "COLUMNS": "120", **WORKER}
    return processes.start("projector", [sys.executable, "-c", CLI, "project"], env)


def _principals(ledger: Ledger, count: int) -> list[int]:
    """Register `count` principals; the positions of their Registered events (a principal's
    first key is an event of its own, after it)."""
    ctx = ledger.principals.system_context()
    ids = {
        ledger.principals.create(ctx, name=f"p{i}", role=Role.READER).outcome.aggregate.id
        for i in range(count)
    }
    notes = ledger.recorder.select_notifications(
        start=0, limit=10_000, topics=[get_topic(Principal.Registered)]
    )
    return [n.id for n in notes if UUID(str(n.originator_id)) in ids]


def test_a_worker_killed_mid_delivery_resumes_and_every_event_arrives_in_order(
    database_url: str, processes: Processes
) -> None:
    ledger = open_ledger(database_url)
    try:
        ledger.webhooks.allow_private = True
        with receiving(hold_at=HELD) as receiver:
            registered = ledger.webhooks.register(
                ledger.principals.system_context(),
                url=receiver.url,
                event_types=["principal.registered"],
            )
            hook_id = registered.outcome.aggregate.id
            wanted = _principals(ledger, FIRST)
            worker = _worker(processes, database_url)
            wait_until(lambda: receiver.holding.is_set(), 60, "a delivery to be held")
            worker.kill()  # SIGKILL while the receiver holds the third event's request
            receiver.release.set()
            before = receiver.positions()
            assert before == wanted[:HELD], (before, wanted)

            wanted += _principals(ledger, LATER)
            worker = _worker(processes, database_url)
            wait_until(
                lambda: set(receiver.positions()) >= set(wanted),
                90,
                "every event to arrive after the restart",
                pause=0.1,
            )
            acknowledged = wait_until(
                lambda: (a := _acknowledged(ledger, hook_id)) is not None and a >= wanted[-1] and a,
                30,
                "the cursor to pass the last event",
            )
            worker.stop()

        assert receiver.first_positions() == wanted  # in log order, none skipped
        assert receiver.positions().count(wanted[HELD - 1]) >= 2  # the held one came again
        for received in receiver.received:
            assert received.verified(registered.secret)["type"] == "principal.registered"
        print(
            f"\nFIGURES webhook sigkill [{database_url.split(':')[0]}]: {len(wanted)} events,"
            f" {len(receiver.received)} requests received, cursor at {acknowledged}"
        )
    finally:
        ledger.close()


def _acknowledged(ledger: Ledger, hook_id: UUID) -> int | None:
    with ViewStore(ledger.recorder).transaction(commit=False) as cursor:
        return state.acknowledged(cursor, str(hook_id))
