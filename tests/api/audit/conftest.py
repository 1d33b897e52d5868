"""A served ledger with some history; a client that checks proofs the way an auditor would."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from infra.integrity.keys import load_public_key
from infra.integrity.signing import Checkpoint
from tests.api.conftest import Api, serve
from tests.factories import QUOTE, SEED_TEXT


@dataclass
class Audited:
    api: Api
    url: str
    head: int  # the position of the last event written

    def checkpoint(self, min_position: int | None = None) -> Checkpoint:
        params = {"min_position": min_position or self.head}
        response = self.api.get("/audit/checkpoint", **params)
        assert response.status_code == 200, response.text
        return Checkpoint.from_dict(response.json())

    def public_key(self) -> Ed25519PublicKey:
        return load_public_key(self.api.get("/audit/public-key").json()["pem"].encode())

    def write(self, claims: int = 1) -> int:
        """Record claims (and dispute the first); the position of the last event."""
        suffix = uuid.uuid4().hex[:8]
        for slug in (f"china-{suffix}", f"russia-{suffix}"):
            assert (
                self.api.post(
                    "/actors", {"id": slug, "name": slug.title(), "kind": "state"}
                ).status_code
                == 201
            )
        source = self.api.post(
            "/sources",
            {"url": f"https://example.org/{suffix}", "title": "Xi-Putin summit", "text": SEED_TEXT},
        )
        assert source.status_code == 201, source.text
        for n in range(claims):
            body = {
                "statement": f"China supports Russia ({n})",
                "kind": "quote",
                "subject": f"china-{suffix}",
                "relation": "supports",
                "object": f"russia-{suffix}",
                "appearance": {"source_id": source.json()["id"], "exact": QUOTE},
            }
            created = self.api.post("/claims", body)
            assert created.status_code == 201, created.text
            self.head = created.json()["position"]
            if n == 0:
                disputed = self.api.post(
                    f"/claims/{created.json()['id']}/disputes", {"reason": "out of context"}
                )
                assert disputed.status_code == 201, disputed.text
                self.head = disputed.json()["position"]
        return self.head


def _served(database_url: str) -> Iterator[Audited]:
    for api in serve(database_url):
        audited = Audited(api, str(api.client.base_url), 0)
        audited.write(claims=3)
        yield audited


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Audited]:
    """One SQLite server shared by a module's read-only tests."""
    path = tmp_path_factory.mktemp("audit") / "claimtrail.sqlite3"
    yield from _served(f"sqlite:///{path}")


@pytest.fixture
def fresh(database_url: str) -> Iterator[Audited]:
    """A server of its own (SQLite and PostgreSQL), for tests that change or tamper."""
    yield from _served(database_url)
