"""The projector: feeds the global log to the views, a batch per transaction, exactly once.

Each view keeps its own tracking position, updated in the same transaction as its rows, with a
compare-and-set so two workers can never both apply a batch. A view sees each event together
with the state of its aggregate *after* the event, rebuilt with the event's own `mutate` (no
domain logic is copied into the views).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from domain.actors import Actor
from domain.claims import Claim
from domain.sources import Source
from infra.ledger.application import Ledger
from infra.projections import stops
from infra.projections.decoding import Decoder, consumed_events
from infra.projections.states import PROMOTED_FROM, States, cyclic_gc_paused
from infra.projections.stops import Backoff, Stop
from infra.projections.store import Cursor, ViewStore
from infra.store.log_reader import notifications_after

STATEFUL_EVENTS = (Claim.Event, Source.Event, Actor.Event)
# Events per transaction. Larger batches make fewer transactions and write a claim changed
# several times in one batch once (a claim's events are spread over the log: on the bench's
# 100k log, 86,548 claim rows for 34,404 claims at 5,000, 54,980 at 20,000; catch-up of every
# view 3,924-4,066 -> 4,567-5,218 events/s, ~100 MB more peak RSS). On SQLite a batch's
# transaction holds the database's one write lock, which the API's commands wait for, so its
# batches stay short.
BATCH_POSTGRES = 20_000
BATCH_SQLITE = 1000
TRACKING = [
    "CREATE TABLE IF NOT EXISTS {rm_tracking} (view TEXT PRIMARY KEY, position BIGINT NOT NULL)",
    stops.TABLE,
]


class Change(NamedTuple):
    """One event, its log position, and its aggregate's state after it. (A named tuple: one
    is made per event, in a third of a frozen dataclass's time.)"""

    position: int
    event: Any
    state: Any
    record: Any = None  # the stored notification (topic, state bytes): the audit view hashes it
    last: bool = False  # the batch's last change: the audit view signs a checkpoint there

    @property
    def recorded_at(self) -> datetime:
        timestamp: datetime = self.event.timestamp
        return timestamp


class View(Protocol):
    """A view. It may also say which events it reads: `consumes`, the event classes it needs
    decoded (default: every event), or `reads_events = False` (it reads only the stored
    records). The projector decodes an event only if some view consumes it."""

    name: str
    tables: list[str]

    def apply(self, cursor: Cursor, change: Change) -> None: ...


def query_only(view: View) -> list[str]:
    """The view's CREATE INDEX statements that only queries need."""
    found: list[str] = getattr(view, "query_indexes", [])
    return found


class TrackingConflictError(Exception):
    """Raised when another worker advanced a view while this one was applying a batch."""


