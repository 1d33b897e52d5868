"""The actors view: actors with every name and alias folded for search."""

from __future__ import annotations

from typing import Any

import orjson

from domain.actors import Actor, fold_name
from infra.projections.projector import Change
from infra.projections.store import Cursor
from infra.store.event_types import plain

TABLES = [
    "CREATE TABLE IF NOT EXISTS {rm_actors} (slug TEXT PRIMARY KEY, seq BIGINT NOT NULL UNIQUE,"
    " body TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {rm_actor_names} (folded TEXT NOT NULL, slug TEXT NOT NULL,"
    " seq BIGINT NOT NULL, PRIMARY KEY (folded, slug))",
]


def actor_body(actor: Actor) -> dict[str, Any]:
    return {
        "id": actor.slug,
        "name": actor.name,
        "kind": actor.kind.value,
        "aliases": actor.aliases,
        "external_ids": actor.external_ids,
        "affiliations": actor.affiliations,
        "recorded_at": plain(actor.created_on),
        "recorded_by": str(actor.recorded_by),
        "version": actor.version,
    }


class ActorsView:
    name = "actors"
    tables = TABLES
    consumes = (Actor.Event,)  # the events it reads; the projector decodes no other

    def apply(self, cursor: Cursor, change: Change) -> None:
        """Remember the actor; its row and names are written once per batch (`flush`)."""
        actor = change.state
        if not isinstance(actor, Actor):
            return
        batch = cursor.deferred(self.name, dict, self.flush)
        _, seq, names = batch.pop(actor.slug, (None, None, set()))
        if actor.version == 1:
            seq = change.position
        names.update(fold_name(n) for n in [actor.slug, *actor.names])
        batch[actor.slug] = (actor, seq, names)

    def flush(self, cursor: Cursor, batch: dict[str, tuple[Actor, int | None, set[str]]]) -> None:
        """Each actor's last state, and every name it had in the batch (names are only ever
        added), in a few multi-row statements; the seq of an actor registered before the batch
        is read in one query."""
        known = [slug for slug, (_, seq, _) in batch.items() if seq is None]
        found = cursor.select_in("SELECT slug, seq FROM {rm_actors} WHERE slug IN (?...)", known)
        seqs = {r["slug"]: r["seq"] for r in found}
        rows, names = [], []
        for slug, (actor, given, folded) in batch.items():
            seq = given if given is not None else seqs.get(slug)
            rows.append((slug, seq, orjson.dumps(actor_body(actor)).decode()))
            names += [(n, slug, seq) for n in sorted(folded)]
        cursor.executemany(
            "INSERT INTO {rm_actors} (slug, seq, body) VALUES (?, ?, ?)"
            " ON CONFLICT (slug) DO UPDATE SET body = excluded.body",
            rows,
        )
        cursor.executemany(
            "INSERT INTO {rm_actor_names} (folded, slug, seq) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            names,
        )


def search_actors(
    cursor: Cursor, q: str | None, after: int, limit: int
) -> tuple[list[Any], int | None]:
    """Actors whose id, name or alias contains `q` (folded), in recording order."""
    if q:
        # Escaped, not deleted: folded names keep '_' ("@kremlin_ru" -> "kremlin_ru").
        folded = fold_name(q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = cursor.execute(
            "SELECT a.seq, a.body FROM {rm_actors} a WHERE a.seq > ? AND a.slug IN"
            " (SELECT slug FROM {rm_actor_names} WHERE folded LIKE ? ESCAPE '\\')"
            " ORDER BY a.seq LIMIT ?",
            (after, f"%{folded}%", limit + 1),
        ).fetchall()
    else:
        rows = cursor.execute(
            "SELECT a.seq, a.body FROM {rm_actors} a WHERE a.seq > ? ORDER BY a.seq LIMIT ?",
            (after, limit + 1),
        ).fetchall()
    bodies = [orjson.loads(r["body"]) for r in rows[:limit]]
    return bodies, int(rows[limit - 1]["seq"]) if len(rows) > limit else None


def actor_bodies(cursor: Cursor, slugs: list[str]) -> dict[str, Any]:
    """The actors with these ids, by id (unknown ids are left out)."""
    rows = cursor.select_in("SELECT slug, body FROM {rm_actors} WHERE slug IN (?...)", slugs)
    return {r["slug"]: orjson.loads(r["body"]) for r in rows}
