"""The Application core: load, save, the optimistic retry loop and idempotent replay."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from domain.base import LedgerAggregate
from domain.values import Meta, Role
from infra.errors import (
    AggregateMissingError,
    ConcurrencyError,
    IdempotencyKeyReusedError,
    PreconditionFailedError,
)
from infra.positions import event_positions
from infra.transcodings import register_transcodings

A = TypeVar("A", bound=LedgerAggregate)
RETRIES = 16


@dataclass(frozen=True)
class Context:
    """Who is acting, in which request, with which idempotency key and expected version."""

    principal_id: UUID
    role: Role
    request_id: str
    idempotency_key: str | None = None
    request_hash: str | None = None
    if_match: int | None = None

    @property
    def meta(self) -> Meta:
        return Meta(self.principal_id, self.request_id, self.idempotency_key, self.request_hash)

    def keyed_id(self, kind: str) -> UUID:
        """A deterministic id for a creating command sent with an Idempotency-Key."""
        if self.idempotency_key is None:
            return uuid4()
        return uuid5(NAMESPACE_URL,
                     f"claimtrail:{kind}:{self.principal_id}:{self.idempotency_key}")


@dataclass(frozen=True)
class Outcome(Generic[A]):
    """What a command did: the aggregate after it, the last event, its log position."""

    aggregate: A
    event: DomainEventProtocol[UUID]
    position: int
    created: bool = False
    replayed: bool = False


class LedgerCore(Application[UUID]):
    name = "claimtrail"

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_transcodings(transcoder)

    # -- reading -----------------------------------------------------------------------------

    def load(self, cls: type[A], aggregate_id: UUID, version: int | None = None) -> A:
        try:
            aggregate: object = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise AggregateMissingError(f"{cls.__name__.lower()} {aggregate_id} not found") from None
        if not isinstance(aggregate, cls):
            raise AggregateMissingError(f"{cls.__name__.lower()} {aggregate_id} not found")
        if version is not None and aggregate.version < version:
            # The repository answers a version it has not reached with the latest one.
            raise AggregateMissingError(
                f"{cls.__name__.lower()} {aggregate_id} has no version {version}")
        return aggregate

    def exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.repository

    def event_at(self, aggregate_id: UUID, version: int) -> DomainEventProtocol[UUID]:
        return next(iter(self.events.get(aggregate_id, gt=version - 1, lte=version)))

    def position_of(self, aggregate_id: UUID, version: int) -> int:
        return event_positions(self.recorder, aggregate_id)[version]

    # -- writing -----------------------------------------------------------------------------

    def commit(self, *aggregates: LedgerAggregate) -> tuple[DomainEventProtocol[UUID], int]:
        """Save all pending events in one transaction: the first aggregate's last event, and
        its position rather than a reservation's (a replay must answer with the same one)."""
        recordings = self.save(*aggregates)
        own = [r for r in recordings if r.domain_event.originator_id == aggregates[0].id]
        return own[-1].domain_event, own[-1].notification.id

    def replay(self, cls: type[A], aggregate_id: UUID, ctx: Context) -> Outcome[A] | None:
        """The first outcome again if this aggregate already saw the context's key."""
        if ctx.idempotency_key is None:
            return None
        aggregate = self.load(cls, aggregate_id)
        seen = aggregate.seen(ctx.principal_id, ctx.idempotency_key)
        if seen is None:
            return None
        if seen.request_hash != ctx.request_hash:
            raise IdempotencyKeyReusedError(
                "this Idempotency-Key was used with a different request")
        event = self.event_at(aggregate_id, seen.version)
        return Outcome(self.load(cls, aggregate_id, seen.version), event,
                       self.position_of(aggregate_id, seen.version),
                       created=seen.version == 1, replayed=True)

    def amend(self, cls: type[A], aggregate_id: UUID, ctx: Context,
              act: Callable[[A], list[LedgerAggregate] | None]) -> Outcome[A]:
        """Load -> check If-Match -> act -> save, retrying when another writer got there first.

        `act` may return other new aggregates (reservations) to save in the same transaction.
        """
        for _ in range(RETRIES):
            if (replayed := self.replay(cls, aggregate_id, ctx)) is not None:
                return replayed
            aggregate = self.load(cls, aggregate_id)
            if ctx.if_match is not None and aggregate.version != ctx.if_match:
                raise PreconditionFailedError(
                    f"version is {aggregate.version}, not {ctx.if_match}",
                    current_version=aggregate.version)
            extras = act(aggregate) or []
            try:
                event, position = self.commit(aggregate, *extras)
            except IntegrityError:
                continue
            return Outcome(aggregate, event, position)
        raise ConcurrencyError("the resource changed too often while this command ran; retry")

    def create(self, cls: type[A], aggregate_id: UUID, ctx: Context,
               build: Callable[[], list[LedgerAggregate]]) -> Outcome[A]:
        """Save what `build` makes (the new aggregate first) unless the keyed id already exists."""
        for _ in range(RETRIES):
            if ctx.idempotency_key is not None and self.exists(aggregate_id):
                replayed = self.replay(cls, aggregate_id, ctx)
                if replayed is None:
                    raise IdempotencyKeyReusedError(
                        "this Idempotency-Key was used with a different request")
                return replayed
            aggregates = build()
            try:
                event, position = self.commit(*aggregates)
            except IntegrityError:
                continue
            created = aggregates[0]
            assert isinstance(created, cls)
            return Outcome(created, event, position, created=True)
        raise ConcurrencyError("the resource changed too often while this command ran; retry")
