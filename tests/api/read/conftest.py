"""Fixtures of the read-side API tests: seeded servers on SQLite and on PostgreSQL.

`world` is one server per module and backend, seeded with the Xi-Putin article plus a review,
a dispute, a retraction and a second appearance; tests using it only read. `fresh` is a seeded
server per test, for tests that write.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from domain.values import Role
from domain.vocabulary import Verdict
from infra.ledger.application import Ledger, open_ledger
from infra.ledger.claim_inputs import Quote
from infra.seeding import SeedClaim, load_seed, read_seed
from tests import factories
from tests.api.conftest import Api, serve
from tests.conftest import fresh_database

SEED = Path(__file__).parents[3] / "seeds" / "xi-putin-summit-2022.yaml"
GUARDIAN = (
    "https://www.theguardian.com/world/2022/feb/03/"
    "xi-putin-summit-russia-inches-closer-china-new-cold-war-looms"
)
BLOG = "https://blog.example.org/2022/02/xi-putin-summit"
REVIEWED_FALSE = "uk-diplomatic-boycott-of-games"
DISPUTED = "china-russia-quasi-alliance"
RETRACTED = "unfolding-crisis-in-ukraine"
ALSO_IN_GUARDIAN = "beijing-supports-russian-security-demands"


@dataclass
class Seeded:
    """A running server over the seed article, and what the tests need to know about it."""

    api: Api
    url: str
    claims: dict[str, SeedClaim]  # by seed key
    ids: dict[str, str]  # claim id by seed key
    blog_id: str
    guardian_id: str

    def key_of(self, claim_id: str) -> str:
        return next(k for k, v in self.ids.items() if v == claim_id)

    def keys(self, items: list[Any]) -> set[str]:
        return {self.key_of(item["id"]) for item in items}

    def key_where(self, subject: str, relation: str, object: str | None) -> str:  # noqa: A002
        """The seed key of the one claim with this subject, relation and object."""
        [key] = [
            k
            for k, c in self.claims.items()
            if (c.subject, c.relation, c.object) == (subject, relation, object)
        ]
        return key

    def record(self, statement: str, **fields: Any) -> Any:
        """POST /claims (China supports Russia, quoting the seed article): the body."""
        body = {
            "statement": statement,
            "kind": "fact",
            "subject": "china",
            "relation": "supports",
            "object": "russia",
            "appearance": {"source_id": self.blog_id, "exact": factories.QUOTE},
        } | fields
        response = self.api.post("/claims", body)
        assert response.status_code == 201, response.text
        return response.json()


def _seed(ledger: Ledger) -> tuple[dict[str, SeedClaim], dict[str, str], str, str]:
    report = load_seed(ledger, SEED)
    seed, _ = read_seed(SEED)
    blog, guardian = ledger.sources.find(BLOG), ledger.sources.find(GUARDIAN)
    assert blog is not None and guardian is not None
    ids = {key: str(claim_id) for key, claim_id in report.claim_ids.items()}
    return {c.key: c for c in seed.claims}, ids, str(blog.id), str(guardian.id)


def _amend(ledger: Ledger, ids: dict[str, str], guardian_id: str) -> None:
    reviewer = factories.context(Role.REVIEWER)
    ledger.claims.review(
        reviewer,
        UUID(ids[REVIEWED_FALSE]),
        verdict=Verdict.FALSE,
        label=None,
        explanation="the UK boycott was announced in December",
    )
    ledger.claims.dispute(reviewer, UUID(ids[DISPUTED]), reason="'quasi-alliance' is loaded")
    ledger.claims.retract(reviewer, UUID(ids[RETRACTED]), reason="the editors' reading")
    ledger.claims.add_appearance(
        reviewer,
        UUID(ids[ALSO_IN_GUARDIAN]),
        Quote(UUID(guardian_id), "Beijing supports Russia's demands"),
    )


def start(url: str, *, amend: bool = False, **settings: Any) -> Iterator[Seeded]:
    """Seed the database, serve it, and wait until the views have caught up with the seed."""
    ledger = open_ledger(url)
    try:
        claims, ids, blog_id, guardian_id = _seed(ledger)
        if amend:
            _amend(ledger, ids, guardian_id)
        head = ledger.recorder.max_notification_id()
    finally:
        ledger.close()
    for api in serve(url, **settings):
        if settings.get("projections") != "off":
            response = api.get("/claims", min_position=head, limit=1)
            assert response.status_code == 200, response.text
        yield Seeded(api, url, claims, ids, blog_id, guardian_id)


serving = contextmanager(start)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def module_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh database for one module: a SQLite file, or a schema of the test PostgreSQL."""
    yield from fresh_database(request, tmp_path_factory, "read")


@pytest.fixture(scope="module")
def world(module_url: str) -> Iterator[Seeded]:
    """One seeded server per module and backend; tests using it must not write."""
    yield from start(module_url, amend=True)


@pytest.fixture
def fresh(database_url: str) -> Iterator[Seeded]:
    """A seeded server of its own, for a test that writes."""
    yield from start(database_url)
