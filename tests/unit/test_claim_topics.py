"""The Claim's events keep the topics they are stored under, wherever they are declared."""

from uuid import uuid4

from eventsourcing.utils import get_topic, resolve_topic

from domain.claims import Claim
from domain.values import Role
from tests.unit.helpers import meta, open_dispute, record_claim, review

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
    "Assigned",
    "Unassigned",
    "MarkedInProgress",
    "ReviewPublished",
    "ReviewUnpublished",
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


def test_the_workflow_emits_events_under_the_stored_topics():
    claim = record_claim()
    claim.collect_events()
    claim.assign(uuid4(), assignee_role=Role.REVIEWER, meta=meta())
    claim.mark_in_progress(role=Role.REVIEWER, meta=meta())
    review(claim)
    review_id = claim.reviews[0].review_id
    claim.unpublish_review(review_id, reason="r", role=Role.REVIEWER, meta=meta())
    claim.publish_review(review_id, role=Role.REVIEWER, meta=meta())
    claim.unassign(meta=meta())

    topics = [get_topic(type(e)) for e in claim.collect_events()]

    assert topics == [
        "domain.claims:Claim.Assigned",
        "domain.claims:Claim.MarkedInProgress",
        "domain.claims:Claim.Reviewed",
        "domain.claims:Claim.ReviewUnpublished",
        "domain.claims:Claim.ReviewPublished",
        "domain.claims:Claim.Unassigned",
    ]
