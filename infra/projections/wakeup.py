"""Waiting for new events: LISTEN/NOTIFY on PostgreSQL (polling as the fallback), polling on SQLite.

A NOTIFY is only a hint: the projector always reads from the table, so a lost notification
delays a view by at most one polling interval and loses nothing (the stall of upstream issue
#305 cannot happen: every wait has a timeout).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import psycopg

log = logging.getLogger("claimtrail.projections")


class Wakeup:
    """`wait(timeout)` returns when new events may be there, or after `timeout`."""

    def __init__(self, conninfo: str | None = None, channel: str | None = None) -> None:
        self.conninfo, self.channel = conninfo, channel
        self.conn: Any = None
        self.lock = threading.Lock()

    @property
    def interval(self) -> float:
        """Seconds between polls: a NOTIFY usually wakes a LISTEN sooner; polling only, often."""
        return 0.5 if self.conninfo else 0.05

    def __call__(self, timeout: float) -> None:
        if self.conninfo is None or self.channel is None:
            time.sleep(timeout)
            return
        try:
            conn = self._connection(self.conninfo, self.channel)
            for _ in conn.notifies(timeout=timeout, stop_after=1):
                pass
        except psycopg.Error as exc:
            log.warning("LISTEN connection lost (%s); polling until it is back", exc)
            self.close()
            time.sleep(timeout)

    def _connection(self, conninfo: str, channel: str) -> Any:
        if self.conn is None or self.conn.closed:
            self.conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=5)
            self.conn.execute(f'LISTEN "{channel}"')
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None
