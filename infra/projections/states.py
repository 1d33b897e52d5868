"""The aggregates' states the projector hands to the views, and the garbage collector paused
while it works."""

from __future__ import annotations

import gc
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from infra.ledger.application import Ledger


class States:
    """The latest state of recently changed aggregates, advanced event by event."""

    def __init__(self, ledger: Ledger, size: int = 20_000) -> None:
        self.ledger, self.size = ledger, size
        self.cache: OrderedDict[Any, Any] = OrderedDict()

    def after(self, event: Any) -> Any:
        version = event.originator_version
        state = self.cache.pop(event.originator_id, None)
        if state is None or state.version != version - 1:
            state = (
                None
                if version == 1
                else self.ledger.repository.get(event.originator_id, version=version - 1)
            )
        state = event.mutate(state)
        self.cache[event.originator_id] = state
        if len(self.cache) > self.size:
            self.cache.popitem(last=False)
        return state

    def clear(self) -> None:
        self.cache.clear()


class Pause:
    """`promote`: set by the batch when it kept many objects (see cyclic_gc_paused)."""

    promote = False


# Notifications in a batch from which what it kept is moved to the oldest generation.
PROMOTED_FROM = 1000


@contextmanager
def cyclic_gc_paused() -> Iterator[Pause]:
    """The cyclic garbage collector paused for one batch (its read, decoding and views). A batch
    allocates several containers per event (notifications, decoded events, states, rows) beside
    a large live heap (the cached states), so the collector's generational passes cost 10-20% of
    a batch's CPU; what a batch allocates is freed by reference counting, and the collector
    runs again once the batch is over. (It is process-wide: an API process's other threads go
    without it for a batch's duration.)

    If the batch sets `promote` (a large batch: PROMOTED_FROM notifications or more), what
    outlived it (the states it cached, the UUIDs decoded) then joins the oldest generation at
    once (`gc.freeze()` then `gc.unfreeze()`, as documented): left in the youngest, each batch's
    ~150k survivors were traversed by the next collection of the youngest generation and again
    by the middle one's (0.1-0.17 s after each batch of 20,000 events and 0.57 s once, ~6% of
    the claims group's CPU). Any cyclic garbage among them is still found by the collections of
    the oldest generation. Small batches (a projector following the writes, a poll that found
    nothing) leave the generations alone: moving every young object of an API process to the
    oldest generation at each poll would keep its young cyclic garbage from the young
    collections that free it. So does a process where something else froze objects (the API's
    collector, service/collector.py): `gc.unfreeze()` would give them back to the collector."""
    pause = Pause()
    if not gc.isenabled():
        yield pause
        return
    gc.disable()
    try:
        yield pause
    finally:
        if pause.promote and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        gc.enable()
