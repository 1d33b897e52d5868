"""Reading the audit log: its events with their leaves, the latest checkpoint, and proofs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from typing import Any

from domain.errors import InvalidValueError, NotFoundError
from infra.integrity import checkpoints, merkle
from infra.integrity.leaves import parse
from infra.integrity.signing import Checkpoint
from infra.integrity.structure import known_events
from infra.ledger.application import Ledger
from infra.projections.audit_view import TABLES, StoredTree, tree_size
from infra.projections.store import Cursor, ViewStore
from infra.store.event_types import event_data, event_type, plain


class LeafNotFoundError(NotFoundError):
    """Raised when a position is not (or not yet) a leaf of the audit log."""

    code = "leaf-not-found"


class NoCheckpointError(NotFoundError):
    """Raised when no checkpoint has been signed yet."""

    code = "no-checkpoint"


class TreeSizeError(InvalidValueError):
    """Raised when a proof is asked for a tree the log does not have (or cannot prove in it)."""

    code = "invalid-tree-size"


def log_item(ledger: Ledger, record: Any, leaf_hash: str | None) -> dict[str, Any]:
    """One entry of /audit/log and of `claimtrail export`. An event that is not of a known
    class, or does not decode (written behind the application's back: `verify` names it), is
    listed with its stored fields only (type "unknown", data null)."""
    event: Any = None
    if record.topic in known_events():  # never import a module a stored topic names
        with suppress(Exception):  # whatever a forged state makes a value object raise
            event = ledger.mapper.to_domain_event(record)
    kind = "unknown.unknown" if event is None else event_type(event)
    meta = getattr(event, "meta", None)
    return {
        "position": record.id,
        "aggregate_id": str(record.originator_id),
        "aggregate_type": kind.partition(".")[0],
        "version": record.originator_version,
        "type": kind if event is not None else "unknown",
        "topic": record.topic,
        "recorded_at": None if event is None else plain(event.timestamp),
        "recorded_by": str(meta.principal_id) if meta else None,
        "data": None if event is None else event_data(event),
        "payload": parse(record.state),
        "leaf_hash": leaf_hash,
    }


class AuditLog:
    def __init__(self, ledger: Ledger, store: ViewStore) -> None:
        self.ledger, self.store = ledger, store

    @classmethod
    def of(cls, ledger: Ledger) -> AuditLog:
        """The audit log of a ledger outside the service (its tables made if missing)."""
        store = ViewStore(ledger.recorder)
        store.create(TABLES)
        return cls(ledger, store)

    def pages(self, limit: int = 1000) -> Iterator[list[dict[str, Any]]]:
        after: int | None = 0
        while after is not None:
            items, after = self.items(after, limit)
            yield items

    def items(self, after: int, limit: int) -> tuple[list[dict[str, Any]], int | None]:
        """Events after position `after`, with their stored leaf hashes (None until projected);
        the position to continue after when the page is full."""
        records = self.ledger.recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        if not records:
            return [], None
        with self.store.transaction(commit=False) as cursor:
            rows = cursor.execute(
                "SELECT position, leaf_hash FROM {rm_audit_leaves}"
                " WHERE position > ? AND position <= ?",
                (after, records[-1].id),
            ).fetchall()
        leaves = {int(r["position"]): r["leaf_hash"] for r in rows}
        items = [log_item(self.ledger, r, leaves.get(r.id)) for r in records]
        return items, records[-1].id if len(records) == limit else None

    def checkpoint(self) -> Checkpoint:
        with self.store.transaction(commit=False) as cursor:
            found = checkpoints.latest(cursor)
        if found is None:
            raise NoCheckpointError("no checkpoint has been signed yet")
        return found

    def checkpoints(self, after: int, limit: int) -> tuple[list[Checkpoint], int | None]:
        """Checkpoints of tree sizes above `after`; the size to continue after when full."""
        with self.store.transaction(commit=False) as cursor:
            found = checkpoints.page(cursor, after, limit)
        return found, found[-1].tree_size if len(found) == limit else None

    def inclusion(self, position: int, size: int | None) -> dict[str, Any]:
        with self.store.transaction(commit=False) as cursor:
            row = cursor.execute(
                "SELECT leaf_index, leaf_hash,"
                " (SELECT MAX(leaf_index) + 1 FROM {rm_audit_leaves}) AS leaves"
                " FROM {rm_audit_leaves} WHERE position = ?",
                (position,),
            ).fetchone()
            if row is None:
                raise LeafNotFoundError(f"position {position} is not in the audit log (yet)")
            index, size = int(row["leaf_index"]), self._size(cursor, size, int(row["leaves"]))
            if index >= size:
                raise TreeSizeError(
                    f"position {position} is leaf {index}, outside a tree of {size} leaves"
                )
            path = StoredTree(cursor).prefetched(
                lambda tree: merkle.inclusion_proof(tree, index, size)
            )
        return {
            "leaf_index": index,
            "tree_size": size,
            "leaf_hash": row["leaf_hash"],
            "path": [p.hex() for p in path],
        }

    def consistency(self, first: int, second: int | None) -> dict[str, Any]:
        with self.store.transaction(commit=False) as cursor:
            second = self._size(cursor, second)
            if first > second:
                raise TreeSizeError(f"first ({first}) is larger than second ({second})")
            path = StoredTree(cursor).prefetched(
                lambda tree: merkle.consistency_proof(tree, first, second)
            )
        return {"first": first, "second": second, "path": [p.hex() for p in path]}

    def _size(self, cursor: Cursor, size: int | None, leaves: int | None = None) -> int:
        """`size`, checked against the tree (of `leaves` leaves, read if not given); by default
        the latest checkpoint's."""
        if size is None:
            latest = checkpoints.latest(cursor)
            if latest is None:
                raise NoCheckpointError("no checkpoint has been signed yet; give a tree size")
            return latest.tree_size
        leaves = tree_size(cursor) if leaves is None else leaves
        if not 1 <= size <= leaves:
            raise TreeSizeError(f"the audit tree has {leaves} leaves, not {size}", tree_size=leaves)
        return size
