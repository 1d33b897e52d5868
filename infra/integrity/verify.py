"""`claimtrail verify`: recompute every leaf from the stored events and check the audit tables.

Each event's leaf is recomputed from its stored record and compared, in order, with the stored
leaf (index, position, hash); then every stored subtree hash, the log's structure (versions in
sequence, known event types, infra/integrity/verify_structure.py) and every checkpoint (its root
over the recomputed leaves, and its signature by the key the chain of rotations names) is
checked. The first position that does not match is
the one to investigate; later ones usually follow from it (a deleted event shifts the rest).
"""

from __future__ import annotations

from array import array
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from psycopg.rows import tuple_row

from infra.integrity import checkpoints
from infra.integrity.merkle import HASH_SIZE, MerkleTree
from infra.integrity.recompute import PAGE, Page, recomputed
from infra.integrity.report import Progress, Report
from infra.integrity.rotation import KeyChain
from infra.integrity.signing import Checkpoint
from infra.integrity.verify_structure import check_structure, key_chain
from infra.ledger.application import Ledger
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
    with store.transaction(commit=False) as cursor:
        logged = int(cursor.scalar("SELECT MAX(position) FROM {rm_audit_leaves}") or 0)
    check_structure(ledger, store, report, logged)
    chain = key_chain(ledger, public_key, positions, report)
    good = 0  # leaves under a checkpoint whose root matched are known good
    for checkpoint in signed:
        good = _check_checkpoint(checkpoint, chain, report, tree, positions, good)
    return report


def _rows(store: ViewStore, statement: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    with store.transaction(commit=False) as cursor:
        if store.postgres:
            cursor.raw.row_factory = tuple_row
        return [tuple(row) for row in cursor.execute(statement, params).fetchall()]


def _compare_leaves(
    ledger: Ledger,
    store: ViewStore,
    report: Report,
    tree: MerkleTree,
    positions: array[int],
    progress: Progress,
) -> None:
    """Each range's recomputed leaves against the stored ones: where the worker found them all
    equal (`logged_from`) nothing is left to do; elsewhere the stored leaves of the same
    indexes are read and compared, and the first difference is reported."""
    expected = ledger.recorder.max_notification_id() or 0
    aligned = True
    for page in recomputed(ledger.recorder, expected, store.name("rm_audit_leaves")):
        first, count = len(tree), len(page.positions)
        tree.extend_joined(page.leaves)
        positions.extend(page.positions)
        for position in page.invalid:
            report.add(position, f"the event at position {position} is not valid JSON")
        report.events += count
        progress(report.events, expected)
        if not aligned:
            continue
        if page.logged_from == first:
            report.leaves += count
            continue
        rows = _rows(
            store,
            "SELECT leaf_index, position, leaf_hash FROM {rm_audit_leaves}"
            " WHERE leaf_index >= ? AND leaf_index < ? ORDER BY leaf_index",
            (first, first + count),
        )
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
    if aligned:
        _leaves_beyond(ledger, store, report, len(tree), expected)
    progress(report.events, expected)


def _leaves_beyond(
    ledger: Ledger, store: ViewStore, report: Report, size: int, expected: int
) -> None:
    """A stored leaf after the last event read: its event is gone, unless it was appended
    (and logged) after verification started."""
    extra = _rows(
        store,
        "SELECT leaf_index, position FROM {rm_audit_leaves}"
        " WHERE leaf_index >= ? ORDER BY leaf_index LIMIT 1",
        (size,),
    )
    if not extra:
        return
    position = int(extra[0][1])
    found = ledger.recorder.select_notifications(position, 1)
    if position <= expected or not found or found[0].id != position:
        report.add(position, f"position {position} is in the audit log but its event is gone")


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
    """Stored subtree hashes (which proofs are made of) against the recomputed tree, a range
    of each level at a time; only the lowest wrong ones are reported, as they narrow the range
    down most. Stored nodes beyond the events read are not compared (gone events are reported
    with the leaves)."""
    wrong: set[tuple[int, int]] = set()
    for level in range(1, len(tree.levels)):
        row = tree.levels[level]
        complete = len(row) // HASH_SIZE
        for start in range(0, complete, PAGE):
            end = min(start + PAGE, complete)
            computed = row[start * HASH_SIZE : end * HASH_SIZE].hex()
            if _stored_nodes(store, level, start, end) == computed:
                continue
            rows = _rows(
                store,
                "SELECT node_index, hash FROM {rm_audit_nodes}"
                " WHERE level = ? AND node_index >= ? AND node_index < ? ORDER BY node_index",
                (level, start, end),
            )
            for index, stored_hash in rows:
                index = int(index)
                if tree.complete(level, index).hex() == stored_hash:
                    continue
                wrong.add((level, index))
                if {(level - 1, 2 * index), (level - 1, 2 * index + 1)} & wrong:
                    continue
                first, last = index << level, ((index + 1) << level) - 1
                report.add(
                    positions[first],
                    f"the stored hash over positions {positions[first]} to"
                    f" {positions[last]} does not match the events",
                    until=positions[last],
                )


def _stored_nodes(store: ViewStore, level: int, start: int, end: int) -> str:
    """The stored hashes of nodes `start` to `end` (excluded) of a level, end to end: joined by
    PostgreSQL itself (one value instead of a row per node), by Python on SQLite."""
    where = "WHERE level = ? AND node_index >= ? AND node_index < ?"
    if store.postgres:
        with store.transaction(commit=False) as cursor:
            joined = cursor.scalar(
                f"SELECT string_agg(hash, '' ORDER BY node_index) FROM {{rm_audit_nodes}} {where}",  # noqa: S608
                (level, start, end),
            )
        return str(joined or "")
    rows = _rows(
        store,
        f"SELECT hash FROM {{rm_audit_nodes}} {where} ORDER BY node_index",  # noqa: S608
        (level, start, end),
    )
    return "".join([r[0] for r in rows])


def _check_checkpoint(
    checkpoint: Checkpoint,
    chain: KeyChain,
    report: Report,
    tree: MerkleTree,
    positions: array[int],
    good: int,
) -> int:
    size = checkpoint.tree_size
    report.checkpoints += 1
    last = positions[min(size, len(tree)) - 1] if len(tree) else 0
    if (problem := chain.check(checkpoint)) is not None:
        report.add(last, problem)
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
