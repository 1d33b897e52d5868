"""New ids: version 4 UUIDs from a per-thread buffer of os.urandom bytes, never repeated by a
thread of their own or by a forked child."""

from __future__ import annotations

import os
import threading
import uuid

import pytest

from infra import ids
from infra.ids import new_uuid


def test_ids_are_random_version_4_uuids() -> None:
    made = [new_uuid() for _ in range(3000)]  # more than one buffer's worth
    assert all(u.version == 4 and u.variant == uuid.RFC_4122 for u in made)
    assert len(set(made)) == len(made)
    assert len({u.bytes[:4] for u in made}) > 2900  # not a counter: random bytes


def test_threads_draw_from_buffers_of_their_own() -> None:
    made: list[uuid.UUID] = []
    lock = threading.Lock()

    def draw() -> None:
        mine = [new_uuid() for _ in range(1000)]
        with lock:
            made.extend(mine)

    threads = [threading.Thread(target=draw) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(made)) == 8000


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_does_not_repeat_its_parents_ids() -> None:
    new_uuid()  # the parent's buffer holds bytes the child must not use
    before = ids._buffers
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child process
        os.close(reading)
        os.write(writing, new_uuid().bytes + bytes([ids._buffers is not before]))
        os._exit(0)
    os.close(writing)
    received = os.read(reading, 17)
    os.close(reading)
    os.waitpid(child, 0)
    theirs, fresh = uuid.UUID(bytes=received[:16]), received[16]
    assert fresh == 1  # the child started with a buffer of its own
    assert theirs != new_uuid()  # the id the parent draws next is not the child's
