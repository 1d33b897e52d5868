"""Tokens and principals: only key hashes are stored, tokens are compared in constant time,
and the principal recorded on an event comes from the token, never from the request.

Contributors correct or retract only their own claims: tests/api/test_auth_matrix.py
(test_correcting_or_retracting_someone_elses_claim_needs_a_higher_role) and
tests/api/test_claim_commands.py (test_a_contributor_corrects_and_retracts_only_its_own_claims).
"""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from infra.store.database import libpq_url
from tests.api.conftest import Api, World
from tests.api.helpers import assert_problem, bearer, new_principal, record_claim
from tests.api.test_auth_matrix import ENDPOINTS


def _stored(url: str) -> list[bytes]:
    """Every value in every table of the database (the events' state and the views' rows)."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        # The files as they are on disk, write-ahead log included, and each table read back.
        found = [p.read_bytes() for p in path.parent.glob(path.name + "*")]
        with sqlite3.connect(path) as conn:
            tables = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            for table in tables:
                rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
                found += [_bytes(v) for row in rows for v in row]
        return found
    server, _, schema = url.partition("?schema=")
    found = []
    with psycopg.connect(libpq_url(server)) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (schema,),
            )
        ]
        for table in tables:
            rows = conn.execute(
                sql.SQL("SELECT * FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
            ).fetchall()
            found += [_bytes(v) for row in rows for v in row]
    return found


def _bytes(value: Any) -> bytes:
    return bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()


def test_a_token_is_never_stored_only_its_sha256(
    served: tuple[Api, World], backend_url: str
) -> None:
    api, _ = served
    created = new_principal(api, "contributor")
    issued = api.post(f"/principals/{created['id']}/keys", None, role="admin").json()
    api.get("/readyz")

    stored = _stored(backend_url)

    for token in (created["token"], issued["token"]):
        secret = token.split("_", 3)[3]  # ct_<principal>_<key>_<secret>; the secret may hold "_"
        digest = hashlib.sha256(token.encode()).hexdigest()
        assert not any(secret.encode() in value for value in stored), "a secret is stored"
        assert any(digest.encode() in value for value in stored), "the key's hash is not stored"


def test_a_webhook_secret_is_stored_only_sealed_and_no_read_gives_it_back(
    served: tuple[Api, World], backend_url: str
) -> None:
    api, _ = served
    body = {"url": "https://hooks.example.org/secrets", "event_types": ["*"]}
    hook = api.post("/webhooks", body, role="admin").json()
    secret = hook["secret"].removeprefix("whsec_")
    head = api.get("/readyz").json()["position"]

    stored = _stored(backend_url)
    answers = [
        api.get("/audit/log", limit=1000, min_position=head),
        api.get(f"/webhooks/{hook['id']}", role="admin"),
        api.get("/webhooks", role="admin"),
        api.get(f"/webhooks/{hook['id']}/deliveries", role="admin"),
    ]

    assert not any(secret.encode() in value for value in stored), "a webhook secret is stored"
    for response in answers:
        assert response.status_code == 200, response.text
        assert secret not in response.text


def test_no_read_gives_a_token_back(served: tuple[Api, World]) -> None:
    api, _ = served
    created = new_principal(api, "reader")
    secret = created["token"].split("_", 3)[3]  # the secret itself may hold "_"
    head = api.get("/readyz").json()["position"]

    answers = [
        api.get("/audit/log", limit=1000, min_position=head),
        api.get(f"/principals/{created['id']}", role="admin"),
        api.get("/principals", role="admin"),
        api.get("/timeline", limit=500),
    ]

    for response in answers:
        assert response.status_code == 200, response.text
        assert secret not in response.text


def test_tokens_are_compared_in_constant_time_against_every_key(
    served: tuple[Api, World], monkeypatch: pytest.MonkeyPatch
) -> None:
    api, _ = served
    principal = new_principal(api, "contributor")
    tokens = [principal["token"]] + [
        api.post(f"/principals/{principal['id']}/keys", None, role="admin").json()["token"]
        for _ in range(2)
    ]
    forged = tokens[0][:-4] + ("AAAA" if not tokens[0].endswith("AAAA") else "BBBB")
    compared: list[tuple[str, str]] = []
    original = hmac.compare_digest

    def compare_digest(a: str, b: str) -> bool:
        compared.append((a, b))
        return original(a, b)

    # domain/principals.py compares through the hmac module: spy on it there.
    monkeypatch.setattr(hmac, "compare_digest", compare_digest)
    good = api.client.get("/claims", headers=bearer(tokens[0]))
    bad = api.client.get("/claims", headers=bearer(forged))

    assert good.status_code == 200
    assert_problem(bad, 401)
    presented = {_sha256(tokens[0]), _sha256(forged)}
    ours = [(stored, given) for stored, given in compared if given in presented]
    # Two requests, three keys: every stored hash compared each time, no early exit on a match.
    assert len(ours) == 6
    assert {stored for stored, _ in ours} == {_sha256(t) for t in tokens}


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- the acting principal -------------------------------------------------------------------

SPOOFED = {
    "recorded_by": "00000000-0000-0000-0000-000000000001",
    "principal_id": "00000000-0000-0000-0000-000000000001",
    "meta": {"principal_id": "00000000-0000-0000-0000-000000000001"},
}


@pytest.mark.parametrize("endpoint", [e for e, (_, _, _) in ENDPOINTS.items()])
def test_a_body_naming_a_principal_is_refused_or_ignored(
    served: tuple[Api, World], endpoint: str
) -> None:
    api, world = served
    prepare, least, _ = ENDPOINTS[endpoint]
    request = prepare(api, world, least)
    before = api.get("/readyz").json()["position"]

    response = api.client.request(
        request.method,
        request.path,
        json={**(request.body or {}), **SPOOFED},
        headers=bearer(api.tokens[least]),
    )

    if request.body is not None:  # a command with a body: each extra field is a 422
        problem = assert_problem(response, 422)
        # A field the command names itself (the principal_id of a member to add) is not the
        # acting principal; every other one is refused.
        assert {e["loc"][-1] for e in problem["errors"]} == set(SPOOFED) - set(request.body)
        assert api.get("/readyz").json()["position"] == before
        return
    # a command without a body never reads one: the event names the token's principal
    assert response.status_code in (200, 201), response.text
    last = api.get("/audit/log", after=before, min_position=before + 1).json()["items"]
    assert {item["recorded_by"] for item in last} == {_principal_id(api, least)}


def test_history_names_the_tokens_principal_whatever_the_headers_say(
    served: tuple[Api, World],
) -> None:
    api, world = served
    claim = record_claim(api, world)
    headers = {
        **bearer(api.tokens["reviewer"]),
        "X-Request-Id": "spoof",
        "X-Principal-Id": "00000000-0000-0000-0000-000000000001",
        "X-Forwarded-User": "admin",
    }
    api.client.post(
        f"/claims/{claim['id']}/evidence", json={"stance": "supports", "note": "n"}, headers=headers
    )

    history = api.get(f"/claims/{claim['id']}/history").json()["items"]

    assert [item["recorded_by"] for item in history] == [
        _principal_id(api, "contributor"),
        _principal_id(api, "reviewer"),
    ]
    assert claim["recorded_by"] == _principal_id(api, "contributor")


def _principal_id(api: Api, role: str) -> str:
    if role == "admin":
        return next(
            p["id"]
            for p in api.get("/principals", role="admin").json()["items"]
            if p["name"] == "admin"
        )
    return next(
        p["id"]
        for p in api.get("/principals", role="admin").json()["items"]
        if p["name"] == f"{role}-user"
    )
