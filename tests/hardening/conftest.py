"""Fixtures of the hardening tests: a fresh database per module and backend, and a tally of
what the fuzzer sent (printed at the end of the run)."""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from infra.database import libpq_url
from tests.api.conftest import Api, World, serve
from tests.factories import SEED_TEXT

# Filled by test_fuzz.py: (backend, operation) -> requests sent; (backend, status) -> answers.
FUZZED: Counter[tuple[str, str]] = Counter()
ANSWERED: Counter[tuple[str, int]] = Counter()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def backend_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh database for one module: a SQLite file, or a schema of the test PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('hardening') / 'claimtrail.sqlite3'}"
        return
    server: str | None = request.getfixturevalue("postgres_server")
    if server is None:
        if os.environ.get("CLAIMTRAIL_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required (CLAIMTRAIL_REQUIRE_POSTGRES=1)")
        pytest.skip("no PostgreSQL: set CLAIMTRAIL_TEST_DATABASE_URL")
    schema = f"ct_hard_{uuid.uuid4().hex[:12]}"
    yield f"{libpq_url(server)}?schema={schema}"
    with psycopg.connect(libpq_url(server), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def start(url: str, **settings: object) -> Iterator[tuple[Api, World]]:
    """A server with China (alias Beijing), Russia, a source with the seed text and one
    without: what tests/api/conftest.py's `world` holds, on any database."""
    for api in serve(url, **settings):
        for actor in (
            {"id": "china", "name": "China", "kind": "state", "aliases": ["Beijing"]},
            {"id": "russia", "name": "Russia", "kind": "state"},
        ):
            assert api.post("/actors", actor).status_code == 201
        seed = api.post(
            "/sources",
            {"url": "https://example.org/hardening", "title": "Xi-Putin summit", "text": SEED_TEXT},
        )
        bare = api.post("/sources", {"url": "https://example.org/hardening-bare", "title": "Bare"})
        assert seed.status_code == bare.status_code == 201, (seed.text, bare.text)
        yield api, World(seed.json()["id"], bare.json()["id"])


@pytest.fixture(scope="module")
def served(backend_url: str) -> Iterator[tuple[Api, World]]:
    yield from start(backend_url)


def backend(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgres"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FUZZED:
        return
    for name in sorted({b for b, _ in FUZZED}):
        counts = {op: n for (b, op), n in FUZZED.items() if b == name}
        statuses = sorted((status, n) for (b, status), n in ANSWERED.items() if b == name)
        terminalreporter.write_line(
            f"fuzzed on {name}: {len(counts)} operations, {sum(counts.values())} requests "
            f"(min {min(counts.values())}, max {max(counts.values())} per operation); "
            f"answers by status: {', '.join(f'{s}: {n}' for s, n in statuses)}"
        )
