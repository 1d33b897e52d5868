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
        actor = change.state
        if not isinstance(actor, Actor):
            return
        if actor.version == 1:
            seq = change.position
        else:
            seq = cursor.scalar("SELECT seq FROM {rm_actors} WHERE slug = ?", (actor.slug,))
        cursor.execute(
            "INSERT INTO {rm_actors} (slug, seq, body) VALUES (?, ?, ?)"
            " ON CONFLICT (slug) DO UPDATE SET body = excluded.body",
            (actor.slug, seq, orjson.dumps(actor_body(actor)).decode()),
        )
        names = {fold_name(n) for n in [actor.slug, *actor.names]}
        cursor.executemany(
            "INSERT INTO {rm_actor_names} (folded, slug, seq) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            [(n, actor.slug, seq) for n in names],
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
