"""A bounded, thread-safe memo for values that never change once they exist.

Sources are immutable (one event), an actor's name never changes, and a name's reservation is
permanent: reading them again on every command would only cost round trips. Failures (an
unknown id, an unknown name) are never remembered.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, V] = OrderedDict()
        self.lock = threading.Lock()

    def __contains__(self, key: Hashable) -> bool:
        return key in self.items

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()  # outside the lock: a slow read must not block other keys
        with self.lock:
            self.items[key] = value
            if len(self.items) > self.size:
                self.items.popitem(last=False)
        return value
