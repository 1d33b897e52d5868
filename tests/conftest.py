"""Shared fixtures: real SQLite files and a real PostgreSQL (one fresh schema per test).

PostgreSQL comes from CLAIMTRAIL_TEST_DATABASE_URL, else from testcontainers when a Docker engine
exists, else its tests skip -- unless CLAIMTRAIL_REQUIRE_POSTGRES=1 (CI), where that is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from infra.ledger.application import Ledger, open_ledger
from infra.store.database import libpq_url

os.environ.setdefault("EVENTSOURCING_DISABLE_REDEFINITION_CHECK", "1")


@pytest.fixture(scope="session", autouse=True)
def signing_key_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Audit checkpoints in tests are signed with a throwaway key, never var/signing-key.pem."""
    path = str(tmp_path_factory.mktemp("keys") / "signing-key.pem")
    os.environ["CLAIMTRAIL_SIGNING_KEY_FILE"] = path
    return path


@pytest.fixture(scope="session", autouse=True)
def webhook_key_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Webhook secrets in tests are sealed with a throwaway key, never var/webhook-key."""
    path = str(tmp_path_factory.mktemp("keys") / "webhook-key")
    os.environ["CLAIMTRAIL_WEBHOOK_KEY_FILE"] = path
    return path


def _postgres_server() -> Iterator[str | None]:
    url = os.environ.get("CLAIMTRAIL_TEST_DATABASE_URL")
    if url:
        yield url
        return
    try:
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16-alpine", driver=None) as container:
            yield container.get_connection_url()
    except Exception as exc:  # no Docker engine here: the PostgreSQL cases cannot run
        if os.environ.get("CLAIMTRAIL_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required (CLAIMTRAIL_REQUIRE_POSTGRES=1) but: {exc}")
        yield None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str | None]:
    yield from _postgres_server()


@pytest.fixture
def postgres_url(postgres_server: str | None) -> Iterator[str]:
    """A url to a fresh, empty schema of the test PostgreSQL, dropped afterwards."""
    if postgres_server is None:
        if os.environ.get("CLAIMTRAIL_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required (CLAIMTRAIL_REQUIRE_POSTGRES=1)")
        pytest.skip("no PostgreSQL: set CLAIMTRAIL_TEST_DATABASE_URL")
    schema = f"ct_test_{uuid.uuid4().hex[:12]}"
    yield f"{libpq_url(postgres_server)}?schema={schema}"
    with psycopg.connect(libpq_url(postgres_server), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'claimtrail.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test using it runs once on a SQLite file and once on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(name)
    return url


@pytest.fixture
def ledger(database_url: str) -> Iterator[Ledger]:
    app = open_ledger(database_url)
    yield app
    app.close()


@pytest.fixture
def reopen(database_url: str) -> Iterator[object]:
    """Open another ledger on the same database (to prove a round trip through storage)."""
    opened: list[Ledger] = []

    def _open() -> Ledger:
        opened.append(open_ledger(database_url))
        return opened[-1]

    yield _open
    for app in opened:
        app.close()


def fresh_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, label: str
) -> Iterator[str]:
    """A fresh database for one module (`request.param` "sqlite" or "postgres"): a SQLite file,
    or a schema of the test PostgreSQL dropped afterwards. Use it from a module-scoped fixture
    parametrized over both backends."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp(label) / 'claimtrail.sqlite3'}"
        return
    server: str | None = request.getfixturevalue("postgres_server")
    if server is None:
        if os.environ.get("CLAIMTRAIL_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required (CLAIMTRAIL_REQUIRE_POSTGRES=1)")
        pytest.skip("no PostgreSQL: set CLAIMTRAIL_TEST_DATABASE_URL")
    schema = f"ct_{label}_{uuid.uuid4().hex[:12]}"
    yield f"{libpq_url(server)}?schema={schema}"
    with psycopg.connect(libpq_url(server), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
