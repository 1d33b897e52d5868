"""Database urls become eventsourcing settings; a named PostgreSQL schema is created on the way."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from infra.ledger.application import open_ledger
from infra.store.database import DatabaseUrlError, environment, libpq_url
from tests.factories import claim


def test_a_relative_sqlite_path_is_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    env = environment("sqlite:///var/data/claimtrail.sqlite3")

    assert env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert env["SQLITE_DBNAME"] == "var/data/claimtrail.sqlite3"
    assert (tmp_path / "var" / "data").is_dir()


def test_an_absolute_sqlite_path_is_kept_and_its_directory_made(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "ledger.sqlite3"

    env = environment(f"sqlite:///{path}")

    assert env["SQLITE_DBNAME"] == str(path)
    assert path.parent.is_dir()


def test_a_ledger_opened_on_a_sqlite_url_writes_that_file(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    ledger = open_ledger(f"sqlite:///{path}")
    try:
        claim(ledger)
    finally:
        ledger.close()

    assert path.stat().st_size > 0


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite://", "sqlite:///"])
def test_in_memory_or_pathless_sqlite_is_refused(url: str) -> None:
    with pytest.raises(DatabaseUrlError):
        environment(url)


@pytest.mark.parametrize(
    "url", ["mysql://root@localhost/claims", "claimtrail.sqlite3", "https://example.org/db"]
)
def test_an_unsupported_scheme_is_refused(url: str) -> None:
    with pytest.raises(DatabaseUrlError):
        environment(url)


def test_a_postgresql_url_maps_to_its_connection_settings() -> None:
    env = environment("postgresql://ana:p%40ss@db.internal:6543/claims")

    assert env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"]) == ("db.internal", "6543")
    assert (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"]) == ("ana", "p@ss")
    assert env["POSTGRES_DBNAME"] == "claims"
    assert env["POSTGRES_SCHEMA"] == "public"


def test_a_postgres_url_without_details_takes_the_defaults() -> None:
    env = environment("postgres://")

    assert env["POSTGRES_HOST"] == "127.0.0.1"
    assert env["POSTGRES_PORT"] == "5432"
    assert env["POSTGRES_DBNAME"] == env["POSTGRES_USER"] == "postgres"


@pytest.fixture
def fresh_schema(postgres_server: str | None) -> Iterator[tuple[str, str]]:
    """A server url and the name of a schema that does not exist yet (dropped afterwards)."""
    assert postgres_server is not None, "set CLAIMTRAIL_TEST_DATABASE_URL"
    schema = f"ct_url_{uuid.uuid4().hex[:12]}"
    yield libpq_url(postgres_server), schema
    with psycopg.connect(libpq_url(postgres_server), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def schema_exists(server: str, schema: str) -> bool:
    with psycopg.connect(server) as conn:
        row = conn.execute(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = %s", (schema,)
        ).fetchone()
    return row is not None and row[0] == 1


@pytest.mark.postgres
@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg"])
def test_a_postgresql_url_with_a_schema_creates_the_schema(
    fresh_schema: tuple[str, str], scheme: str
) -> None:
    server, schema = fresh_schema
    url = f"{scheme}{server.removeprefix('postgresql')}?schema={schema}"

    env = environment(url)

    assert env["POSTGRES_SCHEMA"] == schema
    assert schema_exists(server, schema)
    assert environment(url) == env  # creating it again is harmless


@pytest.mark.postgres
def test_a_ledger_opened_on_a_schema_url_keeps_its_events_in_that_schema(
    fresh_schema: tuple[str, str],
) -> None:
    server, schema = fresh_schema
    ledger = open_ledger(f"{server}?schema={schema}")
    try:
        recorded = claim(ledger)
        table = ledger.recorder.events_table_name
    finally:
        ledger.close()

    with psycopg.connect(server) as conn:
        row = conn.execute(
            sql.SQL("SELECT count(*) FROM {}.{} WHERE originator_id = %s").format(
                sql.Identifier(schema), sql.Identifier(table)
            ),
            (recorded.id,),
        ).fetchone()
    assert row is not None and row[0] == 1
