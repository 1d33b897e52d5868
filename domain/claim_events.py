"""The Claim's events: the persisted contract (add fields with defaults, never rename).

They are declared on `ClaimEvents` and `Claim` subclasses it: eventsourcing redefines every
inherited event class on the subclass, under the subclass's own module and name, so the stored
topics stay `domain.claims:Claim.Recorded` and so on (tests/unit/test_claim_topics.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.base import LedgerAggregate
from domain.claim_parts import Dispute, Evidence, Link, Review
from domain.values import (
    ActorRef,
    Appearance,
    ClaimKind,
    DisputeOutcome,
    LinkRelation,
    PartialDate,
    Quantity,
    Rating,
    Relation,
    ReviewState,
    Stance,
)
from domain.vocabulary import Verdict


class ClaimEvents(LedgerAggregate):
    """The events of a claim and the state they set."""

    class Recorded(LedgerAggregate.Created):
        statement: str
        kind: ClaimKind
        subject: ActorRef
        relation: Relation
        object: ActorRef | None
        about: list[ActorRef]
        claimant: ActorRef | None
        occurred_on: PartialDate | None
        quantities: list[Quantity]
        tags: list[str]
        appearance: Appearance
        negated: bool = False  # the claim asserts that the relation does NOT hold
        language: str | None = None  # BCP-47; None in claims recorded before languages

        def apply(self, claim: Any) -> None:
            claim.statement, claim.kind = self.statement, self.kind
            claim.subject, claim.relation, claim.object = self.subject, self.relation, self.object
            claim.about, claim.claimant = list(self.about), self.claimant
            claim.occurred_on, claim.quantities = self.occurred_on, list(self.quantities)
            claim.tags, claim.appearances = list(self.tags), [self.appearance]
            claim.evidence, claim.disputes, claim.reviews, claim.links = [], [], [], []
            claim.retraction_reason = None
            claim.negated = self.negated
            claim.language = self.language
            claim.assignee, claim.in_progress = None, False

    class AppearanceAdded(LedgerAggregate.Event):
        appearance: Appearance

        def apply(self, claim: Any) -> None:
            claim.appearances.append(self.appearance)

    class EvidenceAdded(LedgerAggregate.Event):
        evidence_id: UUID
        stance: Stance
        note: str
        source_id: UUID | None
        quote: Appearance | None
        url: str | None

        def apply(self, claim: Any) -> None:
            claim.evidence.append(
                Evidence(
                    self.evidence_id,
                    self.stance,
                    self.note,
                    self.source_id,
                    self.quote,
                    self.url,
                    self.meta.principal_id,
                    self.timestamp,
                )
            )

    class Disputed(LedgerAggregate.Event):
        dispute_id: UUID
        reason: str
        evidence: Evidence | None

        def apply(self, claim: Any) -> None:
            claim.disputes.append(
                Dispute(
                    self.dispute_id,
                    self.reason,
                    self.evidence,
                    self.meta.principal_id,
                    self.timestamp,
                )
            )

    class DisputeResolved(LedgerAggregate.Event):
        dispute_id: UUID
        outcome: DisputeOutcome
        note: str

        def apply(self, claim: Any) -> None:
            claim.disputes = [
                replace(
                    d,
                    outcome=self.outcome,
                    resolution_note=self.note,
                    resolved_by=self.meta.principal_id,
                    resolved_at=self.timestamp,
                )
                if d.dispute_id == self.dispute_id
                else d
                for d in claim.disputes
            ]

    class Reviewed(LedgerAggregate.Event):
        review_id: UUID
        verdict: Verdict
        label: str
        explanation: str
        url: str | None
        rating: Rating | None
        original: dict[str, Any] | None = None  # an imported ClaimReview, verbatim
        state: str = ReviewState.PUBLISHED.value  # or a draft; reviews stored before: published
        organization_id: UUID | None = None  # the organization the reviewer acted for

        def apply(self, claim: Any) -> None:
            published = self.state == ReviewState.PUBLISHED.value
            by = self.meta.principal_id
            claim.reviews.append(
                Review(
                    self.review_id,
                    self.verdict,
                    self.label,
                    self.explanation,
                    self.url,
                    self.rating,
                    by,
                    self.timestamp,
                    self.original,
                    state=self.state,
                    published_at=self.timestamp if published else None,
                    published_by=by if published else None,
                    published_seq=self.originator_version if published else None,
                    organization_id=self.organization_id,
                )
            )
            if published:  # the work on the claim is done
                claim.in_progress = False

    class Corrected(LedgerAggregate.Event):
        """None in a field means 'unchanged'."""

        reason: str
        statement: str | None
        occurred_on: PartialDate | None
        relation: Relation | None
        object: ActorRef | None
        quantities: list[Quantity] | None

        def apply(self, claim: Any) -> None:
            for name in ("statement", "occurred_on", "relation", "object"):
                if getattr(self, name) is not None:
                    setattr(claim, name, getattr(self, name))
            if self.quantities is not None:
                claim.quantities = list(self.quantities)

    class Retracted(LedgerAggregate.Event):
        reason: str

        def apply(self, claim: Any) -> None:
            claim.retraction_reason = self.reason

    class Linked(LedgerAggregate.Event):
        target_id: UUID
        relation: LinkRelation

        def apply(self, claim: Any) -> None:
            claim.links.append(
                Link(self.target_id, self.relation, self.meta.principal_id, self.timestamp)
            )

    # State, set by the events above (class annotations would become __init__ parameters).
    if TYPE_CHECKING:
        statement: str
        kind: ClaimKind
        subject: ActorRef
        relation: Relation
        object: ActorRef | None
        about: list[ActorRef]
        claimant: ActorRef | None
        occurred_on: PartialDate | None
        quantities: list[Quantity]
        tags: list[str]
        appearances: list[Appearance]
        evidence: list[Evidence]
        disputes: list[Dispute]
        reviews: list[Review]
        links: list[Link]
        retraction_reason: str | None
        negated: bool
        language: str | None
        assignee: UUID | None
        in_progress: bool
