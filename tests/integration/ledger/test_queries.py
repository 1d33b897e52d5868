"""Reading the past: a claim at a version or a moment, and its history with log positions."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

import pytest

from domain.values import ClaimKind, DisputeOutcome, Role, Stance
from domain.vocabulary import Verdict
from infra.ledger.application import Ledger
from infra.ledger.claim_inputs import EvidenceInput, Quote
from infra.ledger.errors import AggregateMissingError
from infra.store.event_types import event_type
from tests.factories import QUOTE, actor, claim, context, source


def test_a_claim_at_an_earlier_version_is_its_state_then(ledger: Ledger) -> None:
    recorded = claim(ledger)
    ledger.claims.add_evidence(context(), recorded.id, EvidenceInput(Stance.SUPPORTS, "first"))
    ledger.claims.add_evidence(context(), recorded.id, EvidenceInput(Stance.REFUTES, "second"))

    assert ledger.claims.get(recorded.id, version=1) == recorded
    assert [e.note for e in ledger.claims.get(recorded.id, version=2).evidence] == ["first"]
    assert ledger.claims.get(recorded.id).version == 3


def test_a_claim_as_of_a_moment_between_two_commands_is_its_state_then(ledger: Ledger) -> None:
    recorded = claim(ledger)
    evidenced = ledger.claims.add_evidence(
        context(), recorded.id, EvidenceInput(Stance.SUPPORTS, "first")
    ).aggregate
    ledger.claims.review(
        context(Role.REVIEWER), recorded.id, verdict=Verdict.TRUE, label=None, explanation="checked"
    )
    history = [event for _, event in ledger.claims.history(recorded.id)]

    assert ledger.claims.get(recorded.id, as_of=history[0].timestamp) == recorded
    assert ledger.claims.get(recorded.id, as_of=history[1].timestamp) == evidenced
    assert ledger.claims.get(recorded.id, as_of=history[2].timestamp).reviews != []


def test_a_claim_as_of_a_moment_before_it_was_recorded_is_missing(ledger: Ledger) -> None:
    recorded = claim(ledger)

    with pytest.raises(AggregateMissingError):
        ledger.claims.get(recorded.id, as_of=recorded.created_on - timedelta(microseconds=1))


def test_the_history_of_a_claim_lists_its_events_oldest_first_at_their_positions(
    ledger: Ledger,
) -> None:
    author, reviewer = context(), context(Role.REVIEWER)
    recorded = ledger.claims.record(
        author,
        statement="China supports Russia",
        kind=ClaimKind.QUOTE,
        subject=actor(ledger).slug,
        relation="supports",
        appearance=Quote(source(ledger).id, QUOTE),
    )
    claim_id = recorded.aggregate.id
    outcomes = [
        recorded,
        ledger.claims.add_evidence(author, claim_id, EvidenceInput(Stance.SUPPORTS, "readout")),
        ledger.claims.dispute(reviewer, claim_id, reason="Out of context"),
    ]
    dispute_id = outcomes[-1].aggregate.disputes[0].dispute_id
    outcomes += [
        ledger.claims.resolve_dispute(
            reviewer, claim_id, dispute_id, outcome=DisputeOutcome.REJECTED, note="Exact quote"
        ),
        ledger.claims.review(
            reviewer, claim_id, verdict=Verdict.TRUE, label=None, explanation="Checked"
        ),
        ledger.claims.retract(author, claim_id, reason="Recorded twice"),
    ]

    history = ledger.claims.history(claim_id)

    positions = [position for position, _ in history]
    assert all(a < b for a, b in pairwise(positions))
    assert positions == [o.position for o in outcomes]
    assert [e.originator_version for _, e in history] == [1, 2, 3, 4, 5, 6]
    assert [event_type(e) for _, e in history] == [
        "claim.recorded",
        "claim.evidence_added",
        "claim.disputed",
        "claim.dispute_resolved",
        "claim.reviewed",
        "claim.retracted",
    ]
    assert [e.meta.principal_id for _, e in history] == [
        author.principal_id,
        author.principal_id,
        reviewer.principal_id,
        reviewer.principal_id,
        reviewer.principal_id,
        author.principal_id,
    ]


def test_the_history_of_something_that_is_not_a_claim_is_missing(ledger: Ledger) -> None:
    with pytest.raises(AggregateMissingError):
        ledger.claims.history(source(ledger).id)
