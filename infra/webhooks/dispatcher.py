"""Delivering events to webhook endpoints, where the projections run (never in a request).

One loop follows the webhooks' own events (registrations, disabling, type changes) and, every
`poll` seconds, hands each enabled endpoint that is not busy to a small thread pool. A job holds
its endpoint (a lease in the cursor row), reads the wanted events after the endpoint's cursor in
log order and sends them one by one: after a 2xx the cursor moves past the event; on anything
else (a status, a timeout, a refused address) the event is tried again after a capped,
jittered exponential back-off, and nothing after it is sent first. So delivery is at least once
and in log order per endpoint; a slow or failing endpoint holds only its own job, never the
views (another thread) nor other endpoints.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from domain.base import LedgerAggregate
from domain.webhooks import Webhook
from infra.ledger.application import Ledger
from infra.projections.stops import Backoff, describe
from infra.projections.store import ViewStore
from infra.store.event_types import event_type
from infra.webhooks import messages, reviews, state
from infra.webhooks.types import topics_for
from infra.webhooks.urls import UnsafeAddressError, check_resolved

log = logging.getLogger("claimtrail.webhooks")
WEBHOOK_TOPICS = [
    get_topic(v)
    for v in vars(Webhook).values()
    if isinstance(v, type) and issubclass(v, LedgerAggregate.Event)
]


@dataclass(frozen=True)
class DeliveryConfig:
    timeout: float = 10.0  # seconds a receiver has to answer
    retry_first: float = 1.0  # back-off after the first failure, doubling...
    retry_max: float = 300.0  # ...up to this
    allow_private: bool = False  # see infra/webhooks/urls.py
    poll: float = 0.25  # seconds between looks for work
    concurrency: int = 4  # endpoints delivered at the same time
    batch: int = 50  # events a job sends before it gives its thread back

    @property
    def lease(self) -> float:
        """How long a job holds its endpoint: longer than one attempt can take."""
        return self.timeout + 5.0


# Its own generator: the module's global one is shared (a test's seed, hypothesis's checks).
_JITTER = random.Random()  # a retry's jitter, not a secret


def retry_delay(attempts: int, backoff: Backoff) -> float:
    """Seconds before the next try after `attempts` failures: the capped exponential delay,
    half of it fixed and half random (spreads the retries of many events, never over the cap)."""
    delay = backoff.delay(attempts)
    return delay / 2 + _JITTER.uniform(0, delay / 2)


class Dispatcher:
    def __init__(self, ledger: Ledger, store: ViewStore, config: DeliveryConfig) -> None:
        self.ledger, self.store, self.config = ledger, store, config
        self.backoff = Backoff(config.retry_first, config.retry_max)
        self.owner = uuid.uuid4().hex  # this process's name on the leases it takes
        self.endpoints: dict[UUID, Webhook] = {}
        self.seen = 0  # the position of the last webhook event read
        self.busy: set[UUID] = set()
        # What spares the database a look: an endpoint caught up with the log's head (no job
        # until the head moves) or waiting for its retry (no job until then).
        self.caught_up: dict[UUID, int] = {}
        self.not_before: dict[UUID, float] = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.client = httpx.Client(timeout=config.timeout, follow_redirects=False)
        self.pool = ThreadPoolExecutor(config.concurrency, thread_name_prefix="claimtrail-webhook")
        state.create(store)

    # -- the loop ----------------------------------------------------------------------------

    def run_forever(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.tick()
            except Exception:  # the database away, say: look again shortly
                log.exception("webhook dispatch failed")
                stop.wait(1.0)
            stop.wait(self.config.poll)

    def tick(self) -> None:
        """Follow the webhooks' events, then start a job for each idle enabled endpoint."""
        self.refresh()
        head = self.ledger.recorder.max_notification_id() or 0
        now = time.time()
        for webhook_id, webhook in list(self.endpoints.items()):
            if self.caught_up.get(webhook_id) == head or self.not_before.get(webhook_id, 0) > now:
                continue
            with self.lock:
                if not webhook.enabled or webhook_id in self.busy or self.stopping.is_set():
                    continue
                self.busy.add(webhook_id)
            self.pool.submit(self._job, webhook_id)

    def refresh(self) -> None:
        while notes := self.ledger.recorder.select_notifications(
            start=self.seen, limit=500, topics=WEBHOOK_TOPICS, inclusive_of_start=False
        ):
            for note in notes:
                webhook_id = UUID(str(note.originator_id))
                if note.originator_version == 1:
                    state.start_at(self.store, str(webhook_id), note.id)
                self.endpoints[webhook_id] = self.ledger.webhooks.get(webhook_id)
                self.caught_up.pop(webhook_id, None)  # its types may have changed
            self.seen = notes[-1].id

    def close(self) -> None:
        """Stop taking work, let running attempts finish, give the endpoints back."""
        self.stopping.set()
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.client.close()
        for webhook_id in self.endpoints:
            state.release(self.store, str(webhook_id), self.owner)

    # -- one endpoint ------------------------------------------------------------------------

    def _job(self, webhook_id: UUID) -> None:
        try:
            self.deliver(webhook_id)
        except Exception:
            log.exception("webhook %s: delivery failed", webhook_id)
        finally:
            with self.lock:
                self.busy.discard(webhook_id)

    def deliver(self, webhook_id: UUID) -> int:
        """Send the endpoint's due events in order, up to a batch; the number acknowledged."""
        sent = 0
        while sent < self.config.batch and not self.stopping.is_set():
            webhook = self.endpoints.get(webhook_id)
            if webhook is None or not webhook.enabled:
                return sent
            position = state.claim(self.store, str(webhook_id), self.owner, self.config.lease)
            if position is None:
                return sent  # another process holds it
            head = self.ledger.recorder.max_notification_id() or 0
            types = webhook.event_types
            notes = self.ledger.recorder.select_notifications(
                start=position,
                limit=1,
                stop=head,
                topics=topics_for(types) + reviews.extra_topics(types),
                inclusive_of_start=False,
            )
            if not notes:  # nothing wanted up to the head: skip what was read
                state.advance(self.store, str(webhook_id), self.owner, head)
                self.caught_up[webhook_id] = head
                return sent
            if not self.attempt(webhook, notes[0]):
                return sent
            sent += 1
        return sent

    def attempt(self, webhook: Webhook, note: Notification) -> bool:
        """Try one event if it is due; whether it was acknowledged (2xx)."""
        webhook_id = str(webhook.id)
        attempts, due = state.next_attempt(self.store, webhook_id, note.id)
        if due is not None and due > time.time():
            self.not_before[webhook.id] = due  # (another process may have tried it)
            return False
        msg_id = messages.message_id(webhook.id, note.id)
        now = datetime.now(UTC)
        status: int | None
        error: str | None
        try:
            event = self.ledger.mapper.to_domain_event(note)
            sent = reviews.as_delivered(self.ledger, webhook.event_types, event)
            payload = None if sent is None else messages.body(note.id, sent)
        except Exception as exc:  # written behind the application's back: wait, as a view does
            kind, status, error = "unknown", None, f"the event does not decode: {describe(exc)}"
        else:
            if payload is None:  # a draft review: nothing to send, passed over
                return state.advance(self.store, webhook_id, self.owner, note.id)
            kind = event_type(sent)
            status, error = self.send(webhook, msg_id, payload, now)
        tried = state.Attempt(webhook_id, note.id, kind, msg_id, now, status, error)
        retry_at = None
        if not tried.delivered:
            delay = retry_delay(attempts + 1, self.backoff)
            retry_at = now + timedelta(seconds=delay)
            self.not_before[webhook.id] = retry_at.timestamp()
            log.warning(
                "webhook %s: event %d not delivered (%s); attempt %d, next in %.1fs",
                webhook_id,
                note.id,
                error or f"HTTP {status}",
                attempts + 1,
                delay,
            )
        return state.record(self.store, tried, self.owner, retry_at) and tried.delivered

    def send(
        self, webhook: Webhook, msg_id: str, payload: bytes, at: datetime
    ) -> tuple[int | None, str | None]:
        """(status code, None) if the receiver answered, else (None, what went wrong)."""
        try:
            check_resolved(webhook.url, allow_private=self.config.allow_private)
            secret = self.ledger.webhooks.secret(webhook)
            headers = messages.headers(secret, msg_id, payload, at)
            response = self.client.post(webhook.url, content=payload, headers=headers)
        except (httpx.HTTPError, UnsafeAddressError, OSError) as exc:
            return None, describe(exc)
        except Exception as exc:  # a secret that does not open, say: retried like the rest
            return None, describe(exc)
        return response.status_code, None


def run_in_thread(dispatcher: Dispatcher) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(
        target=dispatcher.run_forever, args=(stop,), name="claimtrail-webhooks", daemon=True
    )
    thread.start()
    return thread, stop


def stop_thread(running: tuple[threading.Thread, threading.Event], dispatcher: Any) -> None:
    thread, stop = running
    stop.set()
    thread.join(timeout=10)
    dispatcher.close()
