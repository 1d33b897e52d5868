"""What browsers are told: no CORS at all unless CLAIMTRAIL_CORS_ORIGINS names origins, and the
web page's security headers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.settings import Settings
from tests.api.conftest import Api, serve
from tests.api.helpers import bearer

APP = "https://app.example.org"
EVIL = "https://evil.example.net"


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    yield from serve(f"sqlite:///{tmp_path_factory.mktemp('plain') / 'p.sqlite3'}")


@pytest.fixture(scope="module")
def cors(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    yield from serve(
        f"sqlite:///{tmp_path_factory.mktemp('cors') / 'c.sqlite3'}",
        cors_origins=[APP, "https://other.example.org"],
    )


def _preflight(api: Api, origin: str, method: str = "POST") -> dict[str, str]:
    response = api.client.options(
        "/claims",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization, content-type, if-match",
        },
    )
    return {k.lower(): v for k, v in response.headers.items()} | {
        ":status": str(response.status_code)
    }


def test_cors_origins_are_read_comma_separated_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CLAIMTRAIL_CORS_ORIGINS", raising=False)
    assert Settings().cors_origins == []

    monkeypatch.setenv("CLAIMTRAIL_CORS_ORIGINS", f" {APP} ,https://b.example.org,")

    assert Settings().cors_origins == [APP, "https://b.example.org"]


def test_without_configured_origins_no_answer_carries_cors_headers(plain: Api) -> None:
    for origin in (APP, EVIL, "null"):
        answers = [
            plain.client.get("/claims", headers={"Origin": origin}),
            plain.client.post(
                "/sources",
                json={"url": "https://e.org/x", "title": "t"},
                headers={"Origin": origin, **bearer(plain.tokens["contributor"])},
            ),
            plain.client.get("/no-such-route", headers={"Origin": origin}),
        ]
        for response in answers:
            assert not any(h.lower().startswith("access-control-") for h in response.headers)
        preflight = _preflight(plain, origin)
        assert preflight[":status"] == "405"
        assert not any(h.startswith("access-control-") for h in preflight)


def test_a_configured_origin_may_read_answers_and_send_commands(cors: Api) -> None:
    response = cors.client.get("/claims", headers={"Origin": APP})
    preflight = _preflight(cors, APP)

    assert response.headers["access-control-allow-origin"] == APP
    assert "ETag" in response.headers["access-control-expose-headers"]
    assert "access-control-allow-credentials" not in response.headers
    assert preflight[":status"] == "200"
    assert preflight["access-control-allow-origin"] == APP
    assert "POST" in preflight["access-control-allow-methods"]
    assert {"authorization", "content-type", "if-match"} <= {
        h.strip().lower() for h in preflight["access-control-allow-headers"].split(",")
    }


def test_an_origin_not_configured_gets_no_cors_headers(cors: Api) -> None:
    response = cors.client.get("/claims", headers={"Origin": EVIL})
    preflight = _preflight(cors, EVIL)

    assert "access-control-allow-origin" not in response.headers
    assert preflight[":status"] == "400"
    assert "access-control-allow-origin" not in preflight


def test_refusals_reach_a_configured_origin_with_cors_headers(cors: Api) -> None:
    response = cors.client.post(
        "/claims",
        content=b'{"statement": "a\\u0000"}',
        headers={
            "Origin": APP,
            "Content-Type": "application/json",
            **bearer(cors.tokens["contributor"]),
        },
    )

    assert response.status_code == 422
    assert response.headers["access-control-allow-origin"] == APP


def test_the_web_page_is_served_with_security_headers(plain: Api) -> None:
    response = plain.client.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = {
        d.strip().split(" ")[0]: d.strip()
        for d in response.headers["Content-Security-Policy"].split(";")
    }
    assert policy["default-src"] == "default-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
