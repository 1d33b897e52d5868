"""The log's next batch, read and decoded on a thread while the projector applies this one.

A catch-up alternates between Python work (decoding, the views' rows) and waits on the
database (COPY, statements, commit). While the projector's transaction waits, a thread reads
the next batch and decodes it, so the two overlap. Only on PostgreSQL (an SQLite connection
belongs to its thread), and only after a full batch (a projector that has caught up reads each
batch when it needs it, as before). A batch read ahead is what a read at that moment would
return: the log's positions are committed in order (the recorder's table lock), so it is the
same as reading it a moment later, minus any events appended since, which the next read finds.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Notification
from eventsourcing.postgres import PostgresApplicationRecorder

from infra.projections.decoding import Decoder
from infra.store.log_reader import notifications_after

Batch = tuple[Sequence[Notification], list[Any] | None]  # notes, and their events if decoded


class ReadAhead:
    def __init__(self, recorder: ApplicationRecorder, decode: Decoder, batch_size: int) -> None:
        self.recorder, self.decode, self.batch_size = recorder, decode, batch_size
        self.enabled = isinstance(recorder, PostgresApplicationRecorder)
        self.pool: ThreadPoolExecutor | None = None
        self.pending: tuple[int, Future[Batch]] | None = None

    def take(self, after: int) -> Batch:
        """The batch after position `after`: the one read ahead if it starts there (its events
        decoded), else read now (events not decoded: None)."""
        pending, self.pending = self.pending, None
        if pending is not None and pending[0] == after:
            try:
                return pending[1].result()
            except Exception:  # noqa: S110 - read again below, where an error is raised as before
                pass
        return notifications_after(self.recorder, after, self.batch_size), None

    def start(self, after: int, until: Any) -> None:
        """Begin reading (and decoding up to `until`) the batch after position `after`."""
        if not self.enabled:
            return
        if self.pool is None:
            self.pool = ThreadPoolExecutor(1, thread_name_prefix="claimtrail-read-ahead")
        self.pending = (after, self.pool.submit(self._read, after, until))

    def drop(self) -> None:
        """Forget a batch read ahead (the projector will not continue from where it ends)."""
        self.pending = None

    def _read(self, after: int, until: Any) -> Batch:
        notes = notifications_after(self.recorder, after, self.batch_size)
        return notes, self.decode.batch(notes, until)
