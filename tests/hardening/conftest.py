"""Fixtures of the hardening tests: a fresh database per module and backend, and a tally of
what the fuzzer sent (printed at the end of the run)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from tests.api.conftest import Api, World, serve
from tests.conftest import fresh_database
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
    yield from fresh_database(request, tmp_path_factory, "hard")


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
