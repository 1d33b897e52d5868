"""Actors: who or what claims are about or made by."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from domain.values import ActorKind
from infra.projections.actors_view import actor_body
from infra.projections.read_model import ReadModel
from service.deps import ContributorContext, LedgerDep, Reader, fresh
from service.pagination import CursorParam, Limit, decode, page
from service.responses import JSON, resource, written

router = APIRouter(prefix="/actors", tags=["actors"], dependencies=[Reader])
ActorsView = Annotated[ReadModel, fresh("actors")]

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
ExternalKey = Annotated[str, Field(min_length=1, max_length=50)]


class ActorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Slug
    name: Name
    kind: ActorKind
    aliases: Annotated[list[Name], Field(max_length=100)] = []
    external_ids: Annotated[
        dict[ExternalKey, Name],
        Field(max_length=20, examples=[{"wikidata": "Q148", "cameo": "CHN"}]),
    ] = {}
    affiliations: Annotated[list[Slug], Field(max_length=50)] = []


class AliasIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    alias: Name


class ActorOut(BaseModel):
    id: str
    name: str
    kind: ActorKind
    aliases: list[str]
    external_ids: dict[str, str]
    affiliations: list[str]
    recorded_at: str
    recorded_by: str
    version: int
    position: int | None = None


@router.post("", status_code=201, response_model=ActorOut)
def register_actor(given: ActorIn, ctx: ContributorContext, ledger: LedgerDep) -> JSON:
    """Register an actor. A duplicate id, or an alias that already names another actor: 409."""
    outcome = ledger.actors.register(
        ctx,
        slug=given.id,
        name=given.name,
        kind=given.kind,
        aliases=given.aliases,
        external_ids=given.external_ids,
        affiliations=given.affiliations,
    )
    return written(
        outcome, actor_body(outcome.aggregate), status=201, location=f"/actors/{given.id}"
    )


@router.post("/{actor_id}/aliases", response_model=ActorOut)
def add_alias(actor_id: str, given: AliasIn, ctx: ContributorContext, ledger: LedgerDep) -> JSON:
    outcome = ledger.actors.add_alias(ctx, actor_id, given.alias)
    return written(outcome, actor_body(outcome.aggregate))


@router.get("", response_model=dict[str, list[ActorOut] | str | None])
def search_actors(
    request: Request,
    views: ActorsView,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description=("id, name or alias contains this; case- and accent-insensitive"),
        ),
    ] = None,
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> JSON:
    """Actors by id, name or alias ("Bejing", "beijing" and "Beijing" all find China)."""
    items, next_key = views.actors(q, decode(cursor, int) or 0, limit)
    return page(request, items, next_key)


@router.get("/{actor_id}", response_model=ActorOut)
def get_actor(actor_id: str, ledger: LedgerDep) -> JSON:
    actor = ledger.actors.get(actor_id)
    return resource(actor_body(actor), actor.version)
