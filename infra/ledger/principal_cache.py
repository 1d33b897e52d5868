"""Principals kept in memory for authentication, forgotten when the log says a key was revoked.

Authenticating from the store costs a read per request. Kept principals cost none, but a
revocation made by another process must reach this one: a revocation is an event, so the cache
follows the log. Every `interval` seconds a thread reads the
KeyRevoked events (and the organizations joined or left) written since the last look and
forgets their principals, so a revoked key is
refused by every process within one interval (and at once by the process that revoked it). The
looking is done by a thread of its own, never by a request: while the database is down a look
waits out the store's retries, and a request must not wait with it. A
key issued elsewhere is not in a kept principal: a token the kept principal does not accept is
checked again against a fresh read before it is refused.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, ConnectionPoolClosedError
from eventsourcing.utils import get_topic

from domain.principals import Principal

SIZE = 10_000  # principals kept (a service has far fewer)
log = logging.getLogger("claimtrail.principals")


class PrincipalCache:
    def __init__(self, recorder: ApplicationRecorder, interval: float) -> None:
        self.recorder, self.interval = recorder, interval
        # A revoked key, and a principal's organizations (which a request acts for), change
        # what a kept principal may do: it is forgotten and read again.
        self.topics = [
            get_topic(e)
            for e in (
                Principal.KeyRevoked,
                Principal.JoinedOrganization,
                Principal.LeftOrganization,
            )
        ]
        self.kept: dict[UUID, Principal] = {}
        self.lock = threading.Lock()
        self.polling = threading.Lock()
        self.generation = 0  # bumped by every forget: a read begun before it is not kept
        self.position = recorder.max_notification_id() or 0  # revocations up to here are in
        self.stopped = threading.Event()  # any principal read from now on
        self.thread = threading.Thread(target=self._follow, name="claimtrail-keys", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)

    def get(self, principal_id: UUID, load: Callable[[], Principal]) -> Principal:
        """The kept principal, or `load()` (kept unless a revocation was seen meanwhile)."""
        with self.lock:
            principal, generation = self.kept.get(principal_id), self.generation
        if principal is not None:
            return principal
        return self.reload(principal_id, load, generation)

    def reload(
        self, principal_id: UUID, load: Callable[[], Principal], generation: int | None = None
    ) -> Principal:
        if generation is None:
            with self.lock:
                generation = self.generation
        principal = load()
        with self.lock:
            if generation == self.generation:
                if len(self.kept) >= SIZE:
                    self.kept.clear()
                self.kept[principal_id] = principal
        return principal

    def forget(self, principal_id: UUID) -> None:
        with self.lock:
            self.kept.pop(principal_id, None)
            self.generation += 1

    def _follow(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                self.poll()
            except ConnectionPoolClosedError:  # the ledger was closed: nothing left to follow
                return
            except Exception:  # the database is away: keep what is kept, look again later
                log.warning("could not read the revocations; retrying", exc_info=True)

    def poll(self) -> None:
        head = self.recorder.max_notification_id() or 0
        while head > self.position and (
            batch := self.recorder.select_notifications(
                start=self.position,
                limit=500,
                stop=head,
                topics=self.topics,
                inclusive_of_start=False,
            )
        ):
            for notification in batch:
                self.forget(UUID(str(notification.originator_id)))
            self.position = batch[-1].id
        self.position = max(self.position, head)
