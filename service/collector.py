"""The cyclic garbage collector tuned while the API serves.

A worker's heap after startup (modules, the app, pydantic models, the ledger and its memos) is
large and lives as long as the process, and under load the collector walked all of it: the two
workers serving POST /claims at 32 clients for ~20 s made 6 and 11 full collections, 0.7 and
1.9 s in all (7% and 16% of their CPU; the longest 0.18 and 0.40 s, each stopping the event
loop: the p99 of 140-260 ms), and 815 and 1,310 young ones (3%). So, once started:
what exists is frozen (moved out of the generations: never walked again, still freed by
reference counting), and young collections wait for 10,000 net allocations (most of a
request's containers are freed before that, so they are rare). When the last app stops, the
defaults come back and the frozen objects can be collected again."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 10_000  # net allocations between young collections (CPython's default: 700)

_lock = threading.Lock()
_serving = 0
_default: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def tuned_for_serving() -> Iterator[None]:
    """The collector tuned while the block runs (an app's lifespan; apps may overlap, as in
    the tests: the first one in tunes it, the last one out restores it)."""
    global _serving, _default
    with _lock:
        if _serving == 0:
            _default = gc.get_threshold()
            gc.collect()  # what is garbage now must not be frozen
            gc.freeze()
            gc.set_threshold(YOUNG, _default[1], _default[2])
        _serving += 1
    try:
        yield
    finally:
        with _lock:
            _serving -= 1
            if _serving == 0:
                gc.set_threshold(*_default)
                gc.unfreeze()
