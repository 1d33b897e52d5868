"""The event types a webhook may ask for, and the stored topics each list of types stands for.

Every public event name of the log (`claim.disputed`, `source.registered`, ...) except the
webhooks' own (they hold sealed secrets and say nothing to a receiver) and reservations (the
bookkeeping of unique names). `claim.*` stands for every event of claims, `*` for all of them.
"""

from __future__ import annotations

from functools import cache

from domain.webhooks import InvalidEventTypesError, wants
from infra.integrity.structure import known_events
from infra.store.event_types import type_name

NOT_DELIVERED = ("webhook", "reservation")
BASES = ("Event", "Created")  # each aggregate's base classes: no event is of them exactly


@cache
def deliverable() -> dict[str, str]:
    """Public event name -> stored topic, for every event a webhook may receive."""
    found = {
        type_name(kind): topic
        for topic, kind in known_events().items()
        if kind.__name__ not in BASES
    }
    return {
        name: topic
        for name, topic in sorted(found.items())
        if name.partition(".")[0] not in NOT_DELIVERED
    }


def check_event_types(event_types: list[str]) -> None:
    """InvalidEventTypesError (422) naming the types that match no deliverable event."""
    names = deliverable()
    unknown = [t for t in event_types if not any(wants([t], name) for name in names)]
    if unknown:
        raise InvalidEventTypesError(f"unknown event types: {unknown}", known=sorted(names))


def topics_for(event_types: list[str]) -> list[str]:
    """The stored topics of the events these types ask for."""
    return sorted(topic for name, topic in deliverable().items() if wants(event_types, name))
