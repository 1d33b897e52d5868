"""The editorial workflow of a claim: assignment, progress, and the publication of reviews.

Each command answers the updated claim and `position`; If-Match and Idempotency-Key apply as to
every claim command. A retracted claim refuses them all (409). Planning reads nothing but the
request (the assignee is looked up in the attempt), so every route is async."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request

from service.bodies import json_body, parsed
from service.deps import LedgerDep, MemberReviewerContext, Reader, ReviewerContext
from service.responses import JSON
from service.routes.claim_bodies import claim_answer
from service.routes.claim_schemas import AssignmentIn, ClaimOut, UnpublicationIn

router = APIRouter(prefix="/claims", tags=["workflow"], dependencies=[Reader])


@router.post(
    "/{claim_id}/assignment", response_model=ClaimOut, openapi_extra=json_body(AssignmentIn)
)
async def assign_claim(
    claim_id: UUID, request: Request, ctx: ReviewerContext, ledger: LedgerDep
) -> JSON:
    """Assign the claim to a principal who may review (another assignee is replaced, and the
    work starts afresh). An unknown principal, or one that cannot review, is a 422; the same
    assignee again a 409."""
    given = await parsed(request, AssignmentIn)
    planned = ledger.claim_plans.assign(ctx, claim_id, given.assignee)
    return claim_answer(ledger, await ledger.run_async(planned))


@router.delete("/{claim_id}/assignment", response_model=ClaimOut)
async def unassign_claim(claim_id: UUID, ctx: ReviewerContext, ledger: LedgerDep) -> JSON:
    """Leave the claim unassigned (an event: the assignment stays in its history); a claim
    nobody is assigned to is a 409."""
    return claim_answer(ledger, await ledger.run_async(ledger.claim_plans.unassign(ctx, claim_id)))


@router.post("/{claim_id}/progress", response_model=ClaimOut)
async def mark_in_progress(claim_id: UUID, ctx: ReviewerContext, ledger: LedgerDep) -> JSON:
    """Say the work on an assigned claim has started (`workflow: in_progress`, until a review
    is published or the claim is assigned again). Unassigned, or already in progress: 409."""
    planned = ledger.claim_plans.mark_in_progress(ctx, claim_id)
    return claim_answer(ledger, await ledger.run_async(planned))


@router.post("/{claim_id}/reviews/{review_id}/publication", response_model=ClaimOut)
async def publish_review(
    claim_id: UUID, review_id: UUID, ctx: MemberReviewerContext, ledger: LedgerDep
) -> JSON:
    """Publish a draft (or a review unpublished before): it counts from now on, and the review
    published last is the claim's verdict. A review made for an organization is published by
    a reviewer of that organization only (others: 403). Already published: 409; unknown review:
    404."""
    planned = ledger.claim_plans.publish_review(ctx, claim_id, review_id)
    return claim_answer(ledger, await ledger.run_async(planned))


@router.post(
    "/{claim_id}/reviews/{review_id}/unpublication",
    response_model=ClaimOut,
    openapi_extra=json_body(UnpublicationIn),
)
async def unpublish_review(
    claim_id: UUID,
    review_id: UUID,
    request: Request,
    ctx: MemberReviewerContext,
    ledger: LedgerDep,
) -> JSON:
    """Take a published review back, with a reason: it stays in the claim's reviews
    (`state: unpublished`) but no longer counts. A draft or an unpublished review: 409."""
    given = await parsed(request, UnpublicationIn)
    planned = ledger.claim_plans.unpublish_review(ctx, claim_id, review_id, given.reason)
    return claim_answer(ledger, await ledger.run_async(planned))