class Projector:
    def __init__(
        self,
        ledger: Ledger,
        views: list[View],
        store: ViewStore | None = None,
        batch_size: int | None = None,
        until: datetime | None = None,
    ) -> None:
        """`until`: stop at the first event recorded after this time (a replay 'as of');
        `batch_size`: events per transaction (default: `BATCH_POSTGRES`, or `BATCH_SQLITE`)."""
        self.ledger, self.views = ledger, views
        self.store = store or ViewStore(ledger.recorder)
        self.batch_size = batch_size or (BATCH_POSTGRES if self.store.postgres else BATCH_SQLITE)
        self.states = States(ledger)
        self.until = until
        self.finished = False
        self.decode = Decoder(ledger.mapper, consumed_events(views))
        self.backoff = Backoff()  # between attempts of a view stopped at an event

    def setup(self, query_indexes: bool = True) -> None:
        """Tables and tracking rows; without the indexes only queries use (`query_indexes` of a
        view) if not `query_indexes` (a rebuild creates them once filled, see rebuild.py)."""
        deferred = set() if query_indexes else {s for v in self.views for s in query_only(v)}
        self.store.create(
            TRACKING + [s for view in self.views for s in view.tables if s not in deferred]
        )
        with self.store.transaction(commit=True) as cursor:
            known = {r["view"] for r in cursor.execute("SELECT view FROM {rm_tracking}").fetchall()}
            for view in self.views:
                if view.name not in known:
                    cursor.execute(
                        "INSERT INTO {rm_tracking} (view, position) VALUES (?, 0) "
                        "ON CONFLICT (view) DO NOTHING",
                        (view.name,),
                    )

    def positions(self) -> dict[str, int]:
        with self.store.transaction(commit=False) as cursor:
            rows = cursor.execute("SELECT view, position FROM {rm_tracking}").fetchall()
        found = {r["view"]: int(r["position"]) for r in rows}
        return {view.name: found.get(view.name, 0) for view in self.views}

    def stuck(self) -> dict[str, Stop]:
        """The views stopped at an event they cannot apply (see infra/projections/stops.py)."""
        with self.store.transaction(commit=False) as cursor:
            found = stops.load(cursor)
        return {view.name: found[view.name] for view in self.views if view.name in found}

    def run_once(self) -> int:
        """Project the next batch; the number of notifications read (0: caught up). A view
        stopped at an event is left out, and tried again on that event once its back-off is
        over."""
        with cyclic_gc_paused() as pause:
            count = self._run_once()
            pause.promote = count >= PROMOTED_FROM
            return count

    def _run_once(self) -> int:
        if self.finished:
            return 0
        stopped = self.stuck()
        retried = 0
        if stopped:
            retried = stops.retry(self, stopped)
            stopped = self.stuck()
        views = [view for view in self.views if view.name not in stopped]
        if not views:
            return retried
        positions = self.positions()
        start = min(positions[view.name] for view in views)
        notes = notifications_after(self.ledger.recorder, start, self.batch_size)
        if not notes:
            return retried
        try:
            self._project(views, positions, notes)
        except Exception as exc:
            if transient(exc):
                raise
            stops.isolate(self, views, notes)
        return retried + len(notes)

    def _project(
        self,
        views: list[View],
        positions: dict[str, int],
        notes: Sequence[Any],
        resumed: str | None = None,
    ) -> None:
        """Apply `notes` to `views` in one transaction; `resumed`: a view whose stop is over."""
        try:
            events = self._events(notes)  # before the transaction: it is not kept idle
            with self.store.transaction(commit=True) as cursor:
                if self.store.postgres:
                    # A large batch on a busy machine takes a while. The views are derived:
                    # their commit need not wait for the WAL flush (a crash loses at most the
                    # last batches, rows and tracking position together, projected again).
                    cursor.execute(
                        "SET LOCAL idle_in_transaction_session_timeout = '300s';"
                        " SET LOCAL synchronous_commit = off"
                    )
                self.finished = len(events) < len(notes)
                if events:
                    # Claim the batch before writing a row: a worker that lost the race stops
                    # here, instead of on some view's duplicate key halfway through.
                    self._track(cursor, views, positions, events[-1][0])
                for note, (position, event) in zip(notes, events, strict=False):
                    self._apply(cursor, views, position, event, positions, note, note is notes[-1])
                if resumed is not None:
                    stops.clear(cursor, resumed)
        except BaseException:
            self.states.clear()  # the cache may be ahead of what was committed
            raise

    def catch_up(self) -> int:
        total = 0
        while count := self.run_once():
            total += count
        return total

    def run_forever(self, stop: threading.Event, wake: Any = None, interval: float = 0.1) -> None:
        """Project until `stop` is set; between catch-ups wait for `wake` or `interval`."""
        while not stop.is_set():
            if self.run_once() < self.batch_size:
                (wake or stop.wait)(interval)

    def _events(self, notes: Sequence[Any]) -> list[tuple[int, Any]]:
        """(position, event) of the batch, up to the first event recorded after `until`; an
        event no view consumes is not decoded (None)."""
        return self.decode.batch(notes, self.until)

    def _apply(
        self,
        cursor: Cursor,
        views: list[View],
        position: int,
        event: Any,
        positions: dict[str, int],
        record: Any = None,
        last: bool = False,
    ) -> None:
        state = self.states.after(event) if isinstance(event, STATEFUL_EVENTS) else None
        change = Change(position, event, state, record, last)
        for view in views:
            if positions[view.name] < position:
                view.apply(cursor, change)

    def _track(
        self, cursor: Cursor, views: list[View], positions: dict[str, int], last: int
    ) -> None:
        for view in views:
            if positions[view.name] >= last:
                continue
            cursor.execute(
                "UPDATE {rm_tracking} SET position = ? WHERE view = ? AND position = ?",
                (last, view.name, positions[view.name]),
            )
            if cursor.rowcount != 1:
                raise TrackingConflictError(f"view {view.name} was advanced by another worker")


def transient(exc: BaseException) -> bool:
    """Whether a failed batch is the database's fault (try it again whole), not an event's."""
    return isinstance(exc, TrackingConflictError) or stops.is_transient(exc)
