"""The Webhook aggregate: an endpoint an admin registered to be told about events of the log.

Its secret is kept sealed (encrypted by infra/webhooks/secrets.py before the event is made): the
log is public through /audit/log, so the event holds ciphertext only. Nothing is deleted: an
endpoint is disabled and enabled again, its event types changed, each an event.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.base import LedgerAggregate
from domain.errors import ConflictError, InvalidValueError
from domain.values import Meta

# `claim.disputed`, `claim.*` (every event of claims) or `*` (every event).
EVENT_TYPE = re.compile(r"^(\*|[a-z][a-z_]*\.(\*|[a-z][a-z_]*))$")
MAX_EVENT_TYPES = 100


class InvalidEventTypesError(InvalidValueError):
    """Raised when an endpoint's event types are empty, malformed or unknown."""

    code = "invalid-event-types"


class WebhookDisabledError(ConflictError):
    """Raised when an endpoint that is disabled is disabled again."""

    code = "webhook-disabled"


class WebhookEnabledError(ConflictError):
    """Raised when an endpoint that is enabled is enabled again."""

    code = "webhook-enabled"


def event_type_list(event_types: list[str]) -> list[str]:
    """The types, checked for shape, without repeats, sorted (the order does not matter)."""
    if not event_types:
        raise InvalidEventTypesError("name at least one event type (or '*')")
    if len(event_types) > MAX_EVENT_TYPES:
        raise InvalidEventTypesError(f"at most {MAX_EVENT_TYPES} event types")
    bad = [t for t in event_types if not EVENT_TYPE.match(t)]
    if bad:
        raise InvalidEventTypesError(
            f"not event types: {bad} (use names such as 'claim.disputed', 'claim.*' or '*')"
        )
    return sorted(set(event_types))


class Webhook(LedgerAggregate):
    """An endpoint (url) to which matching events are delivered, signed with its secret."""

    class Registered(LedgerAggregate.Created):
        url: str
        event_types: list[str]
        sealed_secret: str  # the secret encrypted with the server's webhook key, never in clear

        def apply(self, webhook: Any) -> None:
            webhook.url, webhook.event_types = self.url, list(self.event_types)
            webhook.sealed_secret, webhook.enabled = self.sealed_secret, True

    class Disabled(LedgerAggregate.Event):
        reason: str | None = None

        def apply(self, webhook: Any) -> None:
            webhook.enabled = False

    class Enabled(LedgerAggregate.Event):
        def apply(self, webhook: Any) -> None:
            webhook.enabled = True

    class EventTypesChanged(LedgerAggregate.Event):
        event_types: list[str]

        def apply(self, webhook: Any) -> None:
            webhook.event_types = list(self.event_types)

    if TYPE_CHECKING:
        url: str
        event_types: list[str]
        sealed_secret: str
        enabled: bool

    @classmethod
    def register(
        cls, webhook_id: UUID, *, url: str, event_types: list[str], sealed_secret: str, meta: Meta
    ) -> Webhook:
        return cls._create(
            cls.Registered,
            id=webhook_id,
            url=url,
            event_types=event_type_list(event_types),
            sealed_secret=sealed_secret,
            meta=meta,
        )

    def disable(self, *, meta: Meta, reason: str | None = None) -> None:
        if not self.enabled:
            raise WebhookDisabledError("the webhook is already disabled")
        self.trigger_event(self.Disabled, reason=reason, meta=meta)

    def enable(self, *, meta: Meta) -> None:
        if self.enabled:
            raise WebhookEnabledError("the webhook is already enabled")
        self.trigger_event(self.Enabled, meta=meta)

    def change_event_types(self, event_types: list[str], *, meta: Meta) -> None:
        wanted = event_type_list(event_types)
        if wanted == self.event_types:
            raise ConflictError("the webhook already has these event types")
        self.trigger_event(self.EventTypesChanged, event_types=wanted, meta=meta)

    def wants(self, event_type: str) -> bool:
        """Whether an event of this public type (`claim.disputed`) is delivered here."""
        return wants(self.event_types, event_type)


def wants(event_types: list[str], event_type: str) -> bool:
    aggregate = event_type.partition(".")[0]
    return any(t in ("*", event_type, f"{aggregate}.*") for t in event_types)
