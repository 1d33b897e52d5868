"""A view that cannot apply an event stops at it, says so, and the other views go on (issue 16).

The event is planted straight into the events table (no command would accept it): a review
whose original ClaimReview nests 300 levels deep, which the claims view cannot encode.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from uuid import UUID

import pytest

from infra.ledger.application import Ledger
from infra.projections.projector import Projector
from infra.projections.read_model import ReadModel, ViewsBehindError, all_views
from infra.projections.rebuild import rebuild
from infra.projections.stops import Backoff
from tests import factories
from tests.integration.read.history import digests, rebuilt_digests
from tests.integration.read.poison import nested, plant_review, replace_state


def _claim(ledger: Ledger) -> UUID:
    claim_id: UUID = factories.claim(ledger).id
    return claim_id


@pytest.fixture
def poisoned(ledger: Ledger, read_model: ReadModel) -> tuple[int, int]:
    """A claim, the planted event, and a claim recorded after it: (planted, head)."""
    read_model.projector.backoff = Backoff(first=60, cap=60)  # tests that retry shorten it
    claim_id = _claim(ledger)
    planted = plant_review(ledger, claim_id, {"extra": nested(300)})
    _claim(ledger)
    return planted, read_model.head()


def test_the_view_stops_at_the_event_and_the_other_views_reach_the_head(
    read_model: ReadModel, poisoned: tuple[int, int], caplog: pytest.LogCaptureFixture
) -> None:
    planted, head = poisoned
    with caplog.at_level(logging.ERROR, "claimtrail.projections"):
        read_model.projector.catch_up()

    positions = read_model.projector.positions()
    assert positions["claims"] < planted
    assert {name: p for name, p in positions.items() if name != "claims"} == {
        name: head for name in positions if name != "claims"
    }
    [(name, stop)] = read_model.projector.stuck().items()
    assert (name, stop.position, stop.attempts) == ("claims", planted, 1)
    assert "Recursion limit" in stop.error
    lines = [r for r in caplog.records if r.name == "claimtrail.projections"]
    assert len(lines) == 1 and f"position {planted}" in lines[0].getMessage()


def test_a_wait_for_the_other_views_returns_and_one_for_the_stopped_view_names_it(
    read_model: ReadModel, poisoned: tuple[int, int]
) -> None:
    planted, head = poisoned
    read_model.projector.catch_up()
    reached = read_model.projector.positions()["claims"]

    read_model.wait(head, timeout=0.05, views=["timeline", "people", "similar"])

    with pytest.raises(ViewsBehindError) as behind:
        read_model.wait(head, timeout=0.05, views=["timeline", "claims"])
    assert (behind.value.behind, behind.value.stopped) == (["claims"], ["claims"])
    assert behind.value.reached == reached < planted
    assert str(behind.value) == (
        f"views are not yet at {head}: claims at {reached}"
        f" (stopped at {planted}: it cannot apply that event)"
    )


def test_each_attempt_waits_twice_as_long_up_to_the_cap_with_one_log_line_each(
    read_model: ReadModel, poisoned: tuple[int, int], caplog: pytest.LogCaptureFixture
) -> None:
    planted, _ = poisoned
    projector = read_model.projector
    projector.backoff = Backoff(first=0.05, cap=0.2)
    with caplog.at_level(logging.ERROR, "claimtrail.projections"):
        projector.catch_up()
        while (stop := projector.stuck()["claims"]).attempts < 5:
            time.sleep(max(0.0, (stop.retry_at - datetime.now(UTC)).total_seconds()) + 0.01)
            assert projector.run_once() == 0  # the attempt fails again, nothing else to do

    assert stop.position == planted
    assert (stop.retry_at - stop.since).total_seconds() > 0.05 + 0.1 + 0.2 + 0.2
    lines = [r.getMessage() for r in caplog.records if r.name == "claimtrail.projections"]
    assert [line.split("(")[-1] for line in lines] == [
        "attempt 1, next in 0.05s)",
        "attempt 2, next in 0.1s)",
        "attempt 3, next in 0.2s)",
        "attempt 4, next in 0.2s)",
        "attempt 5, next in 0.2s)",
    ]


def test_an_attempt_before_the_back_off_is_over_is_not_made(
    read_model: ReadModel, poisoned: tuple[int, int]
) -> None:
    read_model.projector.catch_up()

    for _ in range(3):
        assert read_model.projector.run_once() == 0

    assert read_model.projector.stuck()["claims"].attempts == 1


def test_once_the_event_can_be_applied_the_view_carries_on_and_equals_a_rebuild(
    ledger: Ledger, read_model: ReadModel, poisoned: tuple[int, int]
) -> None:
    planted, head = poisoned
    read_model.projector.backoff = Backoff(first=0.05, cap=0.05)
    read_model.projector.catch_up()
    replace_state(ledger, planted, {"extra": nested(3)})
    time.sleep(0.06)

    read_model.projector.catch_up()

    assert read_model.projector.stuck() == {}
    assert read_model.position() == head
    # The audit view hashed the event as it was planted: it, rightly, differs from a rebuild
    # of the edited log (tests/integration/audit covers what it says of an edit).
    live, rebuilt = digests(read_model.store), rebuilt_digests(ledger)
    del live["audit"], rebuilt["audit"]
    assert live == rebuilt


def test_a_second_worker_sees_the_stop_and_leaves_the_view_alone(
    ledger: Ledger, read_model: ReadModel, poisoned: tuple[int, int]
) -> None:
    read_model.projector.catch_up()
    other = Projector(ledger, all_views(), read_model.store)

    assert other.catch_up() == 0
    assert other.stuck()["claims"].attempts == 1


def test_a_rebuild_stops_the_view_at_the_same_event_and_does_not_hang(
    ledger: Ledger, read_model: ReadModel, poisoned: tuple[int, int]
) -> None:
    planted, head = poisoned
    rebuilt = rebuild(ledger, all_views())
    projector = Projector(ledger, all_views(), rebuilt)

    assert projector.stuck()["claims"].position == planted
    assert {n: p for n, p in projector.positions().items() if n != "claims"} == {
        n: head for n in projector.positions() if n != "claims"
    }
