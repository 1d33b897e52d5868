"""Principals kept in memory for authentication, forgotten when the log says a key was revoked.

Authenticating from the store costs a read per request. Kept principals cost none, but a
revocation made by another process must reach this one: a revocation is an event, so the cache
follows the log. At most every `interval` seconds, the next authentication first reads the
KeyRevoked events written since the last look and forgets their principals, so a revoked key is
refused by every process within one interval (and at once by the process that revoked it). A
key issued elsewhere is not in a kept principal: a token the kept principal does not accept is
checked again against a fresh read before it is refused.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.utils import get_topic

from domain.principals import Principal

SIZE = 10_000  # principals kept (a service has far fewer)


class PrincipalCache:
    def __init__(self, recorder: ApplicationRecorder, interval: float) -> None:
        self.recorder, self.interval = recorder, interval
        self.topic = get_topic(Principal.KeyRevoked)
        self.kept: dict[UUID, Principal] = {}
        self.lock = threading.Lock()
        self.polling = threading.Lock()
        self.generation = 0  # bumped by every forget: a read begun before it is not kept
        self.position = recorder.max_notification_id() or 0  # revocations up to here are in
        self.polled = time.monotonic()  # any principal read from now on

    def get(self, principal_id: UUID, load: Callable[[], Principal]) -> Principal:
        """The kept principal, or `load()` (kept unless a revocation was seen meanwhile)."""
        self.follow()
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

    def follow(self) -> None:
        """Forget the principals whose keys were revoked since the last look, when the last
        look is `interval` seconds old (one caller looks; the others go on meanwhile)."""
        if time.monotonic() - self.polled < self.interval or not self.polling.acquire(False):
            return
        try:
            self.poll()
        finally:
            self.polling.release()

    def poll(self) -> None:
        began = time.monotonic()
        head = self.recorder.max_notification_id() or 0
        while head > self.position and (
            batch := self.recorder.select_notifications(
                start=self.position,
                limit=500,
                stop=head,
                topics=[self.topic],
                inclusive_of_start=False,
            )
        ):
            for notification in batch:
                self.forget(UUID(str(notification.originator_id)))
            self.position = batch[-1].id
        self.position = max(self.position, head)
        self.polled = began
