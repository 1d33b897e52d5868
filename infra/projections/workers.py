"""Projection workers in processes: `claimtrail project --processes N` on PostgreSQL.

The views are split into groups of about equal cost (as `claimtrail replay` splits them,
rebuild.split_views) and each group follows the log in a process of its own: its own
connections, wake-ups and decoded events, on its own core. Every view keeps its own tracking
row, so a group commits its batches without waiting for the others and resumes where it was.

A group process finishes its batch and exits when asked (SIGTERM, SIGINT) and when the process
that started it is gone, even by SIGKILL: it holds the read end of a pipe that process never
writes to, so end of file means its death. No orphan keeps projecting beside a restarted worker.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from multiprocessing import get_context
from multiprocessing.connection import Connection

from infra.ledger.application import open_ledger
from infra.projections.projector import Projector
from infra.projections.read_model import all_views, wakeup_for
from infra.projections.stops import Backoff
from infra.projections.store import ViewStore


class GroupProcesses:
    """One process per group of view names, each following the log until `stop()`."""

    def __init__(
        self,
        database_url: str,
        groups: list[list[str]],
        batch_size: int | None = None,
        backoff: Backoff | None = None,
        prefix: str = "rm_",
    ) -> None:
        """`prefix`: of the views' tables (another than rm_: the benchmarks' own)."""
        # forkserver: each process starts clean (no threads, connections or locks copied
        # from this one) and opens its own ledger.
        context = get_context("forkserver")
        alive, self._alive = context.Pipe(duplex=False)  # this process holds the writing end
        self.groups = groups
        self.processes = [
            context.Process(
                target=follow,
                args=(database_url, names, batch_size, backoff or Backoff(), alive, prefix),
                name=f"claimtrail project {','.join(names)}",
            )
            for names in groups
        ]
        for process in self.processes:
            process.start()
        alive.close()  # each group process has its own copy

    def exited(self) -> list[tuple[list[str], int]]:
        """The groups whose process is no longer running, with its exit code."""
        return [
            (names, process.exitcode)
            for names, process in zip(self.groups, self.processes, strict=True)
            if process.exitcode is not None
        ]

    def stop(self, timeout: float = 60.0) -> None:
        """Ask every process to finish its batch and exit; kill those still running after
        `timeout` seconds (a batch cut short rolls back: nothing is lost)."""
        for process in self.processes:
            if process.is_alive():
                process.terminate()  # SIGTERM
        for process in self.processes:
            process.join(timeout)
            if process.is_alive():
                process.kill()
                process.join()
        self._alive.close()


def follow(
    database_url: str,
    names: list[str],
    batch_size: int | None,
    backoff: Backoff,
    parent_alive: Connection,
    prefix: str = "rm_",
) -> None:
    """In a group process: project the named views, following the log until stopped."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    threading.Thread(target=_watch, args=(parent_alive, stop), daemon=True).start()
    ledger = open_ledger(database_url)
    try:
        views = [view for view in all_views() if view.name in names]
        projector = Projector(ledger, views, ViewStore(ledger.recorder, prefix), batch_size)
        projector.backoff = backoff
        wakeup = wakeup_for(ledger, database_url)
        try:
            projector.run_forever(stop, wakeup, interval=wakeup.interval)
        finally:
            wakeup.close()
    finally:
        ledger.close()


def _watch(parent_alive: Connection, stop: threading.Event) -> None:
    """Set `stop` once the starting process is gone (it never writes: recv ends at EOF)."""
    with contextlib.suppress(EOFError, OSError):
        parent_alive.recv_bytes()
    stop.set()
