"""The Claim aggregate: one assertion, its provenance and its fact-checking lifecycle."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.claim_parts import Dispute, Evidence
from domain.claim_workflow import ClaimWorkflow
from domain.errors import (
    DisputeAlreadyResolvedError,
    DisputeNotFoundError,
    InvalidLinkError,
    NothingToCorrectError,
    NotPermittedError,
)
from domain.values import (
    ActorRef,
    Appearance,
    ClaimStatus,
    DisputeOutcome,
    LinkRelation,
    Meta,
    PartialDate,
    Quantity,
    Rating,
    Relation,
    ReviewState,
    Role,
    Stance,
)
from domain.vocabulary import Verdict


class Claim(ClaimWorkflow):
    """One assertion found in a source, with everything fact-checkers have said about it."""

    @classmethod
    def record(cls, claim_id: UUID, *, meta: Meta, **fields: Any) -> Claim:
        """Record a new claim (fields as in `Recorded`)."""
        return cls._create(cls.Recorded, id=claim_id, meta=meta, **fields)

    # -- derived state -----------------------------------------------------------------------

    @property
    def open_disputes(self) -> list[Dispute]:
        return [d for d in self.disputes if d.is_open]

    @property
    def status(self) -> ClaimStatus:
        if self.is_retracted:
            return ClaimStatus.RETRACTED
        if self.open_disputes:
            return ClaimStatus.DISPUTED
        if self.published_reviews:
            return ClaimStatus.REVIEWED
        return ClaimStatus.RECORDED

    # -- guards ------------------------------------------------------------------------------

    def check_may_amend(
        self, principal_id: UUID, role: Role, *, any_claim_role: Role | None
    ) -> None:
        """Claims are amended by who recorded them; `any_claim_role` (if any) may amend any."""
        if principal_id != self.recorded_by and (
            any_claim_role is None or not role.includes(any_claim_role)
        ):
            raise NotPermittedError("only the principal who recorded this claim may do that")

    def find_dispute(self, dispute_id: UUID) -> Dispute:
        for dispute in self.disputes:
            if dispute.dispute_id == dispute_id:
                return dispute
        raise DisputeNotFoundError(f"claim has no dispute {dispute_id}")

    # -- commands ----------------------------------------------------------------------------

    def add_appearance(self, appearance: Appearance, *, meta: Meta) -> None:
        self.check_not_retracted()
        self.trigger_event(self.AppearanceAdded, appearance=appearance, meta=meta)

    def add_evidence(
        self,
        evidence_id: UUID,
        *,
        stance: Stance,
        note: str,
        source_id: UUID | None,
        quote: Appearance | None,
        url: str | None,
        meta: Meta,
    ) -> None:
        self.check_not_retracted()
        self.trigger_event(
            self.EvidenceAdded,
            evidence_id=evidence_id,
            stance=stance,
            note=note,
            source_id=source_id,
            quote=quote,
            url=url,
            meta=meta,
        )

    def dispute(
        self, dispute_id: UUID, *, reason: str, evidence: Evidence | None, meta: Meta
    ) -> None:
        self.check_not_retracted()
        self.trigger_event(
            self.Disputed, dispute_id=dispute_id, reason=reason, evidence=evidence, meta=meta
        )

    def resolve_dispute(
        self, dispute_id: UUID, *, outcome: DisputeOutcome, note: str, meta: Meta
    ) -> None:
        self.check_not_retracted()
        if not self.find_dispute(dispute_id).is_open:
            raise DisputeAlreadyResolvedError("the dispute is already resolved")
        self.trigger_event(
            self.DisputeResolved, dispute_id=dispute_id, outcome=outcome, note=note, meta=meta
        )

    def review(
        self,
        review_id: UUID,
        *,
        verdict: Verdict,
        label: str,
        explanation: str,
        url: str | None,
        rating: Rating | None,
        role: Role,
        meta: Meta,
        original: dict[str, Any] | None = None,
        draft: bool = False,
        organization_id: UUID | None = None,
    ) -> None:
        """Add a review: published at once (it counts), or a draft to publish later."""
        self.check_not_retracted()
        if not draft:
            self.check_may_publish(meta.principal_id, role, None)
        state = ReviewState.DRAFT if draft else ReviewState.PUBLISHED
        self.trigger_event(
            self.Reviewed,
            review_id=review_id,
            verdict=verdict,
            label=label,
            explanation=explanation,
            url=url,
            rating=rating,
            meta=meta,
            original=original,
            state=state.value,
            organization_id=organization_id,
        )

    def correct(
        self,
        *,
        reason: str,
        role: Role,
        meta: Meta,
        statement: str | None = None,
        occurred_on: PartialDate | None = None,
        relation: Relation | None = None,
        object: ActorRef | None = None,  # noqa: A002 - the API's own field name
        quantities: list[Quantity] | None = None,
    ) -> None:
        self.check_not_retracted()
        self.check_may_amend(meta.principal_id, role, any_claim_role=None)
        changes = {
            "statement": statement,
            "occurred_on": occurred_on,
            "relation": relation,
            "object": object,
            "quantities": quantities,
        }
        changed = {k: v for k, v in changes.items() if v is not None and v != getattr(self, k)}
        if not changed:
            raise NothingToCorrectError("a correction must change at least one field")
        unchanged = {k: None for k in changes if k not in changed}
        self.trigger_event(self.Corrected, reason=reason, meta=meta, **changed, **unchanged)

    def retract(self, *, reason: str, role: Role, meta: Meta) -> None:
        self.check_not_retracted()
        self.check_may_amend(meta.principal_id, role, any_claim_role=Role.REVIEWER)
        self.trigger_event(self.Retracted, reason=reason, meta=meta)

    def link(self, target_id: UUID, *, relation: LinkRelation, meta: Meta) -> None:
        if target_id == self.id:
            raise InvalidLinkError("a claim cannot link to itself")
        if any(k.target_id == target_id and k.relation == relation for k in self.links):
            raise InvalidLinkError("the claim already has this link")
        self.trigger_event(self.Linked, target_id=target_id, relation=relation, meta=meta)
