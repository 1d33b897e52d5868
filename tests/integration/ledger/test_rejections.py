"""A refused command writes nothing: the log's head and the claim's version stay where they were."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from domain.errors import (
    ClaimRetractedError,
    DisputeAlreadyResolvedError,
    DisputeNotFoundError,
    InvalidLinkError,
    NothingToCorrectError,
    NotPermittedError,
    QuoteAmbiguousError,
    QuoteNotFoundError,
    UnknownActorError,
    UnknownRelationError,
)
from domain.values import ClaimKind, DisputeOutcome, LinkRelation, Role, Stance
from domain.vocabulary import Verdict
from infra.ledger.application import Ledger
from infra.ledger.claim_inputs import EvidenceInput, Quote
from infra.ledger.errors import AggregateMissingError, ReferenceNotFoundError
from tests.factories import QUOTE, actor, claim, context, source
from tests.integration.support import head, log_and_version


def record(ledger: Ledger, *, subject: str, appearance: Quote, **overrides: Any) -> None:
    fields = {
        "statement": "China supports Russia",
        "kind": ClaimKind.QUOTE,
        "relation": "supports",
        **overrides,
    }
    ledger.claims.record(context(), subject=subject, appearance=appearance, **fields)


def test_a_claim_naming_an_unknown_actor_is_refused_with_candidates(ledger: Ledger) -> None:
    china = actor(ledger, name="China", aliases=["Beijing"])
    text = source(ledger)
    before = head(ledger)

    with pytest.raises(UnknownActorError) as refused:
        record(ledger, subject=china.slug, object="Bejjing", appearance=Quote(text.id, QUOTE))

    assert refused.value.extra["candidates"] == [china.slug]
    assert head(ledger) == before


def test_a_claim_quoting_words_not_in_the_source_is_refused(ledger: Ledger) -> None:
    subject, text = actor(ledger), source(ledger)
    before = head(ledger)

    with pytest.raises(QuoteNotFoundError):
        record(
            ledger,
            subject=subject.slug,
            appearance=Quote(text.id, "Moscow supports Beijing's demands"),
        )

    assert head(ledger) == before


def test_a_claim_quoting_words_that_occur_twice_is_refused_as_ambiguous(ledger: Ledger) -> None:
    subject, text = actor(ledger), source(ledger)
    before = head(ledger)

    with pytest.raises(QuoteAmbiguousError):
        record(ledger, subject=subject.slug, appearance=Quote(text.id, "security concerns"))

    assert head(ledger) == before


def test_a_claim_with_an_unknown_relation_is_refused(ledger: Ledger) -> None:
    subject, text = actor(ledger), source(ledger)
    before = head(ledger)

    with pytest.raises(UnknownRelationError):
        record(ledger, subject=subject.slug, relation="admires", appearance=Quote(text.id, QUOTE))

    assert head(ledger) == before


def test_a_claim_quoting_an_unknown_source_is_refused_as_an_unknown_reference(
    ledger: Ledger,
) -> None:
    subject = actor(ledger)
    before = head(ledger)

    with pytest.raises(ReferenceNotFoundError):
        record(ledger, subject=subject.slug, appearance=Quote(uuid4(), QUOTE))

    assert head(ledger) == before


def test_evidence_from_an_unknown_source_is_refused(ledger: Ledger) -> None:
    recorded = claim(ledger)
    before = log_and_version(ledger, recorded.id)

    with pytest.raises(ReferenceNotFoundError):
        ledger.claims.add_evidence(
            context(), recorded.id, EvidenceInput(Stance.SUPPORTS, "note", source_id=uuid4())
        )

    assert log_and_version(ledger, recorded.id) == before


def test_evidence_quoting_words_not_in_its_source_is_refused(ledger: Ledger) -> None:
    recorded = claim(ledger)
    text = source(ledger)
    before = log_and_version(ledger, recorded.id)

    with pytest.raises(QuoteNotFoundError):
        ledger.claims.add_evidence(
            context(),
            recorded.id,
            EvidenceInput(
                Stance.SUPPORTS, "note", source_id=text.id, exact="not in the text at all"
            ),
        )

    assert log_and_version(ledger, recorded.id) == before


def test_an_appearance_quoting_ambiguous_words_is_refused(ledger: Ledger) -> None:
    recorded = claim(ledger)
    before = log_and_version(ledger, recorded.id)

    with pytest.raises(QuoteAmbiguousError):
        ledger.claims.add_appearance(
            context(), recorded.id, Quote(recorded.appearances[0].source_id, "Beijing")
        )

    assert log_and_version(ledger, recorded.id) == before


def test_a_command_on_an_unknown_claim_is_not_found(ledger: Ledger) -> None:
    before = head(ledger)

    with pytest.raises(AggregateMissingError):
        ledger.claims.dispute(context(), uuid4(), reason="no such claim")

    assert head(ledger) == before


def test_linking_to_an_unknown_claim_is_refused(ledger: Ledger) -> None:
    recorded = claim(ledger)
    before = log_and_version(ledger, recorded.id)

    with pytest.raises(ReferenceNotFoundError):
        ledger.claims.link(
            context(), recorded.id, target_id=uuid4(), relation=LinkRelation.SUPPORTS
        )

    assert log_and_version(ledger, recorded.id) == before


def test_linking_to_a_source_instead_of_a_claim_is_refused(ledger: Ledger) -> None:
    recorded = claim(ledger)
    before = log_and_version(ledger, recorded.id)

    with pytest.raises(ReferenceNotFoundError):
        ledger.claims.link(
            context(),
            recorded.id,
            target_id=recorded.appearances[0].source_id,
            relation=LinkRelation.SUPPORTS,
        )

    assert log_and_version(ledger, recorded.id) == before


def test_linking_a_claim_to_itself_or_twice_is_refused(ledger: Ledger) -> None:
    recorded, other = claim(ledger), claim(ledger)
    ledger.claims.link(context(), recorded.id, target_id=other.id, relation=LinkRelation.UPDATES)
    before = log_and_version(ledger, recorded.id)

    with pytest.raises(InvalidLinkError):
        ledger.claims.link(
            context(), recorded.id, target_id=recorded.id, relation=LinkRelation.UPDATES
        )
    with pytest.raises(InvalidLinkError):
        ledger.claims.link(
            context(), recorded.id, target_id=other.id, relation=LinkRelation.UPDATES
        )

    assert log_and_version(ledger, recorded.id) == before


def test_resolving_a_dispute_twice_is_refused(ledger: Ledger) -> None:
    recorded = claim(ledger)
    disputed = ledger.claims.dispute(context(), recorded.id, reason="Out of context")
    dispute_id = disputed.aggregate.disputes[0].dispute_id
    reviewer = context(Role.REVIEWER)
    ledger.claims.resolve_dispute(
        reviewer, recorded.id, dispute_id, outcome=DisputeOutcome.UPHELD, note="Fair point"
    )
    before = log_and_version(ledger, recorded.id)

    with pytest.raises(DisputeAlreadyResolvedError):
        ledger.claims.resolve_dispute(
            reviewer,
            recorded.id,
            dispute_id,
            outcome=DisputeOutcome.REJECTED,
            note="Changed my mind",
        )

    assert log_and_version(ledger, recorded.id) == before


def test_resolving_an_unknown_dispute_is_not_found(ledger: Ledger) -> None:
    recorded = claim(ledger)
    before = log_and_version(ledger, recorded.id)

    with pytest.raises(DisputeNotFoundError):
        ledger.claims.resolve_dispute(
            context(Role.REVIEWER), recorded.id, uuid4(), outcome=DisputeOutcome.UPHELD, note="?"
        )

    assert log_and_version(ledger, recorded.id) == before


def test_every_command_but_a_link_is_refused_on_a_retracted_claim(ledger: Ledger) -> None:
    ctx = context()
    recorded = claim(ledger, ctx)
    disputed = ledger.claims.dispute(ctx, recorded.id, reason="Out of context")
    ledger.claims.retract(ctx, recorded.id, reason="Recorded twice")
    text = source(ledger)
    before = log_and_version(ledger, recorded.id)
    commands = [
        lambda: ledger.claims.add_appearance(ctx, recorded.id, Quote(text.id, QUOTE)),
        lambda: ledger.claims.add_evidence(ctx, recorded.id, EvidenceInput(Stance.SUPPORTS, "n")),
        lambda: ledger.claims.dispute(ctx, recorded.id, reason="again"),
        lambda: ledger.claims.resolve_dispute(
            ctx,
            recorded.id,
            disputed.aggregate.disputes[0].dispute_id,
            outcome=DisputeOutcome.UPHELD,
            note="n",
        ),
        lambda: ledger.claims.review(
            ctx, recorded.id, verdict=Verdict.FALSE, label=None, explanation="n"
        ),
        lambda: ledger.claims.correct(ctx, recorded.id, reason="n", statement="new"),
        lambda: ledger.claims.retract(ctx, recorded.id, reason="again"),
    ]

    for command in commands:
        with pytest.raises(ClaimRetractedError):
            command()

    assert log_and_version(ledger, recorded.id) == before


def test_a_correction_that_changes_nothing_is_refused(ledger: Ledger) -> None:
    ctx = context()
    recorded = claim(ledger, ctx)
    before = log_and_version(ledger, recorded.id)

    with pytest.raises(NothingToCorrectError):
        ledger.claims.correct(
            ctx,
            recorded.id,
            reason="n",
            statement=recorded.statement,
            relation=recorded.relation.cameo,
        )

    assert log_and_version(ledger, recorded.id) == before


def test_a_contributor_may_not_correct_or_retract_someone_elses_claim(ledger: Ledger) -> None:
    recorded = claim(ledger, context())
    other = context(Role.CONTRIBUTOR)
    before = log_and_version(ledger, recorded.id)

    with pytest.raises(NotPermittedError):
        ledger.claims.correct(other, recorded.id, reason="mine now", statement="Changed")
    with pytest.raises(NotPermittedError):
        ledger.claims.retract(other, recorded.id, reason="mine now")

    assert log_and_version(ledger, recorded.id) == before


def test_only_the_recorder_corrects_but_a_reviewer_may_retract_anyones_claim(
    ledger: Ledger,
) -> None:
    recorded = claim(ledger, context())

    with pytest.raises(NotPermittedError):
        ledger.claims.correct(context(Role.ADMIN), recorded.id, reason="Typo", statement="Fixed")
    ledger.claims.retract(context(Role.REVIEWER), recorded.id, reason="Duplicate")

    assert ledger.claims.get(recorded.id).version == 2


def test_a_reviewer_may_not_correct_someone_elses_claim(ledger: Ledger) -> None:
    recorded = claim(ledger, context())
    before = log_and_version(ledger, recorded.id)

    with pytest.raises(NotPermittedError):
        ledger.claims.correct(context(Role.REVIEWER), recorded.id, reason="n", statement="x")

    assert log_and_version(ledger, recorded.id) == before
