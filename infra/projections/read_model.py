"""The read side: views, their projector, queries, and read-your-writes waits."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any

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
from infra.projections.similar_query import SimilarQuery
from infra.projections.similar_view import SimilarView
from infra.projections.store import ViewStore
from infra.projections.wakeup import Wakeup
from infra.store.database import is_postgres, libpq_url


class ViewsBehindError(Exception):
    """Raised when the views have not reached a position within the time allowed."""

    def __init__(self, position: int, reached: int) -> None:
        super().__init__(f"views are at {reached}, not yet at {position}")
        self.position, self.reached = position, reached


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
    def __init__(self, ledger: Ledger, views: list[View] | None = None) -> None:
        self.ledger = ledger
        self.store = ViewStore(ledger.recorder)
        self.projector = Projector(ledger, views or all_views(), self.store)
        self.projector.setup()
        self.similar_query = SimilarQuery()

    # -- positions ---------------------------------------------------------------------------

    def position(self) -> int:
        """The position every view has reached."""
        return min(self.projector.positions().values())

    def head(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def wait(self, position: int | None, timeout: float) -> None:
        """Return once every view has processed `position`; ViewsBehindError after `timeout`,
        PositionBeyondHeadError at once if `position` is beyond the log's head (positions may
        skip numbers on PostgreSQL: beyond means greater than the largest one written)."""
        if position is None or self.position() >= position:
            return
        if position > (head := self.head()):
            raise PositionBeyondHeadError(position, head)
        deadline, pause = time.monotonic() + timeout, 0.005
        while (reached := self.position()) < position:
            if time.monotonic() >= deadline:
                raise ViewsBehindError(position, reached)
            time.sleep(pause)
            pause = min(pause * 2, 0.05)

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
                read_model.projector.run_forever(
                    stop, wakeup, interval=0.5 if wakeup.conninfo else 0.05
                )
            except Exception:  # a failing batch rolls back; try again shortly
                import logging

                logging.getLogger("claimtrail.projections").exception("projection failed")
                stop.wait(1.0)

    thread = threading.Thread(target=loop, name="claimtrail-projector", daemon=True)
    thread.start()
    return thread, stop
