"""The read side: views, their projector, queries, and read-your-writes waits."""

from __future__ import annotations

import threading
import time
from collections.abc import Collection
from datetime import datetime
from typing import Any, Literal

from eventsourcing.postgres import PostgresApplicationRecorder

from domain.similarity import ClaimShape, Similar
from infra.ledger.application import Ledger
from infra.projections import (
    actors_view,
    claims_view,
    people_view,
    relationship_graph,
    relationships_view,
    timeline_view,
)
from infra.projections.audit_view import AuditView
from infra.projections.projector import Projector, View
from infra.projections.similar_query import Ask, SimilarQuery
from infra.projections.similar_view import SimilarView
from infra.projections.store import ViewStore
from infra.projections.wakeup import Wakeup
from infra.store.database import is_postgres, libpq_url

# The views a read may wait for (`ReadModel.wait`): a route names those its handler reads, so
# a typo is a type error, not a 500 on the first request (tests check it against all_views()).
ViewName = Literal["claims", "actors", "timeline", "relationships", "people", "similar", "audit"]


class ViewsBehindError(Exception):
    """Raised when views a read needs have not reached a position within the time allowed.
    `behind`: each such view and the position it is at; `stopped`: those of them stopped at an
    event they cannot apply, and that event's position (they will not get further by waiting)."""

    def __init__(self, position: int, behind: dict[str, int], stopped: dict[str, int]) -> None:
        why = {n: f" (stopped at {p}: it cannot apply that event)" for n, p in stopped.items()}
        views = [f"{name} at {at}{why.get(name, '')}" for name, at in sorted(behind.items())]
        super().__init__(f"views are not yet at {position}: {', '.join(views)}")
        self.position, self.reached = position, min(behind.values())
        self.behind, self.stopped = sorted(behind), sorted(stopped)


class PositionBeyondHeadError(Exception):
    """Raised when a position is beyond the log's last one: no wait can ever reach it."""

    def __init__(self, position: int, head: int) -> None:
        super().__init__(
            f"min_position {position} is beyond the log's last position {head}:"
            " no view can reach it"
        )
        self.position, self.head = position, head


def all_views() -> list[View]:
    return [
        claims_view.ClaimsView(),
        actors_view.ActorsView(),
        timeline_view.TimelineView(),
        relationships_view.RelationshipsView(),
        people_view.PeopleView(),
        SimilarView(),
        AuditView(),
    ]


def wakeup_for(ledger: Ledger, database_url: str) -> Wakeup:
    if is_postgres(database_url) and isinstance(ledger.recorder, PostgresApplicationRecorder):
        return Wakeup(libpq_url(database_url), ledger.recorder.events_table_name)
    return Wakeup()


