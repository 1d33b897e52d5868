"""The Reservation aggregate: a unique value (an actor name, a source url) held by one aggregate.

Its id is derived from the value, so two aggregates racing for the same value collide on the
event store's own uniqueness check when both are saved: uniqueness under the same optimistic
lock as everything else, with no side table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.base import LedgerAggregate
from domain.values import Meta


def reservation_id(kind: str, value: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"claimtrail:reservation:{kind}:{value}")


class Reservation(LedgerAggregate):
    """`value` (of `kind`) belongs to `holder_id`."""

    class Made(LedgerAggregate.Created):
        kind: str
        value: str
        holder_id: UUID

        def apply(self, reservation: Any) -> None:
            reservation.kind, reservation.value = self.kind, self.value
            reservation.holder_id = self.holder_id

    if TYPE_CHECKING:
        kind: str
        value: str
        holder_id: UUID

    @classmethod
    def make(cls, *, kind: str, value: str, holder_id: UUID, meta: Meta) -> Reservation:
        return cls._create(
            cls.Made,
            id=reservation_id(kind, value),
            kind=kind,
            value=value,
            holder_id=holder_id,
            meta=meta,
        )
