"""Views stopped at an event they cannot apply.

When a view raises on an event (a bug, or an event no view can hold), the projector does not
retry the batch forever: it finds the event, records "view V stopped at position P with error E"
in `rm_view_stops`, and projects the other views on. The stopped view is tried again on that
event alone after a capped exponential back-off (one log line per attempt); once it applies,
its stop is deleted in the same transaction and it catches up. /readyz and /metrics read the
stops, so every process sees them (an API with projections off, several workers).

Errors of the database itself (connection lost, lock timeouts, a tracking race) are not the
event's fault: they are raised as before, and the batch is tried again whole.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import psycopg
import psycopg_pool
from eventsourcing import persistence

from infra.projections.store import Cursor
from infra.store.log_reader import notifications_after

if TYPE_CHECKING:
    from infra.projections.projector import Projector, View

log = logging.getLogger("claimtrail.projections")

TABLE = (
    "CREATE TABLE IF NOT EXISTS {rm_view_stops} (view TEXT PRIMARY KEY,"
    " position BIGINT NOT NULL, error TEXT NOT NULL, attempts INTEGER NOT NULL,"
    " since TEXT NOT NULL, retry_at TEXT NOT NULL)"
)
MAX_ERROR = 1000  # characters of the error kept


@dataclass(frozen=True)
class Stop:
    """A view stopped at the event at `position`, which it failed to apply `attempts` times."""

    view: str
    position: int
    error: str
    attempts: int
    since: datetime
    retry_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "error": self.error,
            "attempts": self.attempts,
            "since": _text(self.since),
            "retry_at": _text(self.retry_at),
        }


@dataclass(frozen=True)
class Backoff:
    """Seconds before attempt n+1 after n failed attempts: first, 2*first, 4*first... <= cap."""

    first: float = 1.0
    cap: float = 300.0

    def delay(self, attempts: int) -> float:
        return min(self.cap, self.first * 2 ** min(max(attempts - 1, 0), 60))


def load(cursor: Cursor) -> dict[str, Stop]:
    rows = cursor.execute(
        "SELECT view, position, error, attempts, since, retry_at FROM {rm_view_stops}"
    ).fetchall()
    return {
        r["view"]: Stop(
            r["view"],
            int(r["position"]),
            r["error"],
            int(r["attempts"]),
            datetime.fromisoformat(r["since"]),
            datetime.fromisoformat(r["retry_at"]),
        )
        for r in rows
    }


def record(cursor: Cursor, view: str, position: int, exc: BaseException, backoff: Backoff) -> Stop:
    """Record (or count one more) failed attempt of `view` at `position`, and log it."""
    now = datetime.now(UTC)
    before = load(cursor).get(view)
    again = before is not None and before.position == position
    attempts = before.attempts + 1 if before is not None and again else 1
    delay = backoff.delay(attempts)
    stop = Stop(
        view,
        position,
        describe(exc),
        attempts,
        before.since if before is not None and again else now,
        now + timedelta(seconds=delay),
    )
    cursor.execute("DELETE FROM {rm_view_stops} WHERE view = ?", (view,))
    cursor.execute(
        "INSERT INTO {rm_view_stops} (view, position, error, attempts, since, retry_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (view, position, stop.error, attempts, _text(stop.since), _text(stop.retry_at)),
    )
    log.error(
        "view %s stopped at position %d: %s (attempt %d, next in %gs)",
        view,
        position,
        stop.error,
        attempts,
        delay,
    )
    return stop


def clear(cursor: Cursor, view: str) -> None:
    """Delete the view's stop, in the transaction that applies its event (logged once that
    transaction has committed, by `retry`)."""
    cursor.execute("DELETE FROM {rm_view_stops} WHERE view = ?", (view,))


def isolate(projector: Projector, views: list[View], notes: Sequence[Any]) -> None:
    """After a failed batch: each view alone on it, and a view that fails alone event by
    event, up to the event it cannot apply, where it stops."""
    from infra.projections.projector import transient

    for view in views:
        try:
            projector._project([view], projector.positions(), notes)
        except Exception as exc:
            if transient(exc):
                raise
            _step(projector, view, notes)


def _step(projector: Projector, view: View, notes: Sequence[Any]) -> None:
    """Apply the view alone to `notes` up to the event it cannot apply, found by halving: a
    run that fails is halved, a run that applies is committed and the next run of its size
    tried, so a batch of n events costs about 2 log2(n) transactions instead of n (a catch-up
    batch holds thousands), and the view stops at the same event either way."""
    from infra.projections.projector import transient

    position = projector.positions()[view.name]
    pending = [note for note in notes if note.id > position]
    size = len(pending)
    while pending and not projector.finished:
        chunk, finished = pending[:size], projector.finished
        try:
            projector._project([view], {view.name: position}, chunk)
        except Exception as exc:
            if transient(exc):
                raise
            projector.finished = finished  # the chunk rolled back, its end with it
            if len(chunk) > 1:
                size = len(chunk) // 2
                continue
            with projector.store.transaction(commit=True) as cursor:
                record(cursor, view.name, chunk[0].id, exc, projector.backoff)
            return
        position, pending = chunk[-1].id, pending[len(chunk) :]


def retry(projector: Projector, stopped: dict[str, Stop]) -> int:
    """Try each stopped view whose back-off is over on its event, alone; events applied."""
    from infra.projections.projector import transient

    applied = 0
    for view in projector.views:
        stop = stopped.get(view.name)
        if stop is None or stop.retry_at > datetime.now(UTC):
            continue
        position = projector.positions()[view.name]
        notes = notifications_after(projector.ledger.recorder, position, 1)
        try:
            projector._project([view], {view.name: position}, notes, resumed=view.name)
        except Exception as exc:
            if transient(exc):
                raise
            with projector.store.transaction(commit=True) as cursor:
                at = notes[0].id if notes else stop.position
                record(cursor, view.name, at, exc, projector.backoff)
            continue
        log.warning("view %s applied the event it had stopped at; it carries on", view.name)
        applied += len(notes)
    return applied


def describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    return text[:MAX_ERROR]


def is_transient(exc: BaseException) -> bool:
    """Whether `exc` is the database's fault (retry the batch), not the event's."""
    if isinstance(
        exc,
        TimeoutError
        | psycopg.OperationalError
        | psycopg.InterfaceError
        | psycopg_pool.PoolTimeout
        | persistence.InterfaceError,
    ):
        return True
    if isinstance(exc, persistence.OperationalError | sqlite3.OperationalError):
        cause = exc.__cause__
        if isinstance(cause, psycopg.Error):
            return isinstance(cause, psycopg.OperationalError)
        text = str(exc).lower()
        return any(w in text for w in ("locked", "busy", "unable to open", "disk i/o"))
    return False


def _text(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
