"""Candidate claims of a registered source, read against the actor registry."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
from eventsourcing.utils import get_topic

from domain.actors import Actor
from domain.extraction import ActorEntry, Candidate, extract
from infra.ledger.application import Ledger
from infra.projections.store import ViewStore


def actors_from_view(store: ViewStore) -> list[ActorEntry]:
    """Every actor of the actors view (one read; what the API uses)."""
    with store.transaction(commit=False) as cursor:
        rows = cursor.execute("SELECT body FROM {rm_actors} ORDER BY seq").fetchall()
    return [_entry(orjson.loads(row["body"])) for row in rows]


def actors_from_log(ledger: Ledger) -> list[ActorEntry]:
    """Every actor, read from the log's actor events (needs no projector; what the CLI uses)."""
    topics = [get_topic(Actor.Registered), get_topic(Actor.AliasAdded)]
    bodies: dict[UUID, dict[str, Any]] = {}
    start = 0
    while batch := ledger.recorder.select_notifications(
        start=start, limit=500, topics=topics, inclusive_of_start=False
    ):
        for notification in batch:
            event = ledger.mapper.to_domain_event(notification)
            if isinstance(event, Actor.Registered):
                bodies[event.originator_id] = {
                    "id": event.slug,
                    "name": event.name,
                    "kind": event.kind.value,
                    "aliases": list(event.aliases),
                }
            elif isinstance(event, Actor.AliasAdded):
                bodies[event.originator_id]["aliases"].append(event.alias)
        start = batch[-1].id
    return [_entry(body) for body in bodies.values()]


def _entry(body: dict[str, Any]) -> ActorEntry:
    return ActorEntry(body["id"], body["name"], body["kind"], True, tuple(body["aliases"]))


def source_candidates(ledger: Ledger, source_id: UUID, actors: list[ActorEntry]) -> list[Candidate]:
    """The candidates of the source's text (none when it has no text)."""
    source = ledger.sources.get(source_id)
    if source.text is None:
        return []
    return extract(source.text, actors, source.authors, source.language)


def _actor(actor: ActorEntry | None) -> str | None:
    # A known actor by id (what POST /claims takes); an unknown one by the name found.
    if actor is None:
        return None
    return actor.id if actor.known else actor.name


def candidate_json(candidate: Candidate) -> dict[str, Any]:
    """The candidate as the API and `claimtrail extract --json` show it: actors by id (names
    the registry does not know are listed in `proposed_actors`), the relation by slug."""
    roles = (candidate.claimant, candidate.subject, candidate.object)
    proposed = {a.id: a for a in roles if a is not None and not a.known}
    return {
        "exact": candidate.exact,
        "prefix": candidate.prefix,
        "suffix": candidate.suffix,
        "start": candidate.start,
        "end": candidate.end,
        "statement": candidate.statement,
        "kind": candidate.kind,
        "claimant": _actor(candidate.claimant),
        "subject": _actor(candidate.subject),
        "relation": candidate.relation.slug if candidate.relation else None,
        "object": _actor(candidate.object),
        "score": candidate.score,
        "rules": list(candidate.rules),
        "proposed_actors": [
            {"id": a.id, "name": a.name, "kind": a.kind} for a in proposed.values()
        ],
    }