class ReadModel:
    def __init__(
        self, ledger: Ledger, views: list[View] | None = None, batch_size: int | None = None
    ) -> None:
        """`batch_size`: events per projector transaction (None: the projector's default)."""
        self.ledger = ledger
        self.store = ViewStore(ledger.recorder)
        self.projector = Projector(ledger, views or all_views(), self.store, batch_size)
        self.projector.setup()
        self.similar_query = SimilarQuery()

    # -- positions ---------------------------------------------------------------------------

    def positions(self, views: Collection[str] | None = None) -> dict[str, int]:
        """The position each of `views` (None: every view) has reached."""
        found = self.projector.positions()
        if views is None:
            return found
        if not views or not set(views) <= found.keys():
            raise ValueError(f"no such views here: {sorted(set(views) - found.keys())}")
        return {name: found[name] for name in views}

    def position(self, views: Collection[str] | None = None) -> int:
        """The position every view of `views` (None: every view) has reached."""
        return min(self.positions(views).values())

    def head(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def wait(
        self, position: int | None, timeout: float, views: Collection[ViewName] | None = None
    ) -> None:
        """Return once each of `views` (None: every view) has processed `position`: a read
        waits only for the views it reads, so a view stopped at an event, or slow, holds up no
        other read. ViewsBehindError after `timeout`, naming the views behind; at once
        PositionBeyondHeadError if `position` is beyond the log's head (positions may skip
        numbers on PostgreSQL: beyond means greater than the largest one written)."""
        if position is None or self.position(views) >= position:
            return
        if position > (head := self.head()):
            raise PositionBeyondHeadError(position, head)
        deadline, pause = time.monotonic() + timeout, 0.005
        while min((reached := self.positions(views)).values()) < position:
            if time.monotonic() >= deadline:
                raise self._behind(position, reached)
            time.sleep(pause)
            pause = min(pause * 2, 0.05)

    def _behind(self, position: int, reached: dict[str, int]) -> ViewsBehindError:
        behind = {name: at for name, at in reached.items() if at < position}
        stuck = self.projector.stuck()
        stopped = {name: stuck[name].position for name in behind if name in stuck}
        return ViewsBehindError(position, behind, stopped)

    # -- queries -----------------------------------------------------------------------------

    def claims(
        self, where: claims_view.ClaimFilter, after: int, limit: int
    ) -> tuple[list[Any], int | None]:
        with self.store.read() as cursor:
            return claims_view.list_claims(cursor, where, after, limit)

    def actors(self, q: str | None, after: int, limit: int) -> tuple[list[Any], int | None]:
        with self.store.read() as cursor:
            return actors_view.search_actors(cursor, q, after, limit)

    def timeline(
        self, query: timeline_view.TimelineQuery, after: tuple[str, int] | None, limit: int
    ) -> tuple[list[Any], tuple[str, int] | None]:
        with self.store.read() as cursor:
            return timeline_view.read_timeline(cursor, query, after, limit)

    def edge_rows(self, actor: str, other: str | None, as_of: datetime | None) -> list[Any]:
        with self.store.read() as cursor:
            return relationships_view.edge_rows(cursor, actor, other, as_of)

    def graph_edges(self, as_of: datetime | None) -> list[dict[str, Any]]:
        with self.store.read() as cursor:
            return relationship_graph.graph_edges(cursor, as_of)

    def pair_rows(self, a: str, b: str) -> list[Any]:
        with self.store.read() as cursor:
            return relationship_graph.pair_rows(cursor, a, b)

    def similar(
        self, claim: ClaimShape, exclude: str | None, threshold: float, limit: int
    ) -> list[Similar]:
        """Claims of the similar view scoring at least `threshold` with `claim`, best first
        (after each write: its statements read no more than READ COMMITTED would, so they are
        sent without BEGIN and COMMIT)."""
        with self.store.statements() as cursor:
            return self.similar_query.find(
                cursor, claim, exclude=exclude, threshold=threshold, limit=limit
            )

    def similar_many(self, asks: list[Ask]) -> list[list[Similar]]:
        """The answers to several similar-claims questions, read together (as `similar`)."""
        with self.store.statements() as cursor:
            return self.similar_query.find_many(cursor, asks)

    def actor_bodies(self, slugs: list[str]) -> dict[str, Any]:
        with self.store.read() as cursor:
            return actors_view.actor_bodies(cursor, slugs)

    def people(self, after: int, limit: int) -> tuple[list[Any], int | None]:
        with self.store.read() as cursor:
            return people_view.list_people(cursor, after, limit)

    def people_by_id(self, ids: list[str]) -> dict[str, Any]:
        with self.store.read() as cursor:
            return people_view.people_by_id(cursor, ids)


def run_in_thread(
    read_model: ReadModel, wakeup: Wakeup
) -> tuple[threading.Thread, threading.Event]:
    """Project in a daemon thread until the returned event is set."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                read_model.projector.run_forever(stop, wakeup, interval=wakeup.interval)
            except Exception:  # a failing batch rolls back; try again shortly
                import logging

                logging.getLogger("claimtrail.projections").exception("projection failed")
                stop.wait(1.0)

    thread = threading.Thread(target=loop, name="claimtrail-projector", daemon=True)
    thread.start()
    return thread, stop
