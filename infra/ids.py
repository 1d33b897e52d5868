"""Random (version 4) UUIDs for new ids, drawn from a per-thread buffer of `os.urandom` bytes.

`uuid.uuid4()` calls `os.urandom(16)` for every id, and `os.urandom` releases the GIL around its
`getrandom` call: in an API process, where the event loop shares the GIL with the writer and
lookup threads, each release could hand the GIL to another thread and leave the event loop
waiting to take it back (up to the 5 ms switch interval). Measured under POST /claims at 32
clients (README, Performance): the two ids per request cost ~18% of the throughput that way.
Here a thread draws 4 kB at a time (one release per 256 ids). The bytes are the same
`os.urandom` output `uuid4` uses, so the ids are as unpredictable; a child process forked from
this one starts with an empty buffer, so it never repeats its parent's ids.
"""

from __future__ import annotations

import os
import threading
from uuid import UUID

_BUFFER = 4096  # bytes drawn at a time: 256 ids


class _Buffers(threading.local):
    data = b""
    used = 0


_buffers = _Buffers()


def new_uuid() -> UUID:
    """What `uuid.uuid4()` returns: 122 random bits, version 4, RFC 4122 variant."""
    local = _buffers
    used = local.used
    if used + 16 > len(local.data):
        local.data, used = os.urandom(_BUFFER), 0
    local.used = used + 16
    return UUID(bytes=local.data[used : used + 16], version=4)


def _forget() -> None:
    global _buffers
    _buffers = _Buffers()


os.register_at_fork(after_in_child=_forget)
