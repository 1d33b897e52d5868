"""Actors: who or what claims are about or made by."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from domain.actors import Actor
from domain.values import ActorKind
from infra.event_types import plain
from service.deps import ContributorContext, LedgerDep, Reader
from service.responses import JSON, resource, written

router = APIRouter(prefix="/actors", tags=["actors"], dependencies=[Reader])

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
ExternalKey = Annotated[str, Field(min_length=1, max_length=50)]


class ActorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Slug
    name: Name
    kind: ActorKind
    aliases: Annotated[list[Name], Field(max_length=100)] = []
    external_ids: Annotated[dict[ExternalKey, Name], Field(max_length=20,
                            examples=[{"wikidata": "Q148", "cameo": "CHN"}])] = {}
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


def actor_body(actor: Actor) -> dict[str, Any]:
    return {
        "id": actor.slug, "name": actor.name, "kind": actor.kind.value, "aliases": actor.aliases,
        "external_ids": actor.external_ids, "affiliations": actor.affiliations,
        "recorded_at": plain(actor.created_on), "recorded_by": str(actor.recorded_by),
        "version": actor.version,
    }


@router.post("", status_code=201, response_model=ActorOut)
def register_actor(given: ActorIn, ctx: ContributorContext, ledger: LedgerDep) -> JSON:
    """Register an actor. A duplicate id, or an alias that already names another actor: 409."""
    outcome = ledger.register_actor(
        ctx, slug=given.id, name=given.name, kind=given.kind, aliases=given.aliases,
        external_ids=given.external_ids, affiliations=given.affiliations)
    return written(outcome, actor_body(outcome.aggregate), status=201,
                   location=f"/actors/{given.id}")


@router.post("/{actor_id}/aliases", response_model=ActorOut)
def add_alias(actor_id: str, given: AliasIn, ctx: ContributorContext,
              ledger: LedgerDep) -> JSON:
    outcome = ledger.add_alias(ctx, actor_id, given.alias)
    return written(outcome, actor_body(outcome.aggregate))


@router.get("/{actor_id}", response_model=ActorOut)
def get_actor(actor_id: str, ledger: LedgerDep) -> JSON:
    actor = ledger.get_actor(actor_id)
    return resource(actor_body(actor), actor.version)
