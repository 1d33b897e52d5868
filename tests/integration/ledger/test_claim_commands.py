"""Every claim command, round-tripped: what storage gives back equals what the command returned."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.claim_parts import Dispute, Evidence, Link, Review
from domain.claims import Claim
from domain.values import (
    ActorKind,
    ActorRef,
    Appearance,
    ClaimKind,
    ClaimStatus,
    DisputeOutcome,
    LinkRelation,
    Meta,
    PartialDate,
    Quantity,
    Rating,
    Relation,
    Role,
    Stance,
)
from domain.vocabulary import Verdict
from infra.ledger.application import Ledger
from infra.ledger.claim_inputs import EvidenceInput, Quote
from tests.factories import QUOTE, SEED_TEXT, actor, claim, context, source, unique

GAS_DEAL = "China has aided Russia in the past by signing a $400 billion 30-year gas deal"
NO_COMMITMENT = "there has been no commitment to any military involvement from both sides"


def record(ledger: Ledger, **overrides: Any) -> Any:
    """The outcome of recording a claim between two fresh actors, quoting the seed text."""
    ctx = overrides.pop("ctx", context())
    fields = {
        "statement": "China supports Russia's security demands",
        "kind": ClaimKind.QUOTE,
        "subject": actor(ledger).slug,
        "relation": "supports",
        "appearance": Quote(source(ledger).id, QUOTE),
        **overrides,
    }
    return ledger.claims.record(ctx, **fields)


def test_a_claim_with_every_field_comes_back_from_storage_as_recorded(
    ledger: Ledger, stored: Ledger
) -> None:
    china = actor(ledger, name="China", aliases=["Beijing", "Bejing"])
    russia = actor(ledger, name=unique("Russia"))
    nato = actor(ledger, name=unique("NATO"), kind=ActorKind.ORGANIZATION)
    ushakov = actor(ledger, name=unique("Yuri Ushakov"), kind=ActorKind.PERSON)
    text = source(ledger)
    ctx = context()

    outcome = ledger.claims.record(
        ctx,
        statement="China supports Russia's security demands",
        kind=ClaimKind.QUOTE,
        subject="bejing",
        relation="supports",
        object=russia.name,
        about=[nato.slug],
        claimant=ushakov.name.upper(),
        occurred_on=PartialDate(2022, 2, 4),
        quantities=[
            Quantity(Decimal("400000000000"), "USD", "gas deal"),
            Quantity(Decimal("30"), "years"),
        ],
        tags=["ukraine", "security"],
        appearance=Quote(text.id, QUOTE),
    )

    loaded = stored.claims.get(outcome.aggregate.id)
    assert outcome.created and outcome.aggregate.version == 1
    assert loaded == outcome.aggregate
    assert isinstance(loaded.kind, ClaimKind) and loaded.kind is ClaimKind.QUOTE
    assert loaded.subject == ActorRef(china.slug, "China")
    assert loaded.object == ActorRef(russia.slug, russia.name)
    assert loaded.about == [ActorRef(nato.slug, nato.name)]
    assert loaded.claimant == ActorRef(ushakov.slug, ushakov.name)
    assert all(isinstance(a, ActorRef) for a in [loaded.subject, loaded.object, *loaded.about])
    assert loaded.relation == Relation("supports", "051", 1)
    assert isinstance(loaded.occurred_on, PartialDate)
    assert loaded.quantities[0].value == Decimal("400000000000")
    assert all(isinstance(q.value, Decimal) for q in loaded.quantities)
    assert loaded.tags == ["ukraine", "security"]
    assert loaded.recorded_by == ctx.principal_id
    assert loaded.status is ClaimStatus.RECORDED
    assert isinstance(loaded.created_on, datetime)


def test_a_recorded_quote_is_anchored_in_the_source_text(ledger: Ledger, stored: Ledger) -> None:
    text = source(ledger)
    outcome = record(ledger, appearance=Quote(text.id, QUOTE.replace("'", "\u2019")))

    [appearance] = stored.claims.get(outcome.aggregate.id).appearances
    assert isinstance(appearance, Appearance)
    assert appearance.exact == QUOTE
    assert appearance.start is not None and appearance.end is not None
    assert SEED_TEXT[appearance.start : appearance.end] == QUOTE
    assert appearance.content_sha256 == text.content_sha256


def test_a_relation_given_by_its_cameo_code_is_stored_under_its_slug(
    ledger: Ledger, stored: Ledger
) -> None:
    outcome = record(ledger, relation="057", object=actor(ledger).slug)

    loaded = stored.claims.get(outcome.aggregate.id)
    assert loaded == outcome.aggregate
    assert loaded.relation == Relation("signs_agreement", "057", 1)


def test_a_claim_quoting_a_source_without_text_has_no_offsets(
    ledger: Ledger, stored: Ledger
) -> None:
    outcome = record(ledger, appearance=Quote(source(ledger, text=None).id, "any words at all"))

    loaded = stored.claims.get(outcome.aggregate.id)
    assert loaded == outcome.aggregate
    assert loaded.appearances[0].start is None
    assert loaded.appearances[0].content_sha256 is None


def test_an_added_appearance_is_stored(ledger: Ledger, stored: Ledger) -> None:
    recorded = claim(ledger)
    elsewhere = source(ledger)

    outcome = ledger.claims.add_appearance(
        context(), recorded.id, Quote(elsewhere.id, "Beijing supports", suffix="Russia")
    )

    loaded = stored.claims.get(recorded.id)
    assert loaded == outcome.aggregate
    assert [a.source_id for a in loaded.appearances] == [
        recorded.appearances[0].source_id,
        elsewhere.id,
    ]


def test_evidence_with_a_quote_and_a_url_is_stored(ledger: Ledger, stored: Ledger) -> None:
    recorded = claim(ledger)
    text = source(ledger)
    ctx = context()

    outcome = ledger.claims.add_evidence(
        ctx,
        recorded.id,
        EvidenceInput(
            Stance.REFUTES,
            "No military commitment",
            source_id=text.id,
            exact=NO_COMMITMENT,
            url="https://example.org/analysis",
        ),
    )

    loaded = stored.claims.get(recorded.id)
    assert loaded == outcome.aggregate
    [evidence] = loaded.evidence
    assert isinstance(evidence, Evidence) and isinstance(evidence.stance, Stance)
    assert isinstance(evidence.quote, Appearance) and evidence.quote.exact == NO_COMMITMENT
    assert evidence.url == "https://example.org/analysis"
    assert evidence.added_by == ctx.principal_id
    assert evidence.evidence_id == outcome.event.evidence_id


def test_evidence_naming_a_source_without_a_quote_is_stored(ledger: Ledger, stored: Ledger) -> None:
    recorded = claim(ledger)
    text = source(ledger)

    outcome = ledger.claims.add_evidence(
        context(), recorded.id, EvidenceInput(Stance.CONTEXT, "Background", source_id=text.id)
    )

    loaded = stored.claims.get(recorded.id)
    assert loaded == outcome.aggregate
    assert loaded.evidence[0].source_id == text.id
    assert loaded.evidence[0].quote is None


def test_evidence_with_only_a_url_is_stored(ledger: Ledger, stored: Ledger) -> None:
    recorded = claim(ledger)

    outcome = ledger.claims.add_evidence(
        context(),
        recorded.id,
        EvidenceInput(Stance.SUPPORTS, "Kremlin readout", url="http://en.kremlin.ru/events/67712"),
    )

    loaded = stored.claims.get(recorded.id)
    assert loaded == outcome.aggregate
    assert loaded.evidence[0].source_id is None
    assert loaded.evidence[0].url == "http://en.kremlin.ru/events/67712"


def test_a_dispute_with_evidence_is_stored_with_its_evidence(
    ledger: Ledger, stored: Ledger
) -> None:
    recorded = claim(ledger)
    text = source(ledger)
    ctx = context()

    outcome = ledger.claims.dispute(
        ctx,
        recorded.id,
        reason="The aide is quoted, not China",
        evidence=EvidenceInput(Stance.REFUTES, "Who said it", source_id=text.id, exact=QUOTE),
    )

    loaded = stored.claims.get(recorded.id)
    assert loaded == outcome.aggregate
    [dispute] = loaded.disputes
    assert isinstance(dispute, Dispute) and dispute.is_open
    assert isinstance(dispute.evidence, Evidence)
    assert isinstance(dispute.evidence.quote, Appearance)
    assert isinstance(dispute.evidence.added_at, datetime)
    assert dispute.opened_by == ctx.principal_id
    assert loaded.status is ClaimStatus.DISPUTED


def test_a_dispute_without_evidence_is_stored(ledger: Ledger, stored: Ledger) -> None:
    recorded = claim(ledger)

    outcome = ledger.claims.dispute(context(), recorded.id, reason="Out of context")

    loaded = stored.claims.get(recorded.id)
    assert loaded == outcome.aggregate
    assert loaded.disputes[0].evidence is None


def test_a_resolved_dispute_is_stored_with_its_outcome(ledger: Ledger, stored: Ledger) -> None:
    recorded = claim(ledger)
    disputed = ledger.claims.dispute(context(), recorded.id, reason="Out of context")
    reviewer = context(Role.REVIEWER)

    outcome = ledger.claims.resolve_dispute(
        reviewer,
        recorded.id,
        disputed.aggregate.disputes[0].dispute_id,
        outcome=DisputeOutcome.REJECTED,
        note="The quote is exact",
    )

    loaded = stored.claims.get(recorded.id)
    assert loaded == outcome.aggregate
    [dispute] = loaded.disputes
    assert dispute.outcome is DisputeOutcome.REJECTED
    assert dispute.resolved_by == reviewer.principal_id
    assert isinstance(dispute.resolved_at, datetime)
    assert loaded.status is ClaimStatus.RECORDED


def test_a_review_with_a_rating_and_a_label_is_stored(ledger: Ledger, stored: Ledger) -> None:
    recorded = claim(ledger)
    rating = Rating(Decimal("2.5"), best=Decimal("5"), worst=Decimal("1"))

    outcome = ledger.claims.review(
        context(Role.REVIEWER),
        recorded.id,
        verdict=Verdict.MISLEADING,
        label="Needs context",
        explanation="The aide spoke, not China",
        url="https://factcheck.example/1",
        rating=rating,
    )

    loaded = stored.claims.get(recorded.id)
    assert loaded == outcome.aggregate
    [review] = loaded.reviews
    assert isinstance(review, Review) and isinstance(review.verdict, Verdict)
    assert isinstance(review.rating, Rating) and review.rating == rating
    assert isinstance(review.rating.value, Decimal)
    assert review.label == "Needs context"
    assert loaded.status is ClaimStatus.REVIEWED


def test_a_review_without_a_label_is_labelled_after_its_verdict(
    ledger: Ledger, stored: Ledger
) -> None:
    recorded = claim(ledger)

    outcome = ledger.claims.review(
        context(Role.REVIEWER),
        recorded.id,
        verdict=Verdict.MOSTLY_TRUE,
        label=None,
        explanation="Yes",
    )

    loaded = stored.claims.get(recorded.id)
    assert loaded == outcome.aggregate
    assert loaded.verdict is not None
    assert loaded.verdict.label == "Mostly True"
    assert loaded.verdict.rating is None


def test_a_correction_of_every_field_is_stored(ledger: Ledger, stored: Ledger) -> None:
    ctx = context()
    recorded = record(ledger, ctx=ctx, appearance=Quote(source(ledger).id, GAS_DEAL)).aggregate
    partner = actor(ledger, name=unique("Gazprom"))

    outcome = ledger.claims.correct(
        ctx,
        recorded.id,
        reason="Read the source again",
        statement="China signed a gas deal",
        occurred_on=PartialDate(2014, 5),
        relation="061",
        object=partner.name,
        quantities=[Quantity(Decimal("400000000000"), "USD")],
    )

    loaded = stored.claims.get(recorded.id)
    assert loaded == outcome.aggregate
    assert loaded.statement == "China signed a gas deal"
    assert loaded.occurred_on == PartialDate(2014, 5)
    assert loaded.relation == Relation("cooperates_economically", "061", 2)
    assert loaded.object == ActorRef(partner.slug, partner.name)
    assert loaded.quantities == [Quantity(Decimal("400000000000"), "USD")]


def test_a_correction_of_one_field_leaves_the_others_and_is_stored(
    ledger: Ledger, stored: Ledger
) -> None:
    ctx = context()
    recorded = record(ledger, ctx=ctx, occurred_on=PartialDate(2022)).aggregate

    outcome = ledger.claims.correct(ctx, recorded.id, reason="Typo", statement="Fixed")

    loaded = stored.claims.get(recorded.id)
    assert loaded == outcome.aggregate
    assert loaded.occurred_on == PartialDate(2022)
    assert loaded.relation == recorded.relation


def test_a_retraction_is_stored(ledger: Ledger, stored: Ledger) -> None:
    ctx = context()
    recorded = claim(ledger, ctx)

    outcome = ledger.claims.retract(ctx, recorded.id, reason="Recorded twice")

    loaded = stored.claims.get(recorded.id)
    assert loaded == outcome.aggregate
    assert loaded.retraction_reason == "Recorded twice"
    assert loaded.status is ClaimStatus.RETRACTED


def test_a_link_is_stored_and_may_still_be_added_to_a_retracted_claim(
    ledger: Ledger, stored: Ledger
) -> None:
    ctx = context()
    older, newer = claim(ledger, ctx), claim(ledger, ctx)
    ledger.claims.retract(ctx, older.id, reason="Superseded")

    outcome = ledger.claims.link(
        ctx, older.id, target_id=newer.id, relation=LinkRelation.DUPLICATES
    )

    loaded = stored.claims.get(older.id)
    assert loaded == outcome.aggregate
    [link] = loaded.links
    assert isinstance(link, Link) and isinstance(link.relation, LinkRelation)
    assert link.target_id == newer.id and isinstance(link.target_id, UUID)


def test_every_stored_event_carries_the_meta_of_its_command(ledger: Ledger, stored: Ledger) -> None:
    ctx = context(idempotency_key=unique("key"), request_hash="abc")
    recorded = record(ledger, ctx=ctx).aggregate

    [(_, event)] = stored.claims.history(recorded.id)
    assert isinstance(event.meta, Meta)
    assert event.meta == Meta(ctx.principal_id, ctx.request_id, ctx.idempotency_key, "abc")
    assert isinstance(stored.claims.get(recorded.id), Claim)
