"""A command's Context (who, which request, which key) and what it gives back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import DomainEventProtocol

from domain.base import LedgerAggregate
from domain.values import Meta, Role
from infra.ids import new_uuid

A = TypeVar("A", bound=LedgerAggregate)


@dataclass(frozen=True)
class Context:
    """Who is acting, in which request, with which idempotency key and expected version."""

    principal_id: UUID
    role: Role
    request_id: str
    idempotency_key: str | None = None
    request_hash: str | None = None
    if_match: int | None = None
    organizations: tuple[UUID, ...] = ()  # the principal's organizations, in the order joined

    @property
    def meta(self) -> Meta:
        return Meta(self.principal_id, self.request_id, self.idempotency_key, self.request_hash)

    def keyed_id(self, kind: str) -> UUID:
        """A deterministic id for a creating command sent with an Idempotency-Key."""
        if self.idempotency_key is None:
            return new_uuid()
        return uuid5(NAMESPACE_URL, f"claimtrail:{kind}:{self.principal_id}:{self.idempotency_key}")


@dataclass(frozen=True)
class Outcome(Generic[A]):
    """What a command did: the aggregate after it, the last event, its log position."""

    aggregate: A
    event: DomainEventProtocol[UUID]
    position: int
    created: bool = False
    replayed: bool = False


@dataclass
class Pending(Generic[A]):
    """What an attempt wants saved: the command's own aggregate first, then others
    (reservations) that must be saved in the same transaction."""

    aggregates: list[LedgerAggregate]
    created: bool = False
    events: list[DomainEventProtocol[UUID]] = field(default_factory=list)

    def collect(self) -> list[DomainEventProtocol[UUID]]:
        if not self.events:
            self.events = [e for a in self.aggregates for e in a.collect_events()]
        return self.events

    def outcome(self, event: DomainEventProtocol[UUID], position: int) -> Outcome[A]:
        aggregate = self.aggregates[0]
        return Outcome(aggregate, event, position, created=self.created)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Planned(Generic[A]):
    """A command not run yet: its attempt (load -> check -> act), and whether that attempt
    reads the store (else it may run on an event loop without blocking it)."""

    attempt: Callable[[], Outcome[A] | Pending[A]]
    reads: bool = True
