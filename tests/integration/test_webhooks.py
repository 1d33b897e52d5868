"""Webhook delivery against real SQLite and PostgreSQL, with the dispatcher in a thread and
receivers on loopback: one endpoint failing holds up neither the others nor the views, and
`claimtrail replay` (with --swap) neither sends anything again nor touches delivery state."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from domain.values import Role
from infra.ledger.application import Ledger
from infra.projections.read_model import ReadModel
from infra.webhooks.dispatcher import DeliveryConfig, Dispatcher, run_in_thread, stop_thread
from service.cli import app
from tests.webhook_receiver import Receiver, receiving

FAST = DeliveryConfig(timeout=5, retry_first=0.1, retry_max=0.5, allow_private=True, poll=0.02)


def _eventually(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
    return found


@pytest.fixture
def dispatching(ledger: Ledger) -> Iterator[Dispatcher]:
    ledger.webhooks.allow_private = True
    read_model = ReadModel(ledger)
    dispatcher = Dispatcher(ledger, read_model.store, FAST)
    running = run_in_thread(dispatcher)
    yield dispatcher
    stop_thread(running, dispatcher)


def _register(ledger: Ledger, receiver: Receiver, types: list[str]) -> Any:
    ctx = ledger.principals.system_context()
    return ledger.webhooks.register(ctx, url=receiver.url, event_types=types)


def _principals(ledger: Ledger, count: int) -> None:
    ctx = ledger.principals.system_context()
    for i in range(count):
        ledger.principals.create(ctx, name=f"w{i}-{time.monotonic_ns()}", role=Role.READER)


def test_a_failing_endpoint_holds_up_neither_other_endpoints_nor_the_views(
    ledger: Ledger, dispatching: Dispatcher
) -> None:
    with receiving(answers=[500] * 10_000) as failing, receiving() as working:
        _register(ledger, failing, ["principal.registered"])
        _register(ledger, working, ["principal.registered"])
        _principals(ledger, 5)
        read_model = ReadModel(ledger)
        read_model.projector.catch_up()

        _eventually(lambda: len(working.received) == 5)
        assert len({r.json["position"] for r in failing.received}) == 1  # still on its first
        assert read_model.position() == ledger.recorder.max_notification_id()


def test_replay_sends_nothing_again_and_leaves_delivery_state_alone(
    ledger: Ledger, database_url: str, dispatching: Dispatcher
) -> None:
    with receiving() as receiver:
        hook = _register(ledger, receiver, ["*"])
        _principals(ledger, 4)
        _eventually(lambda: len(receiver.received) == 8)  # each: registered, key issued
        dispatching.close()  # no more delivering in this process
        before = _delivery_rows(ledger)

        for args in (["replay"], ["replay", "--swap"], ["verify"]):
            result = CliRunner().invoke(app, [*args, "--database-url", database_url])
            assert result.exit_code == 0, result.output
        time.sleep(0.3)

        assert len(receiver.received) == 8
        assert _delivery_rows(ledger) == before
        assert len(before) == 8 and all(row[2] for row in before)
        for received in receiver.received:
            received.verified(hook.secret)


def _delivery_rows(ledger: Ledger) -> list[tuple[Any, ...]]:
    from infra.projections.store import ViewStore

    with ViewStore(ledger.recorder).transaction(commit=False) as cursor:
        rows = cursor.execute(
            "SELECT position, attempts, delivered_at FROM {rm_webhook_deliveries} ORDER BY position"
        ).fetchall()
    return [(r["position"], r["attempts"], r["delivered_at"]) for r in rows]


def test_an_event_that_does_not_decode_is_retried_with_backoff_and_nothing_passes_it(
    ledger: Ledger, dispatching: Dispatcher
) -> None:
    with receiving() as receiver:
        _register(ledger, receiver, ["principal.registered"])
        planted = _plant_undecodable(ledger)
        _principals(ledger, 1)

        rows = _eventually(lambda: (r := _delivery_rows(ledger)) and r[0][1] >= 2 and r)
        time.sleep(0.2)

        assert rows[0][0] == planted and rows[0][2] is None  # tried again, never delivered
        assert receiver.received == []  # and the later event waits behind it
        error = _first_error(ledger)
        assert error is not None and "does not decode" in error


def _plant_undecodable(ledger: Ledger) -> int:
    """A Registered principal event whose state is not one (written behind the app's back)."""
    from uuid import uuid4

    from eventsourcing.postgres import PostgresApplicationRecorder
    from eventsourcing.utils import get_topic

    from domain.principals import Principal

    recorder: Any = ledger.recorder
    topic, state, table = (
        get_topic(Principal.Registered),
        b'{"nonsense":1}',
        recorder.events_table_name,
    )
    with recorder.datastore.transaction(commit=True) as cursor:
        if isinstance(recorder, PostgresApplicationRecorder):
            cursor.execute(
                f'INSERT INTO "{recorder.datastore.schema}"."{table}"'
                " (originator_id, originator_version, topic, state) VALUES (%s, 1, %s, %s)",
                (uuid4(), topic, state),
            )
        else:
            cursor.execute(f"INSERT INTO {table} VALUES (?, 1, ?, ?)", (uuid4().hex, topic, state))
    position: int = recorder.max_notification_id()
    return position


def _first_error(ledger: Ledger) -> str | None:
    from infra.projections.store import ViewStore

    with ViewStore(ledger.recorder).transaction(commit=False) as cursor:
        error: str | None = cursor.scalar(
            "SELECT error FROM {rm_webhook_deliveries} ORDER BY position LIMIT 1"
        )
    return error


def _review(ledger: Ledger, claim_id: Any, *, draft: bool) -> Any:
    from domain.vocabulary import Verdict
    from tests import factories

    outcome = ledger.claims.review(
        factories.context(Role.REVIEWER),
        claim_id,
        verdict=Verdict.FALSE,
        label="False",
        explanation="as checked",
        draft=draft,
    )
    return outcome.event.review_id  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("types", "publication_type"),
    [
        (["claim.reviewed"], "claim.reviewed"),
        (["claim.*"], "claim.reviewed"),
        (["claim.review_published"], "claim.review_published"),
    ],
)
def test_a_draft_review_is_not_delivered_and_its_publication_is(
    ledger: Ledger, dispatching: Dispatcher, types: list[str], publication_type: str
) -> None:
    from tests import factories

    with receiving() as receiver:
        hook = _register(ledger, receiver, types)
        claim = factories.claim(ledger, statement="Drafted, then published")
        published_at_once = _review(ledger, claim.id, draft=False)
        drafted = _review(ledger, claim.id, draft=True)
        publication = ledger.claims.publish_review(
            factories.context(Role.REVIEWER), claim.id, drafted
        )
        head = ledger.recorder.max_notification_id()
        _eventually(
            lambda: (rows := _delivery_rows(ledger)) and rows[-1][0] == head and rows[-1][2]
        )

        bodies = [r.verified(hook.secret) for r in receiver.received]
        reviews = [b for b in bodies if b["type"] in ("claim.reviewed", "claim.review_published")]
        assert all(b["data"].get("state", "published") == "published" for b in bodies)
        if publication_type == "claim.reviewed":  # the review, when it was published
            assert [b["data"]["review_id"] for b in reviews] == [
                str(published_at_once),
                str(drafted),
            ]
            sent = reviews[-1]
            assert sent["type"] == "claim.reviewed" and sent["position"] == head
            assert sent["version"] == publication.event.originator_version
            assert sent["data"]["verdict"] == "false" and sent["data"]["label"] == "False"
        else:  # the publication event itself
            assert [b["type"] for b in reviews] == ["claim.review_published"]
            assert reviews[0]["data"] == {"review_id": str(drafted)}
