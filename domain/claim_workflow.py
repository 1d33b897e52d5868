"""The editorial workflow of a claim: who is assigned to it, whether the work is in progress,
and which of its reviews are published (only published reviews count).

`Claim` subclasses `ClaimWorkflow`, so these events are stored under `domain.claims:Claim.*`
like the others (tests/unit/test_claim_topics.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

from domain.base import LedgerAggregate
from domain.claim_events import ClaimEvents
from domain.claim_parts import Review
from domain.errors import (
    AlreadyAssignedError,
    AlreadyInProgressError,
    AssigneeCannotReviewError,
    ClaimRetractedError,
    NotAssignedError,
    NotPermittedError,
    ReviewAlreadyPublishedError,
    ReviewNotFoundError,
    ReviewNotPublishedError,
)
from domain.values import Meta, ReviewState, Role, WorkflowState


def _with_review(claim: Any, review_id: UUID, **changes: Any) -> None:
    claim.reviews = [
        replace(r, **changes) if r.review_id == review_id else r for r in claim.reviews
    ]


class ClaimWorkflow(ClaimEvents):
    """Assignment, progress and the publication of reviews."""

    class Assigned(LedgerAggregate.Event):
        assignee: UUID

        def apply(self, claim: Any) -> None:
            claim.assignee, claim.in_progress = self.assignee, False

    class Unassigned(LedgerAggregate.Event):
        def apply(self, claim: Any) -> None:
            claim.assignee, claim.in_progress = None, False

    class MarkedInProgress(LedgerAggregate.Event):
        def apply(self, claim: Any) -> None:
            claim.in_progress = True

    class ReviewPublished(LedgerAggregate.Event):
        review_id: UUID

        def apply(self, claim: Any) -> None:
            _with_review(
                claim,
                self.review_id,
                state=ReviewState.PUBLISHED.value,
                published_at=self.timestamp,
                published_by=self.meta.principal_id,
                published_seq=self.originator_version,
            )
            claim.in_progress = False

    class ReviewUnpublished(LedgerAggregate.Event):
        review_id: UUID
        reason: str

        def apply(self, claim: Any) -> None:
            _with_review(
                claim,
                self.review_id,
                state=ReviewState.UNPUBLISHED.value,
                unpublished_reason=self.reason,
                unpublished_at=self.timestamp,
                unpublished_by=self.meta.principal_id,
            )

    # -- derived state -----------------------------------------------------------------------

    @property
    def is_retracted(self) -> bool:
        return self.retraction_reason is not None

    @property
    def published_reviews(self) -> list[Review]:
        return [r for r in self.reviews if r.is_published]

    @property
    def verdict(self) -> Review | None:
        """The review published last is the claim's verdict; drafts and unpublished reviews
        do not count."""
        published = self.published_reviews
        return max(published, key=lambda r: r.published_seq or 0) if published else None

    @property
    def workflow(self) -> WorkflowState:
        if self.in_progress:
            return WorkflowState.IN_PROGRESS
        if self.published_reviews:
            return WorkflowState.REVIEWED
        if self.assignee is not None:
            return WorkflowState.ASSIGNED
        return WorkflowState.UNASSIGNED

    # -- guards ------------------------------------------------------------------------------

    def check_not_retracted(self) -> None:
        if self.is_retracted:
            raise ClaimRetractedError("the claim is retracted; only links may still be added")

    def check_may_publish(self, principal_id: UUID, role: Role, review: Review | None) -> None:
        """Who may publish `review` (None: a review published as it is written) or unpublish
        it: the one place that decides it. `role` is the principal's role for the review's
        author: its role in the review's organization, or its global role for a review of no
        organization (the ledger decides which). Reviewers and admins."""
        if not role.includes(Role.REVIEWER):
            raise NotPermittedError("only reviewers may publish or unpublish reviews")

    def check_may_work_on(self, principal_id: UUID, role: Role) -> None:
        """The assignee, or any reviewer, may say the work on a claim has started."""
        if principal_id != self.assignee and not role.includes(Role.REVIEWER):
            raise NotPermittedError("only the assignee or a reviewer may do that")

    def find_review(self, review_id: UUID) -> Review:
        for review in self.reviews:
            if review.review_id == review_id:
                return review
        raise ReviewNotFoundError(f"claim has no review {review_id}")

    # -- commands ----------------------------------------------------------------------------

    def assign(self, assignee: UUID, *, assignee_role: Role, meta: Meta) -> None:
        """Assign the claim to a principal who may review (re-assigning replaces the one
        before; the work starts afresh)."""
        self.check_not_retracted()
        if not assignee_role.includes(Role.REVIEWER):
            raise AssigneeCannotReviewError(
                f"principal {assignee} cannot review (role '{assignee_role.value}')",
                assignee=str(assignee),
            )
        if assignee == self.assignee:
            raise AlreadyAssignedError("the claim is already assigned to this principal")
        self.trigger_event(self.Assigned, assignee=assignee, meta=meta)

    def unassign(self, *, meta: Meta) -> None:
        self.check_not_retracted()
        if self.assignee is None:
            raise NotAssignedError("nobody is assigned to the claim")
        self.trigger_event(self.Unassigned, meta=meta)

    def mark_in_progress(self, *, role: Role, meta: Meta) -> None:
        self.check_not_retracted()
        if self.assignee is None:
            raise NotAssignedError("assign the claim before marking it in progress")
        self.check_may_work_on(meta.principal_id, role)
        if self.in_progress:
            raise AlreadyInProgressError("the claim is already in progress")
        self.trigger_event(self.MarkedInProgress, meta=meta)

    def publish_review(self, review_id: UUID, *, role: Role, meta: Meta) -> None:
        """Publish a draft (or a review unpublished before): it then counts."""
        self.check_not_retracted()
        review = self.find_review(review_id)
        self.check_may_publish(meta.principal_id, role, review)
        if review.is_published:
            raise ReviewAlreadyPublishedError("the review is already published")
        self.trigger_event(self.ReviewPublished, review_id=review_id, meta=meta)

    def unpublish_review(self, review_id: UUID, *, reason: str, role: Role, meta: Meta) -> None:
        """Take a published review back (it stays in the claim's reviews, unpublished)."""
        self.check_not_retracted()
        review = self.find_review(review_id)
        self.check_may_publish(meta.principal_id, role, review)
        if not review.is_published:
            raise ReviewNotPublishedError(f"the review is {review.state}, not published")
        self.trigger_event(self.ReviewUnpublished, review_id=review_id, reason=reason, meta=meta)
