"""The editorial workflow's use cases: assign a claim, unassign it, mark it in progress,
publish and unpublish its reviews. Each is one command on the Claim (load -> act -> save)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar
from uuid import UUID

from domain.base import LedgerAggregate
from domain.claims import Claim
from domain.principals import Principal
from infra.ledger.context import Context
from infra.ledger.core import LedgerCore
from infra.ledger.errors import ReferenceNotFoundError

R = TypeVar("R")


class WorkflowCommands(Generic[R]):
    """Mixed into `Claims`, which gives `core` and `_amend`."""

    core: LedgerCore

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
        return self._amend(
            claim_id, ctx, lambda c: c.publish_review(review_id, role=ctx.role, meta=ctx.meta)
        )

    def unpublish_review(self, ctx: Context, claim_id: UUID, review_id: UUID, reason: str) -> R:
        return self._amend(
            claim_id,
            ctx,
            lambda c: c.unpublish_review(review_id, reason=reason, role=ctx.role, meta=ctx.meta),
        )
