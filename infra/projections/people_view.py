"""The people view: each principal's public face (display name, organization), never its keys.

Built from the principal events alone (no state needed), so nothing secret can reach it: a
row is the principal's id, its display name and its organization, and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from domain.principals import Principal
from infra.projections.projector import Change
from infra.projections.store import Cursor

TABLES = [
    "CREATE TABLE IF NOT EXISTS {rm_people} (id TEXT PRIMARY KEY, seq BIGINT NOT NULL UNIQUE,"
    " body TEXT NOT NULL)",
]


def person_body(principal_id: str, display_name: str, organization: Any = None) -> dict[str, Any]:
    return {"id": principal_id, "display_name": display_name, "organization": organization}


class PeopleView:
    name = "people"
    tables = TABLES
    consumes = (Principal.Event,)  # the events it reads; the projector decodes no other

    def apply(self, cursor: Cursor, change: Change) -> None:
        event = change.event
        if isinstance(event, Principal.Registered):
            principal_id = str(event.originator_id)
            body = person_body(principal_id, event.display_name or event.name)
            cursor.execute(
                "INSERT INTO {rm_people} (id, seq, body) VALUES (?, ?, ?)",
                (principal_id, change.position, orjson.dumps(body).decode()),
            )
        elif isinstance(event, Principal.DisplayNameChanged):
            self._update(cursor, str(event.originator_id), display_name=event.display_name)

    def _update(self, cursor: Cursor, principal_id: str, **fields: Any) -> None:
        stored = cursor.scalar("SELECT body FROM {rm_people} WHERE id = ?", (principal_id,))
        if stored is None:  # a principal is registered before it changes; never stall on one
            return
        body = orjson.loads(stored) | fields
        cursor.execute(
            "UPDATE {rm_people} SET body = ? WHERE id = ?",
            (orjson.dumps(body).decode(), principal_id),
        )


def list_people(cursor: Cursor, after: int, limit: int) -> tuple[list[Any], int | None]:
    """People in the order they were registered, a keyset page after `after`."""
    rows = cursor.execute(
        "SELECT seq, body FROM {rm_people} WHERE seq > ? ORDER BY seq LIMIT ?",
        (after, limit + 1),
    ).fetchall()
    bodies = [orjson.loads(r["body"]) for r in rows[:limit]]
    return bodies, int(rows[limit - 1]["seq"]) if len(rows) > limit else None


def people_by_id(cursor: Cursor, ids: Sequence[str]) -> dict[str, Any]:
    """The people with these ids, by id (unknown ids are left out)."""
    rows = cursor.select_in("SELECT id, body FROM {rm_people} WHERE id IN (?...)", list(ids))
    return {r["id"]: orjson.loads(r["body"]) for r in rows}
