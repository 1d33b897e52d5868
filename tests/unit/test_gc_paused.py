"""The cyclic garbage collector during a projection batch: paused, then what the batch kept
joins the oldest generation; cyclic garbage is still collected."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from infra.projections.states import PROMOTED_FROM, Pause, cyclic_gc_paused


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_the_collector_is_paused_for_a_batch_and_enabled_after_it():
    gc.enable()  # (another test's app may have left a projector thread between batches)
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_heap_someone_else_froze_stays_frozen():
    """The API's collector freezes its heap (service/collector.py): a batch gives none back."""
    ours = gc.get_freeze_count() == 0
    if ours:
        gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with cyclic_gc_paused() as pause:
            pause.promote = True
        assert gc.get_freeze_count() >= frozen > 0
    finally:
        if ours:
            gc.unfreeze()


def test_what_a_large_batch_keeps_is_in_the_oldest_generation_after_it():
    """In a process of its own: here an app of another test may have frozen the heap, and then
    (rightly) nothing is promoted."""
    code = (
        "import gc\n"
        "from infra.projections.states import cyclic_gc_paused\n"
        "class Node: pass\n"
        "with cyclic_gc_paused() as pause:\n"
        "    kept = Node()\n"
        "    pause.promote = True\n"
        "assert not any(o is kept for o in gc.get_objects(generation=0))\n"
        "assert any(o is kept for o in gc.get_objects(generation=2))\n"
        "assert gc.get_freeze_count() == 0 and gc.isenabled()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_small_batch_leaves_the_generations_alone():
    """A projector following the writes in an API process: its young garbage stays young."""
    with cyclic_gc_paused():
        kept = Node()
    assert any(o is kept for o in gc.get_objects(generation=0))


def test_the_projector_promotes_after_a_batch_of_many_notifications_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from infra.projections import projector as module

    seen: list[bool] = []

    @contextmanager
    def watched() -> Iterator[Pause]:
        with cyclic_gc_paused() as pause:
            yield pause
        seen.append(pause.promote)

    class Fake:
        def __init__(self, count: int) -> None:
            self.count = count

        def _run_once(self) -> int:
            return self.count

    monkeypatch.setattr(module, "cyclic_gc_paused", watched)
    for count in (0, 3, PROMOTED_FROM - 1, PROMOTED_FROM, 20_000):
        module.Projector.run_once(Fake(count))  # type: ignore[arg-type]
    assert seen == [False, False, False, True, True]


def test_a_cycle_a_batch_dropped_is_still_collected():
    with cyclic_gc_paused() as pause:
        pause.promote = True
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
