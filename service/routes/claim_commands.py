"""The lifecycle commands of a claim: appearances, evidence, disputes and their resolution,
reviews, corrections, retraction, links.

The commands whose planning reads nothing but memoised values (sources, actor names) are async:
the body is parsed once (service/bodies.py), the attempt (a load) runs on a worker thread and
the writer's save is awaited. Corrections (which may resolve a new actor name) and links (which
load the target) stay sync: planning them reads the store."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request

from domain.claims import Claim
from infra.ledger.context import Outcome
from service.bodies import json_body, parsed
from service.deps import (
    ContributorContext,
    LedgerDep,
    MemberReviewerContext,
    Reader,
    ReviewerContext,
)
from service.responses import JSON
from service.routes.claim_bodies import claim_answer
from service.routes.claim_schemas import (
    ClaimOut,
    CorrectionIn,
    DisputeIn,
    EvidenceIn,
    LinkIn,
    QuoteIn,
    ResolutionIn,
    RetractionIn,
    ReviewIn,
)
from service.routes.claims import date_or_none

router = APIRouter(prefix="/claims", tags=["claims"], dependencies=[Reader])


@router.post(
    "/{claim_id}/appearances",
    status_code=201,
    response_model=ClaimOut,
    openapi_extra=json_body(QuoteIn),
)
async def add_appearance(
    claim_id: UUID, request: Request, ctx: ContributorContext, ledger: LedgerDep
) -> JSON:
    given = await parsed(request, QuoteIn)
    planned = ledger.claim_plans.add_appearance(ctx, claim_id, given.quote())
    return claim_answer(ledger, await ledger.run_async(planned), 201)


@router.post(
    "/{claim_id}/evidence",
    status_code=201,
    response_model=ClaimOut,
    openapi_extra=json_body(EvidenceIn),
)
async def add_evidence(
    claim_id: UUID, request: Request, ctx: ContributorContext, ledger: LedgerDep
) -> JSON:
    given = await parsed(request, EvidenceIn)
    planned = ledger.claim_plans.add_evidence(ctx, claim_id, given.evidence())
    outcome = await ledger.run_async(planned)
    return claim_answer(ledger, outcome, 201, evidence_id=str(_field(outcome, "evidence_id")))


@router.post(
    "/{claim_id}/disputes",
    status_code=201,
    response_model=ClaimOut,
    openapi_extra=json_body(DisputeIn),
)
async def dispute_claim(
    claim_id: UUID, request: Request, ctx: ContributorContext, ledger: LedgerDep
) -> JSON:
    given = await parsed(request, DisputeIn)
    evidence = given.evidence.evidence() if given.evidence else None
    planned = ledger.claim_plans.dispute(ctx, claim_id, reason=given.reason, evidence=evidence)
    outcome = await ledger.run_async(planned)
    return claim_answer(ledger, outcome, 201, dispute_id=str(_field(outcome, "dispute_id")))


@router.post(
    "/{claim_id}/disputes/{dispute_id}/resolution",
    response_model=ClaimOut,
    openapi_extra=json_body(ResolutionIn),
)
async def resolve_dispute(
    claim_id: UUID, dispute_id: UUID, request: Request, ctx: ReviewerContext, ledger: LedgerDep
) -> JSON:
    """Resolve an open dispute (once: again is a 409)."""
    given = await parsed(request, ResolutionIn)
    planned = ledger.claim_plans.resolve_dispute(
        ctx, claim_id, dispute_id, outcome=given.outcome, note=given.note
    )
    return claim_answer(ledger, await ledger.run_async(planned))


@router.post(
    "/{claim_id}/reviews",
    status_code=201,
    response_model=ClaimOut,
    openapi_extra=json_body(ReviewIn),
)
async def review_claim(
    claim_id: UUID, request: Request, ctx: MemberReviewerContext, ledger: LedgerDep
) -> JSON:
    """Review the claim: published at once (the review published last is its verdict), or a
    draft (`state: "draft"`) that counts nowhere until it is published. A member of an
    organization reviews for it (`organization_id` picks one of several) and needs the
    'reviewer' role there: the review is then the organization's (ClaimReview `author`). A
    principal of no organization needs the global 'reviewer' role."""
    given = await parsed(request, ReviewIn)
    planned = ledger.claim_plans.review(
        ctx,
        claim_id,
        verdict=given.verdict,
        label=given.label,
        explanation=given.explanation,
        url=given.url,
        rating=given.rating.rating() if given.rating else None,
        draft=given.state == "draft",
        organization_id=given.organization_id,
    )
    outcome = await ledger.run_async(planned)
    return claim_answer(ledger, outcome, 201, review_id=str(_field(outcome, "review_id")))


@router.post("/{claim_id}/corrections", response_model=ClaimOut)
def correct_claim(
    claim_id: UUID, given: CorrectionIn, ctx: ContributorContext, ledger: LedgerDep
) -> JSON:
    """Correct fields of a claim you recorded; at least one field must change."""
    quantities = [q.quantity() for q in given.quantities] if given.quantities is not None else None
    return claim_answer(
        ledger,
        ledger.claims.correct(
            ctx,
            claim_id,
            reason=given.reason,
            statement=given.statement,
            occurred_on=date_or_none(given.occurred_on),
            relation=given.relation,
            object=given.object,
            quantities=quantities,
        ),
    )


@router.post(
    "/{claim_id}/retraction", response_model=ClaimOut, openapi_extra=json_body(RetractionIn)
)
async def retract_claim(
    claim_id: UUID, request: Request, ctx: ContributorContext, ledger: LedgerDep
) -> JSON:
    """Retract a claim (your own; reviewers any). Afterwards only links may be added."""
    given = await parsed(request, RetractionIn)
    planned = ledger.claim_plans.retract(ctx, claim_id, reason=given.reason)
    return claim_answer(ledger, await ledger.run_async(planned))


@router.post("/{claim_id}/links", status_code=201, response_model=ClaimOut)
def link_claim(claim_id: UUID, given: LinkIn, ctx: ContributorContext, ledger: LedgerDep) -> JSON:
    return claim_answer(
        ledger,
        ledger.claims.link(ctx, claim_id, target_id=given.target_id, relation=given.relation),
        201,
    )


def _field(outcome: Outcome[Claim], name: str) -> Any:
    return getattr(outcome.event, name)
