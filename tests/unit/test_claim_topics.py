"""The Claim's events keep the topics they are stored under, wherever they are declared."""

from eventsourcing.utils import get_topic, resolve_topic

from domain.claims import Claim
from tests.unit.helpers import open_dispute, record_claim, review

EVENTS = [
    "Recorded",
    "AppearanceAdded",
    "EvidenceAdded",
    "Disputed",
    "DisputeResolved",
    "Reviewed",
    "Corrected",
    "Retracted",
    "Linked",
]


def test_every_claim_event_is_stored_under_domain_claims_claim():
    for name in EVENTS:
        event_class = getattr(Claim, name)
        assert get_topic(event_class) == f"domain.claims:Claim.{name}"
        assert resolve_topic(f"domain.claims:Claim.{name}") is event_class


def test_a_claim_through_its_lifecycle_emits_events_under_the_stored_topics():
    claim = record_claim()
    open_dispute(claim)
    review(claim)

    topics = [get_topic(type(e)) for e in claim.collect_events()]

    assert topics == [
        "domain.claims:Claim.Recorded",
        "domain.claims:Claim.Disputed",
        "domain.claims:Claim.Reviewed",
    ]
