from decimal import Decimal
from uuid import uuid4

import pytest

from domain.claims import Claim
from domain.errors import DisputeAlreadyResolvedError, DisputeNotFoundError, NothingToCorrectError
from domain.values import (
    ActorRef,
    ClaimStatus,
    DisputeOutcome,
    PartialDate,
    Quantity,
    Rating,
    Role,
    Stance,
)
from domain.vocabulary import Verdict, resolve_relation
from tests.unit.helpers import QUOTE, appearance, meta, open_dispute, record_claim, review


def test_a_recorded_claim_holds_what_it_was_recorded_with():
    claim = record_claim()
    assert claim.statement == "China supports Russia's security demands"
    assert claim.subject == ActorRef("china", "China")
    assert claim.relation == resolve_relation("supports")
    assert claim.object == ActorRef("russia", "Russia")
    assert [a.exact for a in claim.appearances] == [QUOTE]
    assert (claim.evidence, claim.disputes, claim.reviews, claim.links) == ([], [], [], [])
    assert claim.status is ClaimStatus.RECORDED
    assert claim.verdict is None
    assert claim.version == 1


def test_a_claim_remembers_who_recorded_it():
    recorder = uuid4()
    claim = record_claim(recorder)
    claim.add_evidence(
        uuid4(), stance=Stance.CONTEXT, note="n", source_id=None, quote=None, url=None, meta=meta()
    )
    assert claim.recorded_by == recorder


def test_a_claim_can_appear_in_further_sources():
    claim = record_claim()
    further = appearance("Beijing supports Russia's demands")
    claim.add_appearance(further, meta=meta())
    assert claim.appearances[-1] == further
    assert len(claim.appearances) == 2


def test_evidence_records_its_stance_and_who_added_it():
    claim = record_claim()
    adder, evidence_id, source_id = uuid4(), uuid4(), uuid4()
    claim.add_evidence(
        evidence_id,
        stance=Stance.SUPPORTS,
        note="Kremlin readout",
        source_id=source_id,
        quote=appearance(),
        url="https://kremlin.ru/x",
        meta=meta(adder),
    )
    (evidence,) = claim.evidence
    assert (evidence.evidence_id, evidence.stance, evidence.source_id) == (
        evidence_id,
        Stance.SUPPORTS,
        source_id,
    )
    assert evidence.added_by == adder
    assert evidence.added_at == claim.modified_on


def test_an_open_dispute_makes_the_claim_disputed():
    claim = record_claim()
    dispute_id = open_dispute(claim)
    assert claim.status is ClaimStatus.DISPUTED
    assert [d.dispute_id for d in claim.open_disputes] == [dispute_id]


def test_resolving_the_last_open_dispute_returns_the_claim_to_recorded():
    claim = record_claim()
    first, second = open_dispute(claim), open_dispute(claim)
    claim.resolve_dispute(first, outcome=DisputeOutcome.REJECTED, note="n", meta=meta())
    assert claim.status is ClaimStatus.DISPUTED
    claim.resolve_dispute(second, outcome=DisputeOutcome.UPHELD, note="n", meta=meta())
    assert claim.status is ClaimStatus.RECORDED
    assert claim.open_disputes == []


def test_resolving_a_dispute_of_a_reviewed_claim_returns_it_to_reviewed():
    claim = record_claim()
    review(claim)
    dispute_id = open_dispute(claim)
    assert claim.status is ClaimStatus.DISPUTED
    resolver = uuid4()
    claim.resolve_dispute(
        dispute_id, outcome=DisputeOutcome.UPHELD, note="fair", meta=meta(resolver)
    )
    assert claim.status is ClaimStatus.REVIEWED
    (dispute,) = claim.disputes
    assert (dispute.outcome, dispute.resolution_note, dispute.resolved_by) == (
        DisputeOutcome.UPHELD,
        "fair",
        resolver,
    )
    assert not dispute.is_open


def test_a_dispute_resolves_only_once():
    claim = record_claim()
    dispute_id = open_dispute(claim)
    claim.resolve_dispute(dispute_id, outcome=DisputeOutcome.REJECTED, note="n", meta=meta())
    with pytest.raises(DisputeAlreadyResolvedError):
        claim.resolve_dispute(dispute_id, outcome=DisputeOutcome.UPHELD, note="n", meta=meta())
    assert claim.disputes[0].outcome is DisputeOutcome.REJECTED


def test_resolving_an_unknown_dispute_is_not_found():
    claim = record_claim()
    open_dispute(claim)
    with pytest.raises(DisputeNotFoundError):
        claim.resolve_dispute(uuid4(), outcome=DisputeOutcome.UPHELD, note="n", meta=meta())


def test_the_newest_review_is_the_verdict():
    claim = record_claim()
    review(claim, Verdict.MIXED)
    rating = Rating(Decimal("2"), best=Decimal("5"), worst=Decimal("1"))
    review(claim, Verdict.MOSTLY_FALSE, rating=rating)
    assert claim.status is ClaimStatus.REVIEWED
    assert claim.verdict is not None
    assert (claim.verdict.verdict, claim.verdict.rating) == (Verdict.MOSTLY_FALSE, rating)
    assert [r.verdict for r in claim.reviews] == [Verdict.MIXED, Verdict.MOSTLY_FALSE]


def test_a_correction_changes_only_the_fields_it_gives():
    recorder = uuid4()
    claim = record_claim(recorder)
    quantities = [Quantity(Decimal("400000000000"), "USD", "gas deal")]
    claim.correct(
        reason="typo",
        role=Role.CONTRIBUTOR,
        meta=meta(recorder),
        statement="China backs Russia's demands",
        occurred_on=PartialDate(2022, 2, 4),
        quantities=quantities,
    )
    assert claim.statement == "China backs Russia's demands"
    assert claim.occurred_on == PartialDate(2022, 2, 4)
    assert claim.quantities == quantities
    assert claim.relation == resolve_relation("supports")
    assert claim.object == ActorRef("russia", "Russia")


def test_a_correction_may_change_the_relation_and_object():
    recorder = uuid4()
    claim = record_claim(recorder)
    claim.correct(
        reason="wrong actor",
        role=Role.CONTRIBUTOR,
        meta=meta(recorder),
        relation=resolve_relation("061"),
        object=ActorRef("ukraine", "Ukraine"),
    )
    assert claim.relation.slug == "cooperates_economically"
    assert claim.object == ActorRef("ukraine", "Ukraine")
    assert claim.statement == "China supports Russia's security demands"


def test_a_correction_must_change_something():
    recorder = uuid4()
    claim = record_claim(recorder)
    with pytest.raises(NothingToCorrectError):
        claim.correct(reason="r", role=Role.CONTRIBUTOR, meta=meta(recorder))


def test_a_correction_repeating_the_current_values_changes_nothing():
    recorder = uuid4()
    claim = record_claim(recorder)
    version = claim.version
    with pytest.raises(NothingToCorrectError):
        claim.correct(
            reason="r",
            role=Role.CONTRIBUTOR,
            meta=meta(recorder),
            statement=claim.statement,
            relation=resolve_relation("051"),
            object=ActorRef("russia", "Russia"),
            quantities=[],
        )
    assert claim.version == version


def test_a_correction_records_only_what_it_changed():
    recorder = uuid4()
    claim = record_claim(recorder)
    claim.correct(
        reason="r",
        role=Role.CONTRIBUTOR,
        meta=meta(recorder),
        statement="new words",
        relation=resolve_relation("supports"),
    )
    corrected = claim.collect_events()[-1]
    assert isinstance(corrected, Claim.Corrected)
    assert corrected.statement == "new words"
    assert corrected.relation is None
