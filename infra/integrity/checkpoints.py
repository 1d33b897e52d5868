"""The signed checkpoints table: statements already handed out, so never rebuilt or swapped.

It lives beside the read views (same store, same SQL dialect) but is not part of the audit view's
`tables`: a rebuild recomputes the leaves, while a checkpoint records what the log signed at the
time, and an auditor may hold it.
"""

from __future__ import annotations

from typing import Any

from infra.integrity.signing import Checkpoint
from infra.projections.store import Cursor, ViewStore

TABLE = (
    "CREATE TABLE IF NOT EXISTS {rm_audit_checkpoints} (tree_size BIGINT PRIMARY KEY,"
    " root_hash TEXT NOT NULL, signed_at TEXT NOT NULL, key_id TEXT NOT NULL,"
    " signature TEXT NOT NULL, origin TEXT, note_signature TEXT)"
)
ADDED = ("origin", "note_signature")  # columns a table made before them lacks
_COLUMNS = "tree_size, root_hash, signed_at, key_id, signature, origin, note_signature"


def create_table(store: ViewStore) -> None:
    store.create([TABLE])
    with store.transaction(commit=True) as cursor:
        if store.postgres:
            for column in ADDED:
                cursor.execute(
                    f"ALTER TABLE {{rm_audit_checkpoints}} ADD COLUMN IF NOT EXISTS {column} TEXT"
                )
            return
        present = {
            row["name"]
            for row in cursor.execute("PRAGMA table_info({rm_audit_checkpoints})").fetchall()
        }
        for column in ADDED:
            if column not in present:
                cursor.execute(f"ALTER TABLE {{rm_audit_checkpoints}} ADD COLUMN {column} TEXT")


def _checkpoint(row: Any) -> Checkpoint:
    return Checkpoint(
        int(row["tree_size"]),
        row["root_hash"],
        row["signed_at"],
        row["key_id"],
        row["signature"],
        row["origin"],
        row["note_signature"],
    )


def insert(cursor: Cursor, checkpoint: Checkpoint) -> None:
    cursor.execute(
        f"INSERT INTO {{rm_audit_checkpoints}} ({_COLUMNS})"  # noqa: S608
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tree_size) DO NOTHING",
        (
            checkpoint.tree_size,
            checkpoint.root_hash,
            checkpoint.timestamp,
            checkpoint.key_id,
            checkpoint.signature,
            checkpoint.origin,
            checkpoint.note_signature,
        ),
    )


def latest(cursor: Cursor) -> Checkpoint | None:
    row = cursor.execute(
        f"SELECT {_COLUMNS} FROM {{rm_audit_checkpoints}}"  # noqa: S608
        " ORDER BY tree_size DESC LIMIT 1"
    ).fetchone()
    return None if row is None else _checkpoint(row)


def at_size(cursor: Cursor, tree_size: int) -> Checkpoint | None:
    row = cursor.execute(
        f"SELECT {_COLUMNS} FROM {{rm_audit_checkpoints}}"  # noqa: S608
        " WHERE tree_size = ?",
        (tree_size,),
    ).fetchone()
    return None if row is None else _checkpoint(row)


def page(cursor: Cursor, after: int, limit: int) -> list[Checkpoint]:
    """The checkpoints of tree sizes above `after`, smallest first."""
    rows = cursor.execute(
        f"SELECT {_COLUMNS} FROM {{rm_audit_checkpoints}}"  # noqa: S608
        " WHERE tree_size > ? ORDER BY tree_size LIMIT ?",
        (after, limit),
    ).fetchall()
    return [_checkpoint(r) for r in rows]


def every(cursor: Cursor) -> list[Checkpoint]:
    rows = cursor.execute(
        f"SELECT {_COLUMNS} FROM {{rm_audit_checkpoints}}"  # noqa: S608
        " ORDER BY tree_size"
    ).fetchall()
    return [_checkpoint(r) for r in rows]
