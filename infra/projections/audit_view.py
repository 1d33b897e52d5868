"""The audit view: a Merkle leaf per stored event (RFC 9162) and every complete subtree's hash.

Leaves and nodes are a pure function of the log, so a rebuild reproduces them exactly. At the end
of each batch the live view also signs a checkpoint (tree size, root, time) into the checkpoints
table, which a rebuild never writes: see infra/integrity/checkpoints.py. An event that is not
one the application could have written (unknown type, undecodable, a version out of sequence)
stops the view before it: see infra/integrity/structure.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from eventsourcing.utils import get_topic

from domain.signing_keys import KeyRotation
from infra.integrity import checkpoints
from infra.integrity.keys import SigningKeys
from infra.integrity.leaves import record_leaf
from infra.integrity.merkle import HASH_SIZE, Subtrees, fold, frontier, node_hash
from infra.integrity.rotation import Rotation, hand_over_problem, public_key
from infra.integrity.signing import key_id
from infra.integrity.structure import StructureError, checked
from infra.projections.audit_batch import BatchRows, active_key_id, stored_public_key
from infra.projections.projector import Change
from infra.projections.store import Cursor

TABLES = [
    # Inline constraints: their index names are chosen by the database, which a swap needs.
    "CREATE TABLE IF NOT EXISTS {rm_audit_leaves} (leaf_index BIGINT PRIMARY KEY,"
    " position BIGINT NOT NULL UNIQUE, leaf_hash TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {rm_audit_nodes} (level INTEGER NOT NULL,"
    " node_index BIGINT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (level, node_index))",
    # Key rotations logged (infra/integrity/keys.py): the new key signs trees holding the leaf.
    "CREATE TABLE IF NOT EXISTS {rm_audit_keys} (leaf_index BIGINT PRIMARY KEY,"
    " key_id TEXT NOT NULL, public_key TEXT NOT NULL)",
]
ROTATION_TOPIC = get_topic(KeyRotation.Made)
LIVE_PREFIX = "rm_"
T = TypeVar("T")


def tree_size(cursor: Cursor) -> int:
    last = cursor.scalar("SELECT MAX(leaf_index) FROM {rm_audit_leaves}")
    return 0 if last is None else int(last) + 1


class StoredTree:
    """The tree in the view's tables, read by complete subtree (a level 0 subtree is a leaf)."""

    def __init__(self, cursor: Cursor) -> None:
        self.cursor = cursor
        self.known: dict[tuple[int, int], bytes] = {}

    def complete(self, level: int, index: int) -> bytes:
        if (level, index) not in self.known:
            self.fetch([(level, index)])
        try:
            return self.known[level, index]
        except KeyError:
            raise IndexError(f"no complete subtree {index} at level {level}") from None

    def fetch(self, keys: Iterable[tuple[int, int]]) -> None:
        """The subtrees `keys` names that are not known yet, in one round trip (leaves and
        nodes live in two tables: a UNION of the two lookups)."""
        wanted = set(keys) - self.known.keys()
        leaves = sorted(i for level, i in wanted if level == 0)
        nodes = sorted(k for k in wanted if k[0] > 0)
        if not leaves and not nodes:
            return
        if self.cursor.store.postgres:
            # One statement text whatever the counts: prepared once, planned once.
            statement = _FETCH_ARRAYS
            params: list[Any] = [leaves, [k[0] for k in nodes], [k[1] for k in nodes]]
        else:
            statement, params = _fetch_placeholders(leaves, nodes)
        rows = self.cursor.execute(statement, params).fetchall()
        self.known.update(
            ((int(r["level"]), int(r["node_index"])), bytes.fromhex(r["hash"])) for r in rows
        )

    def prefetched(self, compute: Callable[[Subtrees], T]) -> T:
        """`compute` run once to learn which subtrees it reads (they depend on sizes only), then
        again after fetching them all in one round trip per table."""
        wanted: list[tuple[int, int]] = []
        compute(_Recorder(wanted))
        self.fetch(wanted)
        return compute(self)


_FETCH_ARRAYS = (
    "SELECT 0 AS level, leaf_index AS node_index, leaf_hash AS hash FROM {rm_audit_leaves}"
    " WHERE leaf_index = ANY(?::bigint[]) UNION ALL"
    " SELECT n.level, n.node_index, n.hash FROM {rm_audit_nodes} n"
    " JOIN unnest(?::int[], ?::bigint[]) AS k(level, node_index)"
    " ON n.level = k.level AND n.node_index = k.node_index"
)


