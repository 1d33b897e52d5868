"""`claimtrail verify`: recompute every leaf from the stored events and check the audit tables.

Each event's leaf is recomputed from its stored record and compared, in order, with the stored
leaf (index, position, hash); then every stored subtree hash and every checkpoint (its root over
the recomputed leaves, and its signature) is checked. The first position that does not match is
the one to investigate; later ones usually follow from it (a deleted event shifts the rest).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from infra.integrity import checkpoints
from infra.integrity.leaves import record_leaf
from infra.integrity.merkle import HASH_SIZE, MerkleTree, leaf_hash
from infra.integrity.report import Progress, Report
from infra.integrity.signing import Checkpoint, verify_checkpoint
from infra.ledger import Ledger
from infra.projections.audit_view import TABLES
from infra.projections.store import ViewStore

PAGE = 10_000


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


def _pages(ledger: Ledger) -> Iterator[Sequence[Any]]:
    """The log a page at a time; the next page is read while this one is checked (the database
    and the hashing then use both cores)."""

    def read(after: int) -> Sequence[Any]:
        return ledger.recorder.select_notifications(
            start=after, limit=PAGE, inclusive_of_start=False
        )

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="verify-read") as reader:
        coming = reader.submit(read, 0)
        while records := coming.result():
            coming = reader.submit(read, records[-1].id)
            yield records


def _stored(store: ViewStore, table: str, key: tuple[str, ...]) -> Iterator[list[Any]]:
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
        if rows:
            yield rows
        if len(rows) < PAGE:
            return
        last = tuple(rows[-1][k] for k in key)


def _leaf(record: Any, report: Report) -> bytes:
    try:
        return record_leaf(record)
    except ValueError:
        report.add(record.id, f"the event at position {record.id} is not valid JSON")
        return leaf_hash(bytes(record.state))


class _Rows:
    """Stored leaf rows as (leaf_index, position, hash) tuples, taken a run at a time."""

    def __init__(self, pages: Iterator[list[Any]]) -> None:
        self.pages, self.rows, self.at = pages, [], 0

    def take(self, count: int) -> list[tuple[int, int, str]]:
        taken: list[tuple[int, int, str]] = []
        while len(taken) < count:
            if self.at == len(self.rows):
                self.rows, self.at = next(self.pages, []), 0
                if not self.rows:
                    break
            run = self.rows[self.at : self.at + count - len(taken)]
            self.at += len(run)
            taken += [(int(r["leaf_index"]), int(r["position"]), r["leaf_hash"]) for r in run]
        return taken


def _compare_leaves(
    ledger: Ledger,
    store: ViewStore,
    report: Report,
    tree: MerkleTree,
    positions: array[int],
    progress: Progress,
) -> None:
    expected = ledger.recorder.max_notification_id() or 0
    stored = _Rows(_stored(store, "rm_audit_leaves", ("leaf_index",)))
    aligned = True
    for records in _pages(ledger):
        first = len(tree)
        leaves = [_leaf(record, report) for record in records]
        tree.extend(leaves)
        positions.extend(record.id for record in records)
        report.events += len(records)
        progress(report.events, expected)
        if not aligned:
            continue
        rows = stored.take(len(records))
        report.leaves += len(rows)
        report.pending += len(records) - len(rows)
        wanted = [
            (first + i, record.id, leaf.hex())
            for i, (record, leaf) in enumerate(zip(records, leaves, strict=True))
        ]
        if rows != wanted[: len(rows)]:
            aligned = _first_difference(rows, wanted, report)
    if aligned and (extra := stored.take(1)):
        position = extra[0][1]
        report.add(position, f"position {position} is in the audit log but its event is gone")
    progress(report.events, expected)


def _first_difference(
    rows: list[tuple[int, int, str]], wanted: list[tuple[int, int, str]], report: Report
) -> bool:
    """Report the first stored leaf that differs from the recomputed one; False: what follows is
    no longer aligned (a deleted or inserted event shifts every later comparison)."""
    for (index, position, stored_hash), (want_index, want_position, leaf) in zip(
        rows, wanted, strict=False
    ):
        if index != want_index:
            report.add(position, f"leaf {want_index} is missing from the audit log")
        elif position < want_position:
            report.add(position, f"position {position} is in the audit log but its event is gone")
        elif position > want_position:
            report.add(
                want_position,
                f"the event at position {want_position} is not in the audit log"
                " (written behind the log's back?)",
            )
        elif stored_hash != leaf:
            report.add(
                position,
                f"the event at position {position} no longer matches its leaf"
                " (changed after it was logged)",
            )
        else:
            continue
        return False
    return True


def _compare_nodes(
    store: ViewStore, report: Report, tree: MerkleTree, positions: array[int]
) -> None:
    """Stored subtree hashes (which proofs are made of) against the recomputed tree, a page at a
    time; only the lowest wrong ones are reported, as they narrow the range down most."""
    wrong: set[tuple[int, int]] = set()
    for rows in _stored(store, "rm_audit_nodes", ("level", "node_index")):
        if _page_matches(rows, tree):
            continue
        for row in rows:
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


def _page_matches(rows: list[Any], tree: MerkleTree) -> bool:
    """True when a page of stored nodes, all of one level and contiguous, equals the tree's."""
    level, start = int(rows[0]["level"]), int(rows[0]["node_index"])
    if (
        int(rows[-1]["level"]) != level
        or int(rows[-1]["node_index"]) != start + len(rows) - 1
        or level >= len(tree.levels)
    ):
        return False
    row = tree.levels[level]
    computed = row[start * HASH_SIZE : (start + len(rows)) * HASH_SIZE].hex()
    return computed == "".join(r["hash"] for r in rows)


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
