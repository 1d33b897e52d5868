"""One batch of the audit view: its leaves, nodes and key rotations, the check that each
aggregate's versions in it continue the log before it, and which key signs its checkpoint."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from infra.integrity import checkpoints
from infra.integrity.structure import Versions
from infra.projections.store import Cursor


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
        rows = cursor.select_in(
            f"SELECT originator_id AS id, MAX(originator_version) AS version"  # noqa: S608
            f" FROM {store.events_table} WHERE {store.events_position} < {int(first)}"
            " AND originator_id IN (?...) GROUP BY originator_id",
            [stored_id(store.postgres, a) for a in dict.fromkeys(a for _, a, _ in self.versions)],
        )
        versions = Versions({str(UUID(str(r["id"]))): int(r["version"]) for r in rows})
        for position, aggregate, version in self.versions:
            versions.check(position, aggregate, version)

    def write(self, cursor: Cursor) -> None:
        cursor.insert("rm_audit_leaves", ("leaf_index", "position", "leaf_hash"), self.leaves)
        cursor.insert("rm_audit_nodes", ("level", "node_index", "hash"), self.nodes)
        cursor.insert("rm_audit_keys", ("leaf_index", "key_id", "public_key"), self.keys)


def stored_id(postgres: bool, aggregate_id: Any) -> Any:
    """An aggregate id as the events table holds it (uuid; 32 hex digits on SQLite)."""
    return aggregate_id if postgres else UUID(str(aggregate_id)).hex


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
