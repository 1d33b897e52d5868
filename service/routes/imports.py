"""Importing ClaimReview JSON-LD (reviewer)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from infra.claimreview.importer import ClaimReviewImport
from infra.claimreview.parse import claim_reviews
from service.deps import LedgerDep, ReviewerContext
from service.errors import HTTPProblem
from service.responses import JSON

router = APIRouter(prefix="/import", tags=["import"])


@router.post("/claimreview")
def import_claim_review(
    ctx: ReviewerContext,
    ledger: LedgerDep,
    document: Annotated[
        Any,
        Body(
            description=(
                "ClaimReview JSON-LD: one object, an array, an @graph, or any JSON "
                "with ClaimReview objects inside"
            )
        ),
    ],
) -> JSON:
    """Import every ClaimReview in the document. Each item creates or reuses its source,
    claimant actor and claim and adds its review in one transaction; an invalid item is
    reported in `items` with its `error` and writes nothing. Importing the same items again
    changes nothing (their status is `unchanged`; `Idempotent-Replayed: true` when nothing
    at all was written)."""
    if not claim_reviews(document):
        raise HTTPProblem(422, "the document contains no ClaimReview", "no-claimreview")
    results = ClaimReviewImport(ledger).import_document(ctx, document)
    items = [
        {
            "index": r.index,
            "status": r.status,
            "claim_id": _text(r.claim_id),
            "review_id": _text(r.review_id),
            "position": r.position,
            "error": r.error,
        }
        for r in results
    ]
    counts = {s: sum(r.status == s for r in results) for s in ("imported", "unchanged", "error")}
    headers = (
        {"Idempotent-Replayed": "true"} if counts["imported"] == 0 and not counts["error"] else {}
    )
    positions = [r.position for r in results if r.position is not None]
    return JSON(
        {"items": items, **counts, "position": max(positions, default=None)}, headers=headers
    )


def _text(value: object) -> str | None:
    return str(value) if value is not None else None
