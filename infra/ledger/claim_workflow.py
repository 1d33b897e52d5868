"""The editorial workflow's use cases: assign a claim, unassign it, mark it in progress,
publish and unpublish its reviews. Each is one command on the Claim (load -> act -> save)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar
from uuid import UUID

from domain.base import LedgerAggregate
from domain.claims import Claim
from domain.principals import Principal
from domain.values import Role
from infra.ledger.context import Context
from infra.ledger.core import LedgerCore
from infra.ledger.errors import ReferenceNotFoundError
from infra.ledger.organizations import Organizations

R = TypeVar("R")


class WorkflowCommands(Generic[R]):
    """Mixed into `Claims`, which gives `core` and `_amend`."""

    core: LedgerCore
    organizations: Organizations

    def _amend(
        self, claim_id: UUID, ctx: Context, act: Callable[[Claim], list[LedgerAggregate] | None]
    ) -> R:
        raise NotImplementedError

    def assign(self, ctx: Context, claim_id: UUID, assignee_id: UUID) -> R:
        """Assign the claim to an existing principal who may review (422 otherwise)."""

        def act(claim: Claim) -> None:
            # Read here, in the attempt (a worker thread), after the claim is known to exist.
            assignee = self.core.find(Principal, assignee_id)
            if assignee is None:
                raise ReferenceNotFoundError(
                    f"principal {assignee_id} does not exist", assignee=str(assignee_id)
                )
            claim.assign(assignee_id, assignee_role=assignee.role, meta=ctx.meta)

        return self._amend(claim_id, ctx, act)

    def unassign(self, ctx: Context, claim_id: UUID) -> R:
        return self._amend(claim_id, ctx, lambda c: c.unassign(meta=ctx.meta))

    def mark_in_progress(self, ctx: Context, claim_id: UUID) -> R:
        return self._amend(
            claim_id, ctx, lambda c: c.mark_in_progress(role=ctx.role, meta=ctx.meta)
        )

    def publish_review(self, ctx: Context, claim_id: UUID, review_id: UUID) -> R:
        """Publish a review: judged by the principal's role in the review's organization
        (a reviewer of organization A cannot publish B's review), or its global role."""

        def act(claim: Claim) -> None:
            role = self._role_for(ctx, claim, review_id)
            claim.publish_review(review_id, role=role, meta=ctx.meta)

        return self._amend(claim_id, ctx, act)

    def unpublish_review(self, ctx: Context, claim_id: UUID, review_id: UUID, reason: str) -> R:
        """Take a published review back, judged as `publish_review` is."""

        def act(claim: Claim) -> None:
            role = self._role_for(ctx, claim, review_id)
            claim.unpublish_review(review_id, reason=reason, role=role, meta=ctx.meta)

        return self._amend(claim_id, ctx, act)

    def _role_for(self, ctx: Context, claim: Claim, review_id: UUID) -> Role:
        return self.organizations.role_for(ctx, claim.find_review(review_id).organization_id)
