"""Similar claims: claims already recorded that say nearly the same thing as a given one."""

from __future__ import annotations

import logging
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from domain.claims import Claim
from domain.similarity import THRESHOLD, Similar
from infra.projections.read_model import ReadModel
from infra.projections.similar_lookups import SimilarLookups
from infra.projections.similar_view import shape
from service.deps import LedgerDep, Reader, fresh
from service.responses import JSON

router = APIRouter(prefix="/claims", tags=["claims"], dependencies=[Reader])
log = logging.getLogger("claimtrail.similar")
SimilarView = Annotated[ReadModel, fresh("similar")]  # the claim itself is read from the log

HOW = (
    "Similarity is a weighted Jaccard index (0-1) of features that survive paraphrase: the "
    "claim's subject, relation and object, actors named in the statement by name, alias or "
    "demonym (resolved through the registry), relations cued by its verbs, numbers, and its "
    "other words stemmed with stop words left out; word order does not matter. Deterministic: "
    "the same claims give the same score. Computed on the read views, which may lag the log "
    "by a moment: a claim recorded just before may not be found yet."
)


class SimilarOut(BaseModel):
    id: UUID
    score: float


def similar_json(
    views: ReadModel, claim: Claim, threshold: float = THRESHOLD, limit: int = 10
) -> list[dict[str, Any]]:
    return _items(views.similar(shape(claim), str(claim.id), threshold, limit))


def _items(found: list[Similar]) -> list[dict[str, Any]]:
    return [{"id": s.id, "score": s.score} for s in found]


async def similar_on_write(lookups: SimilarLookups, claim: Claim) -> list[dict[str, Any]] | None:
    """For the response to a write, which has already been saved (looked up with those of
    the other writes waiting, infra/projections/similar_lookups.py): a failure to read the
    views must not turn it into an error (None: not computed)."""
    try:
        found = await lookups.find(shape(claim), str(claim.id), THRESHOLD, 10)
    except Exception:
        log.exception("similar claims of %s not computed", claim.id)
        return None
    return _items(found)


@router.get(
    "/{claim_id}/similar",
    response_model=dict[str, list[SimilarOut]],
    description="Claims that say nearly the same thing as this one, best first (equal scores: "
    "the earlier recorded first); the claim itself and retracted claims are never listed. " + HOW,
)
def similar_claims(
    claim_id: UUID,
    ledger: LedgerDep,
    views: SimilarView,
    min_score: Annotated[
        float, Query(ge=0.05, le=1.0, description="the least score listed (default 0.7)")
    ] = THRESHOLD,
    limit: Annotated[int, Query(ge=1, le=50, description="at most this many (default 10)")] = 10,
) -> JSON:
    claim = ledger.claims.get(claim_id)
    return JSON({"items": similar_json(views, claim, min_score, limit)})
