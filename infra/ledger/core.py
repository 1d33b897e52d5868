"""The Application core: load, save, the optimistic retry loop and idempotent replay."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import JSONTranscoder

from domain.base import LedgerAggregate
from domain.reservations import Reservation, reservation_id
from infra.ledger.context import Context, Outcome, Pending, Planned
from infra.ledger.direct import DirectExecutor
from infra.ledger.errors import (
    AggregateMissingError,
    IdempotencyKeyReusedError,
    PreconditionFailedError,
)
from infra.ledger.group_commit import GroupCommitter
from infra.ledger.memo import Memo
from infra.store.positions import event_positions
from infra.store.transcodings import register_transcodings

A = TypeVar("A", bound=LedgerAggregate)


KEYS = "idempotency"


def _key_value(ctx: Context) -> str:
    return f"{ctx.principal_id}:{ctx.idempotency_key}"


def _is_outcome(result: object) -> bool:
    return isinstance(result, Outcome)


class LedgerCore(Application[UUID]):
    name = "claimtrail"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self.executor: DirectExecutor | GroupCommitter = DirectExecutor(self, _is_outcome)
        self.immutable: Memo[object] = Memo()  # sources and actor name resolutions

    def group_commits(self, max_batch: int = 128) -> GroupCommitter:
        """From now on coalesce concurrent commands into shared transactions."""
        self.executor = GroupCommitter(self, _is_outcome, max_batch).start()
        return self.executor

    def stop_group_commits(self) -> None:
        if isinstance(self.executor, GroupCommitter):
            self.executor.stop()
        self.executor = DirectExecutor(self, _is_outcome)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_transcodings(transcoder)

    # -- reading -----------------------------------------------------------------------------

    def load(self, cls: type[A], aggregate_id: UUID, version: int | None = None) -> A:
        try:
            aggregate: object = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise AggregateMissingError(
                f"{cls.__name__.lower()} {aggregate_id} not found"
            ) from None
        if not isinstance(aggregate, cls):
            raise AggregateMissingError(f"{cls.__name__.lower()} {aggregate_id} not found")
        if version is not None and aggregate.version < version:
            # The repository answers a version it has not reached with the latest one.
            raise AggregateMissingError(
                f"{cls.__name__.lower()} {aggregate_id} has no version {version}"
            )
        return aggregate

    def exists(self, aggregate_id: UUID) -> bool:
        """Whether the aggregate has any event (one row read, not the whole aggregate)."""
        return bool(self.recorder.select_events(aggregate_id, limit=1))

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        """The aggregate, or None if it does not exist (one read, not exists-then-load)."""
        try:
            return self.load(cls, aggregate_id)
        except AggregateMissingError:
            return None

    def event_at(self, aggregate_id: UUID, version: int) -> DomainEventProtocol[UUID]:
        return next(iter(self.events.get(aggregate_id, gt=version - 1, lte=version)))

    def position_of(self, aggregate_id: UUID, version: int) -> int:
        return event_positions(self.recorder, aggregate_id)[version]

    # -- writing -----------------------------------------------------------------------------

    def save_pending(
        self, pendings: list[Pending[A]]
    ) -> list[tuple[DomainEventProtocol[UUID], int]]:
        """Save the events of every pending command in one transaction. For each: its own
        aggregate's last event and that event's position, not a reservation's (a replay must
        answer with the same position)."""
        # What Application.save does with events, without its runtime protocol check per
        # object (`isinstance(obj, DomainEventProtocol)`: ~15% of the writer's CPU per save).
        processing: ProcessingEvent[UUID] = ProcessingEvent()
        processing.events.extend(e for p in pendings for e in p.collect())
        processing.aggregates.update((a.id, a) for p in pendings for a in p.aggregates)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        results, start = [], 0
        for pending in pendings:
            mine = recordings[start : start + len(pending.events)]
            start += len(pending.events)
            own = [r for r in mine if r.domain_event.originator_id == pending.aggregates[0].id]
            results.append((own[-1].domain_event, own[-1].notification.id))
        return results

    def key_reservation(self, ctx: Context, holder_id: UUID) -> Reservation:
        """A record that this principal's key was answered with `holder_id` (for creating
        commands whose resource's id does not derive from the key)."""
        return Reservation.make(
            kind=KEYS, value=_key_value(ctx), holder_id=holder_id, meta=ctx.meta
        )

    def key_holder(self, ctx: Context) -> UUID | None:
        """The resource this principal's key was answered with; 422 if with another request."""
        if ctx.idempotency_key is None:
            return None
        reservation = self.find(Reservation, reservation_id(KEYS, _key_value(ctx)))
        if reservation is None:
            return None
        seen = reservation.seen(ctx.principal_id, ctx.idempotency_key)
        if seen is None or seen.request_hash != ctx.request_hash:
            raise IdempotencyKeyReusedError(
                "this Idempotency-Key was used with a different request"
            )
        return reservation.holder_id

    def replay(
        self, cls: type[A], aggregate_id: UUID, ctx: Context, aggregate: A | None = None
    ) -> Outcome[A] | None:
        """The first outcome again if this aggregate (as loaded, or `aggregate`) already saw
        the context's key."""
        if ctx.idempotency_key is None:
            return None
        aggregate = aggregate if aggregate is not None else self.load(cls, aggregate_id)
        seen = aggregate.seen(ctx.principal_id, ctx.idempotency_key)
        if seen is None:
            return None
        if seen.request_hash != ctx.request_hash:
            raise IdempotencyKeyReusedError(
                "this Idempotency-Key was used with a different request"
            )
        event = self.event_at(aggregate_id, seen.version)
        return Outcome(
            self.load(cls, aggregate_id, seen.version),
            event,
            self.position_of(aggregate_id, seen.version),
            created=seen.version == 1,
            replayed=True,
        )

    def run(self, planned: Planned[A]) -> Outcome[A]:
        """Run a command: its attempt here, its save by the executor."""
        result: Outcome[A] = self.executor.execute(planned.attempt)
        return result

    async def run_async(self, planned: Planned[A]) -> Outcome[A]:
        """Run a command from an event loop, awaiting its save instead of blocking a thread."""
        result: Outcome[A] = await self.executor.execute_async(planned.attempt, planned.reads)
        return result

    def amend(
        self,
        cls: type[A],
        aggregate_id: UUID,
        ctx: Context,
        act: Callable[[A], list[LedgerAggregate] | None],
    ) -> Outcome[A]:
        return self.run(self.amending(cls, aggregate_id, ctx, act))

    def create(
        self,
        cls: type[A],
        aggregate_id: UUID,
        ctx: Context,
        build: Callable[[], list[LedgerAggregate]],
    ) -> Outcome[A]:
        return self.run(self.creating(cls, aggregate_id, ctx, build))

    def amending(
        self,
        cls: type[A],
        aggregate_id: UUID,
        ctx: Context,
        act: Callable[[A], list[LedgerAggregate] | None],
    ) -> Planned[A]:
        """Load -> check If-Match -> act -> save, retrying when another writer got there first.

        `act` may return other new aggregates (reservations) to save in the same transaction.
        """

        def attempt() -> Outcome[A] | Pending[A]:
            # One load for both the key check and the act: with two loads, another process
            # could save this key in between, and the same command would be written twice.
            aggregate = self.load(cls, aggregate_id)
            if (replayed := self.replay(cls, aggregate_id, ctx, aggregate)) is not None:
                return replayed
            if ctx.if_match is not None and aggregate.version != ctx.if_match:
                raise PreconditionFailedError(
                    f"version is {aggregate.version}, not {ctx.if_match}",
                    current_version=aggregate.version,
                )
            return Pending([aggregate, *(act(aggregate) or [])])

        return Planned(attempt, reads=True)

    def creating(
        self,
        cls: type[A],
        aggregate_id: UUID,
        ctx: Context,
        build: Callable[[], list[LedgerAggregate]],
    ) -> Planned[A]:
        """Save what `build` makes (the new aggregate first) unless the keyed id already exists.
        Without an idempotency key nothing is read here (`build` reads only memoised values)."""

        def attempt() -> Outcome[A] | Pending[A]:
            if ctx.idempotency_key is not None and self.exists(aggregate_id):
                replayed = self.replay(cls, aggregate_id, ctx)
                if replayed is None:
                    raise IdempotencyKeyReusedError(
                        "this Idempotency-Key was used with a different request"
                    )
                return replayed
            aggregates = build()
            assert isinstance(aggregates[0], cls)
            return Pending(aggregates, created=True)

        return Planned(attempt, reads=ctx.idempotency_key is not None)
