"""Relationships between actors: directed edges per relation, and a pair's stance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from infra.projections.relationships_view import STANCE_DOC, edges, stance
from service.deps import FreshViews, LedgerDep, Reader
from service.responses import JSON
from service.times import Instant

router = APIRouter(prefix="/relationships", tags=["relationships"], dependencies=[Reader])

Slug = Annotated[str, Query(max_length=63, pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
AsOf = Annotated[Instant | None, Query(description="the view as it stood at this time")]


def _actor(ledger: Any, slug: str) -> dict[str, str]:
    actor = ledger.get_actor(slug)  # 404 problem when unknown
    return {"id": actor.slug, "name": actor.name}


@router.get("", responses={404: {"description": "The actor is unknown."}})
def relationships(views: FreshViews, ledger: LedgerDep, actor: Slug, as_of: AsOf = None) -> JSON:
    """Directed edges touching `actor`: `{source, target, relation, claims, active_claims,
    verdicts, first_occurred_on, last_occurred_on, first_recorded_at, last_recorded_at,
    claim_ids}`. Retracted claims and claims reviewed `false` are not active."""
    _actor(ledger, actor)
    return JSON({"items": edges(views.edge_rows(actor, None, as_of)), "next_cursor": None})


@router.get("/{a}/{b}", description=f"The pair in both directions.\n\n{STANCE_DOC}")
def pair(a: str, b: str, views: FreshViews, ledger: LedgerDep, as_of: AsOf = None) -> JSON:
    actors = [_actor(ledger, a), _actor(ledger, b)]
    rows = views.edge_rows(a, b, as_of)
    return JSON(
        {
            "actors": actors,
            "edges": edges(rows),
            "stance": stance(rows),
            "claim_ids": sorted({r["claim_id"] for r in rows}),
        }
    )