def _fetch_placeholders(leaves: list[int], nodes: list[tuple[int, int]]) -> tuple[str, list[Any]]:
    """The lookups with one placeholder per value (SQLite has no arrays)."""
    parts, params = [], []
    if leaves:
        parts.append(
            "SELECT 0 AS level, leaf_index AS node_index, leaf_hash AS hash"  # noqa: S608
            f" FROM {{rm_audit_leaves}} WHERE leaf_index IN ({', '.join('?' * len(leaves))})"
        )
        params += leaves
    if nodes:
        parts.append(
            "SELECT level, node_index, hash FROM {rm_audit_nodes}"  # noqa: S608
            f" WHERE (level, node_index) IN (VALUES {', '.join(['(?, ?)'] * len(nodes))})"
        )
        params += [v for key in nodes for v in key]
    return " UNION ALL ".join(parts), params


class _Recorder:
    def __init__(self, wanted: list[tuple[int, int]]) -> None:
        self.wanted = wanted

    def complete(self, level: int, index: int) -> bytes:
        self.wanted.append((level, index))
        return bytes(HASH_SIZE)


class AuditView:
    """Logs each event (a leaf, and the subtree hashes it completes) after checking what no
    hash can (infra/integrity/structure.py): an event that fails is a StructureError, so the
    batch holding it rolls back and nothing at or past it is logged or signed."""

    name = "audit"
    tables = TABLES
    reads_events = False  # it hashes the stored records: the projector need not decode them

    def __init__(self, key_file: str | None = None) -> None:
        self.keys = SigningKeys(key_file)
        self.cursor: Cursor | None = None
        self.size = 0
        self.frontier: list[tuple[int, bytes]] = []  # (level, hash), largest subtree first

    def apply(self, cursor: Cursor, change: Change) -> None:
        if cursor is not self.cursor:
            self._resume(cursor)
        rows = cursor.deferred(self.name, BatchRows, self._flush)
        record = change.record
        data = checked(change.position, record.topic, record.state, change.event)
        rows.versions.append((change.position, record.originator_id, record.originator_version))
        if record.topic == ROTATION_TOPIC:
            self._hand_over(cursor, rows, Rotation.of(change.position, data))
        leaf = record_leaf(record)
        rows.leaves.append((self.size, change.position, leaf.hex()))
        self._grow(rows, leaf)
        rows.sign = rows.sign or (change.last and cursor.store.prefix == LIVE_PREFIX)

    def _hand_over(self, cursor: Cursor, rows: BatchRows, rotation: Rotation) -> None:
        """Log a key rotation only if the current key signed it (else StructureError)."""
        active = active_key_id(cursor, rows.keys)
        stored = rows.keys[-1][2] if rows.keys else stored_public_key(cursor, active)
        current = public_key(stored) if stored else self.keys.signer(active).public_key
        problem = hand_over_problem(rotation, active or key_id(current), current)
        if problem is not None:
            raise StructureError(rotation.position, f"is a key rotation that {problem}")
        rows.keys.append((self.size, rotation.new_key_id, rotation.new_public_key))

    def _flush(self, cursor: Cursor, rows: BatchRows) -> None:
        rows.check_versions(cursor)
        rows.write(cursor)
        if rows.sign:
            self._checkpoint(cursor, rows)

    def _resume(self, cursor: Cursor) -> None:
        """Start a batch from what the tables hold (the previous batch may have rolled back)."""
        self.cursor, self.size = cursor, tree_size(cursor)
        spans = frontier(self.size)
        stored = StoredTree(cursor)
        stored.fetch(spans)
        self.frontier = [(level, stored.complete(level, index)) for level, index in spans]

    def _grow(self, rows: BatchRows, leaf: bytes) -> None:
        self.size += 1
        self.frontier.append((0, leaf))
        while len(self.frontier) > 1 and self.frontier[-1][0] == self.frontier[-2][0]:
            (level, right), (_, left) = self.frontier.pop(), self.frontier.pop()
            level, value = level + 1, node_hash(left, right)
            self.frontier.append((level, value))
            rows.nodes.append((level, (self.size >> level) - 1, value.hex()))

    def _checkpoint(self, cursor: Cursor, rows: BatchRows) -> None:
        """Sign the tree with the key the log says signs it: the last rotation's new key, else
        the key of the checkpoints signed so far, else (the first ever) the key file's."""
        signer = self.keys.signer(active_key_id(cursor, rows.keys))
        root = fold([value for _, value in self.frontier])
        checkpoints.insert(cursor, signer.sign(self.size, root.hex()))
