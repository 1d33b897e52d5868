"""`claimtrail verify`: recompute every leaf from the stored events and check the audit tables.

Each event's leaf is recomputed from its stored record and compared, in order, with the stored
leaf (index, position, hash); then every stored subtree hash and every checkpoint (its root over
the recomputed leaves, and its signature) is checked. The first position that does not match is
the one to investigate; later ones usually follow from it (a deleted event shifts the rest).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from infra.integrity import checkpoints
from infra.integrity.leaves import record_leaf
from infra.integrity.merkle import MerkleTree, leaf_hash
from infra.integrity.report import Progress, Report
from infra.integrity.signing import Checkpoint, verify_checkpoint
from infra.ledger import Ledger
from infra.projections.audit_view import TABLES
from infra.projections.store import ViewStore

PAGE = 5000


def verify_ledger(
    ledger: Ledger, public_key: Ed25519PublicKey, progress: Progress = lambda done, total: None
) -> Report:
    store = ViewStore(ledger.recorder)
    store.create(TABLES)
    with store.transaction(commit=False) as cursor:
        # Read before the events: a checkpoint signed meanwhile would name events not yet read.
        signed = checkpoints.every(cursor)
    report, tree, positions = Report(), MerkleTree(), array("q")
    _compare_leaves(ledger, store, report, tree, positions, progress)
    _compare_nodes(store, report, tree, positions)
    good = 0  # leaves under a checkpoint whose root matched are known good
    for checkpoint in signed:
        good = _check_checkpoint(checkpoint, public_key, report, tree, positions, good)
    return report


def _records(ledger: Ledger) -> Iterator[Any]:
    after = 0
    while records := ledger.recorder.select_notifications(
        start=after, limit=PAGE, inclusive_of_start=False
    ):
        yield from records
        after = records[-1].id


def _stored(store: ViewStore, table: str, key: tuple[str, ...]) -> Iterator[Any]:
    """Every row of an audit table in key order, a page per transaction (keyset paging)."""
    columns, marks = ", ".join(key), ", ".join("?" * len(key))
    last: tuple[Any, ...] | None = None
    while True:
        where = "" if last is None else f"WHERE ({columns}) > ({marks})"
        with store.transaction(commit=False) as cursor:
            rows = cursor.execute(
                f"SELECT * FROM {{{table}}} {where}"  # noqa: S608
                f" ORDER BY {columns} LIMIT ?",
                (*(last or ()), PAGE),
            ).fetchall()
        yield from rows
        if len(rows) < PAGE:
            return
        last = tuple(rows[-1][k] for k in key)


def _leaf(record: Any, report: Report) -> bytes:
    try:
        return record_leaf(record)
    except ValueError:
        report.add(record.id, f"the event at position {record.id} is not valid JSON")
        return leaf_hash(bytes(record.state))


def _compare_leaves(
    ledger: Ledger,
    store: ViewStore,
    report: Report,
    tree: MerkleTree,
    positions: array[int],
    progress: Progress,
) -> None:
    expected = ledger.recorder.max_notification_id() or 0
    stored = _stored(store, "rm_audit_leaves", ("leaf_index",))
    aligned = True
    for index, record in enumerate(_records(ledger)):
        leaf = _leaf(record, report)
        tree.append(leaf)
        positions.append(record.id)
        report.events += 1
        if report.events % PAGE == 0:
            progress(report.events, expected)
        if not aligned:
            continue
        row = next(stored, None)
        if row is None:
            report.pending += 1
            continue
        report.leaves += 1
        position = int(row["position"])
        if int(row["leaf_index"]) != index:
            report.add(position, f"leaf {index} is missing from the audit log")
        elif position < record.id:
            report.add(position, f"position {position} is in the audit log but its event is gone")
        elif position > record.id:
            report.add(
                record.id,
                f"the event at position {record.id} is not in the audit log"
                " (written behind the log's back?)",
            )
        elif row["leaf_hash"] != leaf.hex():
            report.add(
                position,
                f"the event at position {position} no longer matches its leaf"
                " (changed after it was logged)",
            )
        else:
            continue
        aligned = False  # a deleted or inserted event shifts every later comparison
    if aligned and (extra := next(stored, None)) is not None:
        position = int(extra["position"])
        report.add(position, f"position {position} is in the audit log but its event is gone")
    progress(report.events, expected)


def _compare_nodes(
    store: ViewStore, report: Report, tree: MerkleTree, positions: array[int]
) -> None:
    """Stored subtree hashes (which proofs are made of) against the recomputed tree; only the
    lowest wrong ones are reported, as they narrow the range down most."""
    wrong: set[tuple[int, int]] = set()
    for row in _stored(store, "rm_audit_nodes", ("level", "node_index")):
        level, index = int(row["level"]), int(row["node_index"])
        first, last = index << level, ((index + 1) << level) - 1
        if last >= len(tree) or tree.complete(level, index).hex() == row["hash"]:
            continue  # beyond the events read (gone ones are reported above), or right
        wrong.add((level, index))
        if {(level - 1, 2 * index), (level - 1, 2 * index + 1)} & wrong:
            continue
        report.add(
            positions[first],
            f"the stored hash over positions {positions[first]} to"
            f" {positions[last]} does not match the events",
            until=positions[last],
        )


def _check_checkpoint(
    checkpoint: Checkpoint,
    public_key: Ed25519PublicKey,
    report: Report,
    tree: MerkleTree,
    positions: array[int],
    good: int,
) -> int:
    size = checkpoint.tree_size
    report.checkpoints += 1
    last = positions[min(size, len(tree)) - 1] if len(tree) else 0
    if not verify_checkpoint(checkpoint, public_key):
        report.add(last, f"the checkpoint of tree size {size} is not signed by this key")
    if size > len(tree):
        report.add(last + 1, f"the checkpoint of tree size {size} covers events that are gone")
    elif tree.root(size).hex() != checkpoint.root_hash:
        first = positions[good]
        report.add(
            first,
            f"the checkpoint of tree size {size} does not match the events: one"
            f" at a position from {first} to {last} was changed",
            until=last,
        )
    else:
        return size
    return good
