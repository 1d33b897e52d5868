from decimal import Decimal
from uuid import uuid4

from domain.base import SeenKey
from domain.claims import Claim
from domain.values import (
    ClaimStatus,
    DisputeOutcome,
    LinkRelation,
    PartialDate,
    Rating,
    Role,
    Stance,
)
from domain.vocabulary import Verdict
from tests.unit.helpers import appearance, meta, record_claim, replay


def busy_claim() -> Claim:
    """A claim that has been through every command."""
    recorder = uuid4()
    claim = record_claim(recorder, key="k-record")
    claim.add_appearance(appearance("Beijing supports"), meta=meta())
    claim.add_evidence(
        uuid4(),
        stance=Stance.SUPPORTS,
        note="n",
        source_id=uuid4(),
        quote=appearance(),
        url=None,
        meta=meta(key="k-evidence"),
    )
    dispute_id = uuid4()
    claim.dispute(dispute_id, reason="r", evidence=claim.evidence[0], meta=meta())
    claim.resolve_dispute(dispute_id, outcome=DisputeOutcome.REJECTED, note="n", meta=meta())
    claim.review(
        uuid4(),
        verdict=Verdict.TRUE,
        label="True",
        explanation="e",
        url=None,
        rating=Rating(Decimal("5"), Decimal("5"), Decimal("1")),
        role=Role.REVIEWER,
        meta=meta(),
    )
    claim.correct(
        reason="r", role=Role.CONTRIBUTOR, meta=meta(recorder), occurred_on=PartialDate(2022, 2, 4)
    )
    claim.retract(reason="r", role=Role.REVIEWER, meta=meta())
    claim.link(uuid4(), relation=LinkRelation.DUPLICATES, meta=meta())
    return claim


def test_replaying_the_events_rebuilds_the_same_claim():
    claim = busy_claim()
    rebuilt = replay(claim)
    assert isinstance(rebuilt, Claim)
    assert vars(rebuilt) == vars(claim)
    assert (rebuilt.id, rebuilt.version, rebuilt.status) == (
        claim.id,
        claim.version,
        ClaimStatus.RETRACTED,
    )
    assert rebuilt.version == 9
    assert rebuilt.recorded_by == claim.recorded_by


def test_replaying_a_claim_under_dispute_keeps_it_disputed():
    claim = record_claim()
    claim.dispute(uuid4(), reason="r", evidence=None, meta=meta())
    rebuilt = replay(claim)
    assert rebuilt.status is ClaimStatus.DISPUTED
    assert rebuilt.disputes == claim.disputes


def test_a_claim_remembers_the_idempotency_keys_it_acted_on():
    principal = uuid4()
    claim = record_claim(principal, key="k-record")
    claim.add_evidence(
        uuid4(),
        stance=Stance.CONTEXT,
        note="n",
        source_id=None,
        quote=None,
        url=None,
        meta=meta(principal, key="k-evidence", request_hash="h2"),
    )
    claim.review(
        uuid4(),
        verdict=Verdict.MIXED,
        label="Mixed",
        explanation="e",
        url=None,
        rating=None,
        role=Role.REVIEWER,
        meta=meta(),
    )
    assert claim.seen(principal, "k-record") == SeenKey(1, None)
    assert claim.seen(principal, "k-evidence") == SeenKey(2, "h2")
    assert len(claim.seen_keys) == 2
    assert replay(claim).seen_keys == claim.seen_keys


def test_an_idempotency_key_belongs_to_the_principal_that_sent_it():
    claim = record_claim(key="shared-key")
    assert claim.seen(claim.recorded_by, "shared-key") == SeenKey(1, None)
    assert claim.seen(uuid4(), "shared-key") is None


def test_a_claim_recorded_without_a_key_has_seen_none():
    assert record_claim().seen_keys == {}


def test_a_claim_from_record_to_link():
    recorder, reviewer, disputer = uuid4(), uuid4(), uuid4()

    claim = record_claim(recorder, key="k1")
    assert (claim.status, claim.version, claim.recorded_by) == (ClaimStatus.RECORDED, 1, recorder)

    evidence_id = uuid4()
    claim.add_evidence(
        evidence_id,
        stance=Stance.SUPPORTS,
        note="Kremlin readout of the call",
        source_id=uuid4(),
        quote=appearance(),
        url="https://kremlin.ru/e/1",
        meta=meta(recorder, key="k2"),
    )
    assert [e.evidence_id for e in claim.evidence] == [evidence_id]
    assert (claim.status, claim.version) == (ClaimStatus.RECORDED, 2)

    dispute_id = uuid4()
    claim.dispute(
        dispute_id,
        reason="Ushakov spoke of 'concerns', not 'demands'",
        evidence=None,
        meta=meta(disputer),
    )
    assert claim.status is ClaimStatus.DISPUTED
    assert claim.disputes[0].opened_by == disputer

    claim.resolve_dispute(
        dispute_id,
        outcome=DisputeOutcome.REJECTED,
        note="the transcript says 'demands'",
        meta=meta(reviewer),
    )
    assert claim.status is ClaimStatus.RECORDED
    assert claim.disputes[0].outcome is DisputeOutcome.REJECTED
    assert claim.disputes[0].resolved_by == reviewer

    claim.review(
        uuid4(),
        verdict=Verdict.MOSTLY_TRUE,
        label="Mostly true",
        explanation="Said by a Kremlin aide, not by Beijing",
        url=None,
        rating=Rating(Decimal("4"), best=Decimal("5"), worst=Decimal("1")),
        role=Role.REVIEWER,
        meta=meta(reviewer),
    )
    assert claim.status is ClaimStatus.REVIEWED
    assert claim.verdict is not None and claim.verdict.verdict is Verdict.MOSTLY_TRUE
    assert claim.verdict.reviewed_by == reviewer

    claim.correct(
        reason="the date of the summit",
        role=Role.CONTRIBUTOR,
        meta=meta(recorder),
        occurred_on=PartialDate.parse("2022-02-04"),
    )
    assert str(claim.occurred_on) == "2022-02-04"
    assert claim.status is ClaimStatus.REVIEWED

    claim.retract(reason="recorded twice", role=Role.REVIEWER, meta=meta(reviewer))
    assert claim.status is ClaimStatus.RETRACTED
    assert claim.verdict.verdict is Verdict.MOSTLY_TRUE  # the history stays

    original = uuid4()
    claim.link(original, relation=LinkRelation.DUPLICATES, meta=meta(reviewer))
    assert [(k.target_id, k.relation) for k in claim.links] == [(original, LinkRelation.DUPLICATES)]
    assert claim.status is ClaimStatus.RETRACTED

    assert claim.version == 8
    assert claim.seen(recorder, "k1") is not None and claim.seen(recorder, "k2") is not None
    events = claim.collect_events()
    assert [type(e).__name__ for e in events] == [
        "Recorded",
        "EvidenceAdded",
        "Disputed",
        "DisputeResolved",
        "Reviewed",
        "Corrected",
        "Retracted",
        "Linked",
    ]
    rebuilt = None
    for event in events:
        rebuilt = event.mutate(rebuilt)
    assert vars(rebuilt) == vars(claim)
