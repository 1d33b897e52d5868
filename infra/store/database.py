"""`CLAIMTRAIL_DATABASE_URL` -> the eventsourcing environment (and a place for raw SQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg_pool
from psycopg_pool.base import AttemptWithBackoff

DEFAULT_URL = "sqlite:///./var/claimtrail.sqlite3"
RECORDER_TOPIC = "infra.store.recorder:OneTripRecorder"


class DatabaseUrlError(ValueError):
    """Raised when the database url is neither sqlite:///... nor postgresql://..."""


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in ("postgresql", "postgres", "postgresql+psycopg")


def environment(url: str) -> dict[str, str]:
    """The eventsourcing settings for a database url.

    `sqlite:///relative/path`, `sqlite:////absolute/path`;
    `postgresql://user:pass@host:port/db?schema=name` (the schema is created if missing;
    `pool_size` and `max_overflow` may be given the same way).
    """
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)[1:] if parts.path.startswith("/") else unquote(parts.path)
        if not path or path == ":memory:":
            raise DatabaseUrlError(
                "sqlite needs a file path (in-memory SQLite breaks with threads)"
            )
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": path,
            "SQLITE_LOCK_TIMEOUT": "10",
        }
    if is_postgres(url):
        query = parse_qs(parts.query)
        schema = query.get("schema", ["public"])[0]
        if schema != "public":
            ensure_schema(url, schema)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")) or "postgres",
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_SCHEMA": schema,
            # Fail fast instead of queueing for minutes when the pool or the server is gone.
            # This is the pool checkout timeout, and eventsourcing retries every recorder call
            # 10 times on OperationalError: a call gives up after ~10 x (1 s + 0.2 s) = 12 s
            # (with 5 s it was ~52 s, and requests hung that long during an outage).
            "POSTGRES_CONNECT_TIMEOUT": "1",
            "POSTGRES_LOCK_TIMEOUT": "5",
            # `?pool_size=&max_overflow=` in the url override the pool's size.
            "POSTGRES_POOL_SIZE": query.get("pool_size", ["5"])[0],
            "POSTGRES_MAX_OVERFLOW": query.get("max_overflow", ["15"])[0],
            # No pre-ping: it doubles the round trips of every read, and the recorder already
            # retries a call that meets a broken connection (tests/faults covers an outage).
            "POSTGRES_PRE_PING": "n",
            # The library's recorder with an insert in one round trip (infra/store/recorder.py).
            "APPLICATION_RECORDER_TOPIC": RECORDER_TOPIC,
        }
    raise DatabaseUrlError(f"unsupported database url scheme '{parts.scheme}'")


def libpq_url(url: str) -> str:
    """The url without our own `schema` parameter, for psycopg."""
    parts = urlsplit(url)
    return parts._replace(scheme="postgresql", query="").geturl()


def ensure_schema(url: str, schema: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))


# After a connection fails, psycopg_pool tries again 1, 2, 4, 8... s later (doubling until
# `reconnect_timeout`, 5 min): a 70 s outage left the pool idle for ~44 s after PostgreSQL was
# back. Attempts at most this far apart, and for as long as it takes, bring it back within ~2 s.
RECONNECT_DELAY_MAX = 2.0
RECONNECT_FOREVER = 10 * 365 * 24 * 3600.0


def cap_reconnect_backoff(recorder: Any) -> None:
    """Make the recorder's PostgreSQL pool (if it has one) retry a lost connection at least
    every RECONNECT_DELAY_MAX seconds, and never give up."""
    pool = getattr(getattr(recorder, "datastore", None), "pool", None)
    if pool is None or not isinstance(pool, psycopg_pool.ConnectionPool):
        return
    pool.reconnect_timeout = RECONNECT_FOREVER
    if not isinstance(pool, _CappedReconnectPool):
        pool.__class__ = type("CappedReconnectPool", (_CappedReconnectPool, type(pool)), {})


class _CappedBackoff(AttemptWithBackoff):
    def update_delay(self, now: float) -> None:
        super().update_delay(now)
        self.delay = min(self.delay, RECONNECT_DELAY_MAX)


class _CappedReconnectPool(psycopg_pool.ConnectionPool):
    """Mixed into the pool's own class: each reconnection attempt backs off at most
    RECONNECT_DELAY_MAX."""

    def _add_connection(self, attempt: AttemptWithBackoff | None, growing: bool = False) -> None:
        attempt = attempt or _CappedBackoff(timeout=self.reconnect_timeout)
        super()._add_connection(attempt, growing)


@contextmanager
def setup_lock(url: str) -> Iterator[None]:
    """Held while a process creates the ledger's tables, functions and triggers: processes
    starting together on one PostgreSQL schema would otherwise race in the catalog ("tuple
    concurrently updated"). Nothing to hold on SQLite."""
    if not is_postgres(url):
        yield
        return
    import psycopg

    schema = environment(url)["POSTGRES_SCHEMA"]
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"claimtrail setup {schema}",))
        yield  # the lock ends with the session
