"""The cyclic garbage collector during a projection batch: paused, then what the batch kept
joins the oldest generation; cyclic garbage is still collected."""

from __future__ import annotations

import gc
import weakref

from infra.projections.states import cyclic_gc_paused


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_the_collector_is_paused_for_a_batch_and_enabled_after_it():
    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_what_a_batch_keeps_is_in_the_oldest_generation_after_it():
    with cyclic_gc_paused():
        kept = Node()
    assert not any(o is kept for o in gc.get_objects(generation=0))
    assert any(o is kept for o in gc.get_objects(generation=2))


def test_a_cycle_a_batch_dropped_is_still_collected():
    with cyclic_gc_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
    assert gone() is not None  # a cycle: reference counting alone cannot free it
    gc.collect()
    assert gone() is None


def test_a_paused_collector_is_left_as_it_was():
    gc.disable()
    try:
        with cyclic_gc_paused():
            kept = Node()
        assert not gc.isenabled()
        assert any(o is kept for o in gc.get_objects(generation=0))
    finally:
        gc.enable()
