"""Actor use cases: register, add aliases, resolve a name or alias to an actor."""

from __future__ import annotations

import difflib
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.utils import get_topic

from domain.actors import SLUG, Actor, fold_name
from domain.base import LedgerAggregate
from domain.errors import DuplicateError, UnknownActorError
from domain.reservations import Reservation, reservation_id
from domain.values import ActorKind, ActorRef
from infra.ledger.context import Context, Outcome
from infra.ledger.core import LedgerCore
from infra.ledger.errors import (
    AggregateMissingError,
    IdempotencyKeyReusedError,
    ReferenceNotFoundError,
)

NAME = "actor-name"


def actor_uuid(slug: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"claimtrail:actor:{slug}")


class Actors:
    def __init__(self, core: LedgerCore) -> None:
        self.core = core

    def register(
        self,
        ctx: Context,
        *,
        slug: str,
        name: str,
        kind: ActorKind,
        aliases: list[str],
        external_ids: dict[str, str],
        affiliations: list[str],
    ) -> Outcome[Actor]:
        actor_id = actor_uuid(slug)
        key_holder = self.core.key_holder(ctx)
        if key_holder is not None:
            replayed = self.core.replay(Actor, actor_id, ctx) if key_holder == actor_id else None
            if replayed is None:
                raise IdempotencyKeyReusedError(
                    "this Idempotency-Key was used with a different request"
                )
            return replayed
        for affiliation in affiliations:
            if not self.core.exists(actor_uuid(affiliation)):  # named in the body: a 422, not a 404
                raise ReferenceNotFoundError(
                    f"actor '{affiliation}' does not exist", affiliation=affiliation
                )

        def build() -> list[LedgerAggregate]:
            if self.core.exists(actor_id):
                raise DuplicateError(f"actor '{slug}' already exists", existing_id=slug)
            actor = Actor.register(
                actor_id=actor_id,
                slug=slug,
                name=name,
                kind=kind,
                aliases=aliases,
                external_ids=external_ids,
                affiliations=affiliations,
                meta=ctx.meta,
            )
            held = [self._reserve_name(n, actor, ctx) for n in actor.names]
            if ctx.idempotency_key is not None:
                held.append(self.core.key_reservation(ctx, actor_id))
            return [actor, *held]

        return self.core.create(Actor, actor_id, ctx, build)

    def add_alias(self, ctx: Context, slug: str, alias: str) -> Outcome[Actor]:
        def act(actor: Actor) -> list[LedgerAggregate]:
            actor.add_alias(alias, meta=ctx.meta)
            return [self._reserve_name(alias, actor, ctx)]

        return self.core.amend(Actor, self.get(slug).id, ctx, act)

    def get(self, slug: str) -> Actor:
        actor = self.core.find(Actor, actor_uuid(slug)) if SLUG.match(slug) else None
        if actor is None:
            raise AggregateMissingError(f"actor '{slug}' not found")
        return actor

    def resolve(self, name: str) -> ActorRef:
        """An actor by id, name or alias (case- and accent-insensitive). A resolution never
        changes once found (names are reserved for good, actors are never renamed)."""
        ref = self.core.immutable.get(("actor-name", name), lambda: self._resolve(name))
        assert isinstance(ref, ActorRef)
        return ref

    def resolved(self, name: str) -> bool:
        """Whether `resolve(name)` is answered from memory (no store read)."""
        return ("actor-name", name) in self.core.immutable

    def _resolve(self, name: str) -> ActorRef:
        actor = self.core.find(Actor, actor_uuid(name)) if SLUG.match(name) else None
        if (
            actor is None
            and (held := self.core.find(Reservation, reservation_id(NAME, fold_name(name))))
            is not None
        ):
            actor = self.core.load(Actor, held.holder_id)
        if actor is not None:
            return ActorRef(actor.slug, actor.name)
        names = self.names()
        close = difflib.get_close_matches(fold_name(name), list(names), n=5, cutoff=0.6)
        candidates = sorted({names[c] for c in close})
        raise UnknownActorError(f"no actor is called '{name}'", name=name, candidates=candidates)

    def names(self) -> dict[str, str]:
        """{folded name or alias: actor slug} for every actor, read from the log."""
        topics = [get_topic(Actor.Registered), get_topic(Actor.AliasAdded)]
        slugs: dict[UUID, str] = {}
        names: dict[str, str] = {}
        start = 0
        while batch := self.core.recorder.select_notifications(
            start=start, limit=500, topics=topics, inclusive_of_start=False
        ):
            for notification in batch:
                event = self.core.mapper.to_domain_event(notification)
                if isinstance(event, Actor.Registered):
                    slugs[event.originator_id] = event.slug
                    for n in [event.name, event.slug, *event.aliases]:
                        names[fold_name(n)] = event.slug
                elif isinstance(event, Actor.AliasAdded):
                    names[fold_name(event.alias)] = slugs[event.originator_id]
            start = batch[-1].id
        return names

    # -- helpers -----------------------------------------------------------------------------

    def _reserve_name(self, name: str, actor: Actor, ctx: Context) -> Reservation:
        folded = fold_name(name)
        held = self.core.find(Reservation, reservation_id(NAME, folded))
        if held is not None:
            holder = self.core.load(Actor, held.holder_id)
            raise DuplicateError(
                f"'{name}' already names actor '{holder.slug}'", existing_id=holder.slug
            )
        return Reservation.make(kind=NAME, value=folded, holder_id=actor.id, meta=ctx.meta)
