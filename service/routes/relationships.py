"""Relationships between actors: directed edges per relation, and a pair's stance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from infra.projections.read_model import ReadModel
from infra.projections.relationship_graph import by_occurred, by_recorded, top_actors
from infra.projections.relationships_view import STANCE_DOC, edges, stance
from service.deps import LedgerDep, Reader, fresh
from service.responses import JSON
from service.times import Instant

router = APIRouter(prefix="/relationships", tags=["relationships"], dependencies=[Reader])

Slug = Annotated[str, Query(max_length=63, pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
AsOf = Annotated[Instant | None, Query(description="the view as it stood at this time")]
# Actors' names and existence are read from the log (`_actor`); the graph's nodes from the view.
EdgesView = Annotated[ReadModel, fresh("relationships")]
GraphViews = Annotated[ReadModel, fresh("relationships", "actors")]


def _actor(ledger: Any, slug: str) -> dict[str, str]:
    actor = ledger.actors.get(slug)  # 404 problem when unknown
    return {"id": actor.slug, "name": actor.name}


@router.get("", responses={404: {"description": "The actor is unknown."}})
def relationships(views: EdgesView, ledger: LedgerDep, actor: Slug, as_of: AsOf = None) -> JSON:
    """Directed edges touching `actor`: `{source, target, relation, claims, active_claims,
    verdicts, first_occurred_on, last_occurred_on, first_recorded_at, last_recorded_at,
    claim_ids}`. Retracted claims and claims reviewed `false` are not active."""
    _actor(ledger, actor)
    return JSON({"items": edges(views.edge_rows(actor, None, as_of)), "next_cursor": None})


@router.get("/graph")
def graph(
    views: GraphViews,
    as_of: AsOf = None,
    limit: Annotated[int, Query(ge=1, le=500, description="at most this many actors")] = 60,
) -> JSON:
    """Every pair at once, for drawing: `{nodes: [{id, name, kind, active_claims}], edges:
    [{source, target, relation, claims, active_claims}]}`. Nodes are the `limit` actors with
    the most active claims on their edges (ties by id); edges are those between two of them,
    one per direction and relation. `as_of` reads the view as it stood then."""
    every = views.graph_edges(as_of)  # `truncated`: some linked actors were left out
    ranked = top_actors(every, limit)
    kept = {slug for slug, _ in ranked}
    bodies = views.actor_bodies(sorted(kept))
    nodes = [
        {
            "id": slug,
            "name": bodies.get(slug, {}).get("name", slug),
            "kind": bodies.get(slug, {}).get("kind"),
            "active_claims": weight,
        }
        for slug, weight in ranked
    ]
    kept_edges = [e for e in every if e["source"] in kept and e["target"] in kept]
    linked = {end for e in every for end in (e["source"], e["target"])}
    return JSON({"nodes": nodes, "edges": kept_edges, "truncated": len(linked) > len(kept)})


@router.get("/{a}/{b}/history", responses={404: {"description": "An actor is unknown."}})
def pair_history(a: str, b: str, views: EdgesView, ledger: LedgerDep, as_of: AsOf = None) -> JSON:
    """The pair's stance over time. `recorded`: `[{at, score, cooperation, conflict, claims}]`,
    the stance after each moment the ledger's knowledge of the pair changed (a claim recorded,
    reviewed, disputed, retracted...), up to `as_of`; its `at` values are the moments an
    `as_of` read of the pair can tell apart. `occurred`: `[{on, period, running, claim_ids}]`,
    the claims valid at `as_of` (default now) grouped by the date they are about, oldest first
    and undated (`on: null`) last, each period's stance and the running stance up to it."""
    actors = [_actor(ledger, a), _actor(ledger, b)]
    rows = views.pair_rows(actors[0]["id"], actors[1]["id"])
    return JSON(
        {
            "actors": actors,
            "as_of": as_of.isoformat().replace("+00:00", "Z") if as_of else None,
            "recorded": by_recorded(rows, as_of),
            "occurred": by_occurred(rows, as_of),
        }
    )


@router.get("/{a}/{b}", description=f"The pair in both directions.\n\n{STANCE_DOC}")
def pair(a: str, b: str, views: EdgesView, ledger: LedgerDep, as_of: AsOf = None) -> JSON:
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
