"""Delivery state: each endpoint's cursor (the last position its receiver acknowledged) and a row
per event tried (attempts, last answer, when delivered, when tried next).

This is not a view: it records what happened outside the ledger (a receiver answered 200 at
10:02), which no replay of the log can recompute. So `claimtrail replay` neither rebuilds nor
compares it, and rebuilding the views never sends anything again. The cursor moves only after a
2xx, in one transaction with that delivery's row; a compare-and-set on the lease owner keeps a
second process (two API workers, or a worker and an API) from delivering the same endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from infra.projections.store import Cursor, ViewStore

TABLES = [
    "CREATE TABLE IF NOT EXISTS {rm_webhook_cursors} (webhook_id TEXT PRIMARY KEY,"
    " position BIGINT NOT NULL, owner TEXT, lease_until DOUBLE PRECISION NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS {rm_webhook_deliveries} (webhook_id TEXT NOT NULL,"
    " position BIGINT NOT NULL, type TEXT NOT NULL, message_id TEXT NOT NULL,"
    " attempts INTEGER NOT NULL, status_code INTEGER, error TEXT,"
    " first_attempt_at TEXT NOT NULL, last_attempt_at TEXT NOT NULL, delivered_at TEXT,"
    " next_attempt_at TEXT, next_attempt DOUBLE PRECISION, PRIMARY KEY (webhook_id, position))",
]
MAX_ERROR = 500


@dataclass(frozen=True)
class Attempt:
    """One try of one event at one endpoint, and its result."""

    webhook_id: str
    position: int
    type: str
    message_id: str
    at: datetime
    status_code: int | None = None
    error: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def create(store: ViewStore) -> None:
    store.create(TABLES)


def start_at(store: ViewStore, webhook_id: str, position: int) -> None:
    """An endpoint's cursor, at its registration the first time (events after it are sent)."""
    with store.transaction(commit=True) as cursor:
        cursor.execute(
            "INSERT INTO {rm_webhook_cursors} (webhook_id, position, lease_until)"
            " VALUES (?, ?, 0) ON CONFLICT (webhook_id) DO NOTHING",
            (webhook_id, position),
        )


def claim(store: ViewStore, webhook_id: str, owner: str, lease: float) -> int | None:
    """Hold the endpoint for `lease` seconds and return its cursor; None if another process
    holds it (or it has no cursor yet)."""
    now = datetime.now(UTC).timestamp()
    with store.transaction(commit=True) as cursor:
        cursor.execute(
            "UPDATE {rm_webhook_cursors} SET owner = ?, lease_until = ?"
            " WHERE webhook_id = ? AND (owner IS NULL OR owner = ? OR lease_until < ?)",
            (owner, now + lease, webhook_id, owner, now),
        )
        if cursor.rowcount != 1:
            return None
        position = cursor.scalar(
            "SELECT position FROM {rm_webhook_cursors} WHERE webhook_id = ?", (webhook_id,)
        )
    return int(position)


def release(store: ViewStore, webhook_id: str, owner: str) -> None:
    with store.transaction(commit=True) as cursor:
        cursor.execute(
            "UPDATE {rm_webhook_cursors} SET lease_until = 0 WHERE webhook_id = ? AND owner = ?",
            (webhook_id, owner),
        )


def advance(store: ViewStore, webhook_id: str, owner: str, position: int) -> bool:
    """Move the cursor on past events the endpoint does not want (while holding it)."""
    with store.transaction(commit=True) as cursor:
        return _move(cursor, webhook_id, owner, position)


def _move(cursor: Cursor, webhook_id: str, owner: str, position: int) -> bool:
    cursor.execute(
        "UPDATE {rm_webhook_cursors} SET position = ?"
        " WHERE webhook_id = ? AND owner = ? AND position < ?",
        (position, webhook_id, owner, position),
    )
    return cursor.rowcount == 1


def next_attempt(store: ViewStore, webhook_id: str, position: int) -> tuple[int, float | None]:
    """(attempts so far, when the next may be made: a Unix time, None for at once)."""
    with store.transaction(commit=False) as cursor:
        row = cursor.execute(
            "SELECT attempts, next_attempt FROM {rm_webhook_deliveries}"
            " WHERE webhook_id = ? AND position = ?",
            (webhook_id, position),
        ).fetchone()
    if row is None:
        return 0, None
    later = row["next_attempt"]
    return int(row["attempts"]), None if later is None else float(later)


def record(store: ViewStore, attempt: Attempt, owner: str, retry_at: datetime | None) -> bool:
    """Write the attempt; on a 2xx move the cursor past it, in the same transaction. False if
    the cursor was not this owner's to move (another process took the endpoint over)."""
    at = _text(attempt.at)
    with store.transaction(commit=True) as cursor:
        if attempt.delivered and not _move(cursor, attempt.webhook_id, owner, attempt.position):
            return False
        cursor.execute(
            "INSERT INTO {rm_webhook_deliveries} AS d (webhook_id, position, type, message_id,"
            " attempts, status_code, error, first_attempt_at, last_attempt_at, delivered_at,"
            " next_attempt_at, next_attempt) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (webhook_id, position) DO UPDATE SET"
            " attempts = d.attempts + 1,"
            " status_code = excluded.status_code, error = excluded.error,"
            " last_attempt_at = excluded.last_attempt_at, delivered_at = excluded.delivered_at,"
            " next_attempt_at = excluded.next_attempt_at, next_attempt = excluded.next_attempt",
            (
                attempt.webhook_id,
                attempt.position,
                attempt.type,
                attempt.message_id,
                attempt.status_code,
                None if attempt.error is None else attempt.error[:MAX_ERROR],
                at,
                at,
                at if attempt.delivered else None,
                None if retry_at is None else _text(retry_at),
                None if retry_at is None else retry_at.timestamp(),
            ),
        )
    return True


def acknowledged(cursor: Cursor, webhook_id: str) -> int | None:
    """The endpoint's cursor: every wanted event up to it was acknowledged (None: not yet
    seen by a delivering process)."""
    found = cursor.scalar(
        "SELECT position FROM {rm_webhook_cursors} WHERE webhook_id = ?", (webhook_id,)
    )
    return None if found is None else int(found)


def deliveries(
    cursor: Cursor, webhook_id: str, after: int, limit: int
) -> tuple[list[dict[str, Any]], int | None]:
    """The endpoint's deliveries in log order, a keyset page after position `after`."""
    rows = cursor.execute(
        "SELECT position, type, message_id, attempts, status_code, error, first_attempt_at,"
        " last_attempt_at, delivered_at, next_attempt_at FROM {rm_webhook_deliveries}"
        " WHERE webhook_id = ? AND position > ? ORDER BY position LIMIT ?",
        (webhook_id, after, limit + 1),
    ).fetchall()
    items = [
        {
            "position": int(r["position"]),
            "type": r["type"],
            "message_id": r["message_id"],
            "attempts": int(r["attempts"]),
            "status_code": None if r["status_code"] is None else int(r["status_code"]),
            "error": r["error"],
            "first_attempt_at": r["first_attempt_at"],
            "last_attempt_at": r["last_attempt_at"],
            "delivered_at": r["delivered_at"],
            "next_attempt_at": r["next_attempt_at"],
        }
        for r in rows[:limit]
    ]
    return items, items[-1]["position"] if len(rows) > limit else None


def _text(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")
