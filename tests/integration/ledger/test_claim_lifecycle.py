"""A claim's whole life, told once: every step read back from storage by another ledger."""

from __future__ import annotations

from decimal import Decimal

from domain.values import (
    ActorKind,
    ClaimKind,
    ClaimStatus,
    DisputeOutcome,
    LinkRelation,
    PartialDate,
    Rating,
    Role,
    Stance,
)
from domain.vocabulary import Verdict
from infra.ledger.application import Ledger
from infra.ledger.claim_inputs import EvidenceInput, Quote
from tests.factories import QUOTE, actor, context, source


def test_a_claim_is_recorded_disputed_resolved_reviewed_linked_and_retracted(
    ledger: Ledger, stored: Ledger
) -> None:
    system = ledger.principals.system_context("seed")
    china = actor(ledger, system, name="China", aliases=["Beijing", "Bejing"])
    russia = actor(ledger, system, name="Russia", aliases=["Moscow"])
    ushakov = actor(ledger, system, name="Yuri Ushakov", kind=ActorKind.PERSON)
    article = source(ledger, system, url="https://ct-example.blogspot.com/2022/02/xi-putin.html")
    contributor, reviewer = context(), context(Role.REVIEWER)

    recorded = ledger.claims.record(
        contributor,
        statement="China supports Russia's demands on security guarantees",
        kind=ClaimKind.QUOTE,
        subject="Bejing",
        relation="051",
        object="moscow",
        claimant=ushakov.slug,
        occurred_on=PartialDate(2022, 2),
        tags=["ukraine"],
        appearance=Quote(article.id, QUOTE),
    )
    claim_id = recorded.aggregate.id
    assert stored.claims.get(claim_id) == recorded.aggregate
    assert recorded.aggregate.subject.id == china.slug
    assert recorded.aggregate.object is not None
    assert recorded.aggregate.object.id == russia.slug

    disputed = ledger.claims.dispute(
        context(),
        claim_id,
        reason="Ushakov said it, not China",
        evidence=EvidenceInput(
            Stance.REFUTES,
            "Russian aide",
            source_id=article.id,
            exact="Yuri Ushakov, Kremlin aide in Russia",
        ),
    )
    assert stored.claims.get(claim_id) == disputed.aggregate
    assert stored.claims.get(claim_id).status is ClaimStatus.DISPUTED

    resolved = ledger.claims.resolve_dispute(
        reviewer,
        claim_id,
        disputed.aggregate.disputes[0].dispute_id,
        outcome=DisputeOutcome.UPHELD,
        note="The claimant is recorded as Ushakov",
    )
    assert stored.claims.get(claim_id) == resolved.aggregate
    assert stored.claims.get(claim_id).status is ClaimStatus.RECORDED

    reviewed = ledger.claims.review(
        reviewer,
        claim_id,
        verdict=Verdict.MOSTLY_TRUE,
        label=None,
        explanation="China's foreign ministry said much the same",
        rating=Rating(Decimal(4), best=Decimal(5), worst=Decimal(1)),
    )
    assert stored.claims.get(claim_id) == reviewed.aggregate
    assert stored.claims.get(claim_id).status is ClaimStatus.REVIEWED

    later = ledger.claims.record(
        contributor,
        statement="China backs Russia on NATO",
        kind=ClaimKind.FACT,
        subject=china.slug,
        relation="supports",
        object=russia.slug,
        appearance=Quote(article.id, "they stand by Russia"),
    )
    linked = ledger.claims.link(
        contributor, claim_id, target_id=later.aggregate.id, relation=LinkRelation.DUPLICATES
    )
    assert stored.claims.get(claim_id) == linked.aggregate

    retracted = ledger.claims.retract(contributor, claim_id, reason="Duplicate of a later claim")
    final = stored.claims.get(claim_id)
    assert final == retracted.aggregate
    assert final.status is ClaimStatus.RETRACTED
    assert final.version == 6
    assert [p for p, _ in stored.claims.history(claim_id)] == [
        recorded.position,
        disputed.position,
        resolved.position,
        reviewed.position,
        linked.position,
        retracted.position,
    ]
