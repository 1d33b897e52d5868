"""The base of every claimtrail aggregate.

Events carry `Meta`; aggregates remember the idempotency keys they acted on.

Events here are explicit classes with an `apply` method (the library's equivalent of an `@event`
body) because their state change needs the event's own `timestamp` and `meta`: who did it and
when are part of the state (`added_by`, `opened_at`, ...). `apply` only changes state; every rule
is checked in the aggregate's command methods before the event is triggered, so replaying old
events never re-runs a rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.values import Meta


@dataclass(frozen=True)
class SeenKey:
    """An idempotency key the aggregate has already acted on, and where."""

    version: int
    request_hash: str | None


def seen_key_name(principal_id: UUID, key: str) -> str:
    return f"{principal_id}/{key}"


class LedgerAggregate(Aggregate):
    """An aggregate whose events say who caused them and under which idempotency key."""

    # State set by the Created event (class annotations would become __init__ parameters).
    if TYPE_CHECKING:
        recorded_by: UUID
        seen_keys: dict[str, SeenKey]

    class Event(Aggregate.Event):
        meta: Meta

        def mutate(self, aggregate: Any) -> Any:
            aggregate = super().mutate(aggregate)
            aggregate.remember(self)
            return aggregate

    class Created(Event, Aggregate.Created):
        def mutate(self, aggregate: Any) -> Any:
            aggregate = Aggregate.Created.mutate(self, aggregate)
            aggregate.recorded_by = self.meta.principal_id
            aggregate.seen_keys = {}
            aggregate.remember(self)
            return aggregate

    def remember(self, event: LedgerAggregate.Event) -> None:
        key = event.meta.idempotency_key
        if key is not None:
            self.seen_keys[seen_key_name(event.meta.principal_id, key)] = SeenKey(
                event.originator_version, event.meta.request_hash
            )

    def seen(self, principal_id: UUID, key: str) -> SeenKey | None:
        """Where this principal's idempotency key was already acted on (keys are per principal)."""
        return self.seen_keys.get(seen_key_name(principal_id, key))
