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
from psycopg.rows import tuple_row

from infra.integrity import checkpoints
from infra.integrity.merkle import HASH_SIZE, MerkleTree
from infra.integrity.recompute import PAGE, Page, recomputed
from infra.integrity.report import Progress, Report
from infra.integrity.signing import Checkpoint, verify_checkpoint
from infra.ledger import Ledger
from infra.projections.audit_view import TABLES
from infra.projections.store import ViewStore


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


def _stored(store: ViewStore, table: str, key: tuple[str, ...]) -> Iterator[list[tuple[Any, ...]]]:
    """Every row of an audit table in key order as tuples, a page per transaction (keyset)."""
    columns, marks = ", ".join(key), ", ".join("?" * len(key))
    last: tuple[Any, ...] | None = None
    while True:
        where = "" if last is None else f"WHERE ({columns}) > ({marks})"
        with store.transaction(commit=False) as cursor:
            if store.postgres:
                cursor.raw.row_factory = tuple_row
            rows = [
                tuple(row)
                for row in cursor.execute(
                    f"SELECT {columns}, {_COLUMNS[table]} FROM {{{table}}} {where}"  # noqa: S608
                    f" ORDER BY {columns} LIMIT ?",
                    (*(last or ()), PAGE),
                ).fetchall()
            ]
        if rows:
            yield rows
        if len(rows) < PAGE:
            return
        last = rows[-1][: len(key)]


_COLUMNS = {"rm_audit_leaves": "position, leaf_hash", "rm_audit_nodes": "hash"}


class _Rows:
    """Stored leaf rows, (leaf_index, position, hash), taken a run at a time."""

    def __init__(self, pages: Iterator[list[tuple[Any, ...]]]) -> None:
        self.pages: Iterator[list[tuple[Any, ...]]] = pages
        self.rows: list[tuple[Any, ...]] = []
        self.at = 0

    def take(self, count: int) -> list[tuple[Any, ...]]:
        taken: list[tuple[Any, ...]] = []
        while len(taken) < count:
            if self.at == len(self.rows):
                self.rows, self.at = next(self.pages, []), 0
                if not self.rows:
                    break
            run = self.rows[self.at : self.at + count - len(taken)]
            self.at += len(run)
            taken += run
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
    for page in recomputed(ledger.recorder, expected, store.name("rm_audit_leaves")):
        first = len(tree)
        tree.extend_joined(page.leaves)
        positions.extend(page.positions)
        for position in page.invalid:
            report.add(position, f"the event at position {position} is not valid JSON")
        count = len(page.positions)
        report.events += count
        progress(report.events, expected)
        if not aligned:
            continue
        rows = stored.take(count)
        report.leaves += len(rows)
        report.pending += count - len(rows)
        if _page_of_leaves_matches(rows, first, page):
            continue
        hexes = page.leaves.hex()
        wanted = [
            (first + i, position, hexes[64 * i : 64 * i + 64])
            for i, position in enumerate(page.positions)
        ]
        aligned = _first_difference(rows, wanted, report)
    extra = stored.take(1) if aligned else []
    if extra and (position := int(extra[0][1])) <= expected:  # later: logged since `expected`
        report.add(position, f"position {position} is in the audit log but its event is gone")
    progress(report.events, expected)


def _page_of_leaves_matches(rows: list[tuple[Any, ...]], first: int, page: Page) -> bool:
    """The quick check of a page: indexes, positions and hashes as recomputed (a few C-level
    comparisons instead of one per leaf)."""
    count = len(rows)
    return (
        count > 0
        and rows[0][0] == first
        and rows[-1][0] == first + count - 1
        and [row[1] for row in rows] == page.positions[:count]
        and "".join([row[2] for row in rows]) == page.leaves[: count * HASH_SIZE].hex()
    )


def _first_difference(
    rows: list[tuple[Any, ...]], wanted: list[tuple[int, int, str]], report: Report
) -> bool:
    """Report the first stored leaf that differs from the recomputed one; False: what follows is
    no longer aligned (a deleted or inserted event shifts every later comparison)."""
    for (index, position, stored_hash), (want_index, want_position, leaf) in zip(
        rows, wanted, strict=False
    ):
        index, position = int(index), int(position)
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
        for level, index, stored_hash in rows:
            level, index = int(level), int(index)
            first, last = index << level, ((index + 1) << level) - 1
            if last >= len(tree) or tree.complete(level, index).hex() == stored_hash:
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


def _page_matches(rows: list[tuple[Any, ...]], tree: MerkleTree) -> bool:
    """True when a page of stored nodes, all of one level and contiguous, equals the tree's."""
    level, start = int(rows[0][0]), int(rows[0][1])
    if (
        int(rows[-1][0]) != level
        or int(rows[-1][1]) != start + len(rows) - 1
        or level >= len(tree.levels)
    ):
        return False
    row = tree.levels[level]
    computed = row[start * HASH_SIZE : (start + len(rows)) * HASH_SIZE].hex()
    return computed == "".join([r[2] for r in rows])


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
