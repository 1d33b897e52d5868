"""The people view: each principal's public face (display name, organization), never its keys.

Built from the principal and organization events alone (no state needed), so nothing secret
can reach it: a row is the principal's id, its display name and its organization (id and name:
the first it joined of those it is still in; never its role there), and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from domain.organizations import Organization
from domain.principals import Principal
from infra.projections.projector import Change
from infra.projections.store import Cursor

TABLES = [
    "CREATE TABLE IF NOT EXISTS {rm_people} (id TEXT PRIMARY KEY, seq BIGINT NOT NULL UNIQUE,"
    " body TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {rm_people_organizations} (id TEXT PRIMARY KEY,"
    " name TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {rm_people_memberships} (principal_id TEXT NOT NULL,"
    " organization_id TEXT NOT NULL, seq BIGINT NOT NULL,"
    " PRIMARY KEY (principal_id, organization_id))",
]


def person_body(principal_id: str, display_name: str, organization: Any = None) -> dict[str, Any]:
    return {"id": principal_id, "display_name": display_name, "organization": organization}


class PeopleView:
    name = "people"
    tables = TABLES
    # the events it reads; the projector decodes no other
    consumes = (Principal.Event, Organization.Event)

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
        elif isinstance(event, Organization.Created):
            cursor.execute(
                "INSERT INTO {rm_people_organizations} (id, name) VALUES (?, ?)",
                (str(event.originator_id), event.name),
            )
        elif isinstance(event, Organization.MemberAdded):
            principal_id = str(event.principal_id)
            cursor.execute(
                "INSERT INTO {rm_people_memberships} (principal_id, organization_id, seq)"
                " VALUES (?, ?, ?)",
                (principal_id, str(event.originator_id), change.position),
            )
            self._update(cursor, principal_id, organization=self._first(cursor, principal_id))
        elif isinstance(event, Organization.MemberRemoved):
            principal_id = str(event.principal_id)
            cursor.execute(
                "DELETE FROM {rm_people_memberships} WHERE principal_id = ?"
                " AND organization_id = ?",
                (principal_id, str(event.originator_id)),
            )
            self._update(cursor, principal_id, organization=self._first(cursor, principal_id))

    def _first(self, cursor: Cursor, principal_id: str) -> dict[str, str] | None:
        """The organization the principal joined first among those it is still in."""
        row = cursor.execute(
            "SELECT o.id, o.name FROM {rm_people_memberships} m"
            " JOIN {rm_people_organizations} o ON o.id = m.organization_id"
            " WHERE m.principal_id = ? ORDER BY m.seq LIMIT 1",
            (principal_id,),
        ).fetchone()
        return {"id": row["id"], "name": row["name"]} if row is not None else None

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
