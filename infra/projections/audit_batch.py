"""One batch of the audit view: its leaves, nodes and key rotations, the check that each
aggregate's versions in it continue the log before it, and which key signs its checkpoint."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from infra.integrity import checkpoints
from infra.integrity.structure import Versions
from infra.projections.store import Cursor
from infra.store.event_types import uuid_text


class BatchRows:
    """A batch's leaves, nodes and key rotations, written together before its commit (COPY on
    PostgreSQL), after the batch's versions are checked against the log before it."""

    def __init__(self) -> None:
        self.leaves: list[tuple[int, int, str]] = []
        self.nodes: list[tuple[int, int, str]] = []
        self.keys: list[tuple[int, str, str]] = []  # (leaf index, new key id, new public key)
        self.versions: list[tuple[int, Any, int]] = []  # (position, aggregate id, version)
        self.sign = False  # the batch ends here: sign a checkpoint after writing it

    def check_versions(self, cursor: Cursor) -> None:
        """Each aggregate's versions in this batch continue its versions before the batch."""
        if not self.versions:
            return
        store, first = cursor.store, self.versions[0][0]
        # Each id as text once, from the views' cache (UUID.__str__ is Python code).
        checks = [(position, _text(a), version) for position, a, version in self.versions]
        ids = {text: a for (_, text, _), (_, a, _) in zip(checks, self.versions, strict=True)}
        rows = cursor.select_in(
            f"SELECT originator_id AS id, MAX(originator_version) AS version"  # noqa: S608
            f" FROM {store.events_table} WHERE {store.events_position} < {int(first)}"
            " AND originator_id IN (?...) GROUP BY originator_id",
            # As the events table holds them: uuid; 32 hex digits on SQLite.
            list(ids.values()) if store.postgres else [UUID(text).hex for text in ids],
        )
        versions = Versions({_canonical(r["id"]): int(r["version"]) for r in rows})
        for position, text, version in checks:
            versions.check(position, text, version)

    def write(self, cursor: Cursor) -> None:
        cursor.insert("rm_audit_leaves", ("leaf_index", "position", "leaf_hash"), self.leaves)
        cursor.insert("rm_audit_nodes", ("level", "node_index", "hash"), self.nodes)
        cursor.insert("rm_audit_keys", ("leaf_index", "key_id", "public_key"), self.keys)


def _text(aggregate_id: Any) -> str:
    """`str(aggregate_id)`: what Versions keys an aggregate by."""
    return uuid_text(aggregate_id) if type(aggregate_id) is UUID else str(aggregate_id)


def _canonical(stored: Any) -> str:
    """`str(UUID(str(stored)))` of an id as the events table holds it (a UUID on PostgreSQL)."""
    return uuid_text(stored) if type(stored) is UUID else str(UUID(str(stored)))


def stored_public_key(cursor: Cursor, wanted: str | None) -> str | None:
    found = cursor.scalar("SELECT public_key FROM {rm_audit_keys} WHERE key_id = ?", (wanted,))
    return None if found is None else str(found)


def active_key_id(cursor: Cursor, batch_keys: list[tuple[int, str, str]]) -> str | None:
    if batch_keys:
        return batch_keys[-1][1]
    rotated = cursor.scalar("SELECT key_id FROM {rm_audit_keys} ORDER BY leaf_index DESC LIMIT 1")
    if rotated is not None:
        return str(rotated)
    latest = checkpoints.latest(cursor)
    return None if latest is None else latest.key_id
