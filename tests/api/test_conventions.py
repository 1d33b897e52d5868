"""Conventions every endpoint shares: problem+json errors, no 500 for bad input, body limits,
404/405 problems, positions that follow the global log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import Api, World, serve
from tests.api.helpers import PROBLEM, assert_invalid, assert_problem, claim_payload, record_claim

SMALL_LIMIT = 1000


@pytest.fixture(scope="module")
def small_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """A server refusing request bodies over SMALL_LIMIT bytes."""
    path: Path = tmp_path_factory.mktemp("small") / "claimtrail.sqlite3"
    yield from serve(f"sqlite:///{path}", max_body_bytes=SMALL_LIMIT)


def _raw(
    api: Api,
    method: str,
    path: str,
    content: bytes | Iterator[bytes],
    content_type: str | None = "application/json",
    role: str = "contributor",
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {api.tokens[role]}"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    return api.client.request(method, path, content=content, headers=headers)


# -- problem+json for routing errors -----------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/no-such-thing", "/claims/x/y/z/w", "/sources/a/b", "/claims/..%2f..%2fetc%2fpasswd"]
)
def test_an_unknown_route_is_a_404_problem(api: Api, path: str) -> None:
    assert_problem(api.get(path), 404)


@pytest.mark.parametrize("path", ["/%00", "/claims/%00", "/claims?q=a%00b", "/actors?q=%00"])
def test_a_nul_character_in_a_path_or_query_is_a_422_problem(api: Api, path: str) -> None:
    assert_problem(api.client.get(path), 422)


def test_a_nul_character_in_a_body_is_refused_and_nothing_is_written(
    api: Api, world: World
) -> None:
    before = api.get("/readyz").json()["position"]
    response = api.post("/claims", claim_payload(world, statement="a\u0000b"))
    assert_problem(response, 422)
    assert api.get("/readyz").json()["position"] == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/claims"),
        ("DELETE", "/sources"),
        ("PATCH", "/principals"),
        ("PUT", "/actors/china/aliases"),
        ("DELETE", "/claims/{claim}"),
        ("GET", "/claims/{claim}/evidence"),
    ],
)
def test_a_wrong_method_is_a_405_problem_naming_the_allowed_ones(
    api: Api, world: World, method: str, path: str
) -> None:
    claim = record_claim(api, world)

    response = api.client.request(method, path.format(claim=claim["id"]))

    assert_problem(response, 405)
    assert response.headers["Allow"]


def test_a_validation_problem_lists_each_error_with_its_location(api: Api, world: World) -> None:
    body = claim_payload(world, kind="rumour", statement="")
    del body["subject"]

    problem = assert_invalid(api.post("/claims", body))

    locs = sorted(tuple(e["loc"]) for e in problem["errors"])
    assert locs == [("body", "kind"), ("body", "statement"), ("body", "subject")]
    assert all(e["msg"] for e in problem["errors"])


def test_success_responses_are_json(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    for path in (
        f"/claims/{claim['id']}",
        f"/claims/{claim['id']}/history",
        f"/sources/{world.source_id}",
        "/actors/china",
    ):
        response = api.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"


# -- never a 500 for bad input -----------------------------------------------------------------

NESTED = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 50_000 + b"1" + b"}" * 50_000

MALFORMED: list[tuple[str, bytes, str | None]] = [
    ("invalid-json", b'{"statement": ', "application/json"),
    ("trailing-garbage", b'{"statement": "s"} tail', "application/json"),
    ("json-array", b'[{"statement": "s"}]', "application/json"),
    ("json-null", b"null", "application/json"),
    ("json-string", b'"a claim"', "application/json"),
    ("json-number", b"42", "application/json"),
    ("empty-body", b"", "application/json"),
    ("whitespace-body", b"   \n ", "application/json"),
    ("deeply-nested-array", NESTED, "application/json"),
    ("deeply-nested-object", DEEP_OBJECT, "application/json"),
    ("invalid-utf8", b'{"statement": "\xff\xfe\xfd", "kind": "fact"}', "application/json"),
    ("lone-surrogate", b'{"statement": "\\ud800", "kind": "fact"}', "application/json"),
    ("nan-literal", b'{"quantities": [{"value": NaN, "unit": "x"}]}', "application/json"),
    (
        "infinity-literal",
        b'{"quantities": [{"value": -Infinity, "unit": "x"}]}',
        "application/json",
    ),
    ("huge-float", b'{"quantities": [{"value": 1e400, "unit": "x"}]}', "application/json"),
    (
        "huge-integer",
        b'{"quantities": [{"value": ' + b"9" * 5000 + b', "unit": "x"}]}',
        "application/json",
    ),
    (
        "huge-exponent-string",
        b'{"quantities": [{"value": "1e999999999", "unit": "x"}]}',
        "application/json",
    ),
    ("nan-string", b'{"quantities": [{"value": "nan", "unit": "x"}]}', "application/json"),
    ("snan-string", b'{"quantities": [{"value": "sNaN", "unit": "x"}]}', "application/json"),
    ("duplicate-keys", b'{"statement": "a", "statement": "b"}', "application/json"),
    ("text-plain", b'{"statement": "s"}', "text/plain"),
    ("form-encoded", b"statement=s&kind=fact", "application/x-www-form-urlencoded"),
    ("no-content-type", b'{"statement": "s"}', None),
    ("bom-prefixed", b'\xef\xbb\xbf{"statement": "s"}', "application/json"),
    ("utf16", '{"statement": "s"}'.encode("utf-16"), "application/json"),
    ("control-characters", b'{"statement": "a\x01\x02b"}', "application/json"),
    ("binary", bytes(range(256)), "application/octet-stream"),
]


def _targets(world: World, claim_id: str) -> list[str]:
    return [
        "/claims",
        "/sources",
        "/actors",
        f"/claims/{claim_id}/evidence",
        f"/claims/{claim_id}/corrections",
        f"/claims/{claim_id}/disputes",
        f"/claims/{claim_id}/links",
        f"/claims/{claim_id}/appearances",
        "/actors/china/aliases",
    ]


@pytest.mark.parametrize(
    ("name", "content", "content_type"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_a_malformed_body_is_a_4xx_problem_never_a_500(
    api: Api, world: World, name: str, content: bytes, content_type: str | None
) -> None:
    claim = record_claim(api, world)

    for path in _targets(world, claim["id"]):
        response = _raw(api, "POST", path, content, content_type)
        assert 400 <= response.status_code < 500, (
            name,
            path,
            response.status_code,
            response.text[:300],
        )
        assert response.headers["content-type"] == PROBLEM, (name, path)
    assert api.get(f"/claims/{claim['id']}").json()["version"] == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"statement": "\u0000"},
        {"statement": "\ud7ff\ue000\U0010ffff"},
        {"subject": "\u0301\u0301"},
        {"subject": "."},
        {"subject": "   "},
        {"relation": "\u0000"},
        {"relation": "0"},
        {"relation": "000"},
        {"relation": "2a"},
        {"occurred_on": "9999-12-31"},
        {"occurred_on": "0001"},
        {"occurred_on": "-001"},
        {"quantities": [{"value": "0e-999", "unit": "x"}]},
        {"quantities": [{"value": -0.0, "unit": "x"}]},
        {"quantities": [{"value": 1e-12, "unit": "x"}]},
        {"quantities": [{"value": True, "unit": "x"}]},
        {"about": ["china"] * 51},
        {"tags": ["t"] * 51},
        {"quantities": [{}] * 51},
        {"appearance": {"source_id": "{source}", "exact": " "}},
        {"appearance": {"source_id": "{source}", "exact": "\u00ad"}},
        {"appearance": {"source_id": "{source}", "exact": "China", "prefix": "\u0000"}},
        {"appearance": {"source_id": "{source}", "exact": "'", "suffix": "s"}},
        {"appearance": None},
        {"appearance": []},
    ],
    ids=lambda f: json.dumps(f)[:40],
)
def test_odd_but_well_formed_claims_never_cause_a_500(
    api: Api, world: World, fields: dict[str, object]
) -> None:
    body = json.loads(
        json.dumps(claim_payload(world, **fields)).replace("{source}", world.source_id)
    )

    response = api.post("/claims", body)

    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert_problem(response, response.status_code)


@pytest.mark.parametrize(
    "query",
    [
        {"version": "9" * 30},
        {"version": "1e3"},
        {"as_of": "2022-02-30T00:00:00Z"},
        {"as_of": "9999-12-31T23:59:59+14:00"},
        {"as_of": "0001-01-01T00:00:00-14:00"},
        {"as_of": "2022-02-04T00:00:00+25:00"},
        {"as_of": "\u0000"},
        {"version": "1", "as_of": "x"},
    ],
)
def test_odd_query_parameters_never_cause_a_500(
    api: Api, world: World, query: dict[str, str]
) -> None:
    claim = record_claim(api, world)

    response = api.get(f"/claims/{claim['id']}", **query)

    assert response.status_code < 500, response.text


@pytest.mark.parametrize(
    "path",
    [
        "/claims/%00",
        "/claims/" + "a" * 5000,
        "/actors/%ff%fe",
        "/actors/" + "a" * 5000,
        "/sources/%20",
        "/principals/%00/keys",
    ],
)
def test_odd_paths_never_cause_a_500(api: Api, path: str) -> None:
    assert api.get(path, role="admin").status_code < 500
    assert _raw(api, "POST", path, b"{}", role="admin").status_code < 500


UNKNOWN_TOKEN = "Bearer ct_" + "0" * 32 + "_" + "0" * 32 + "_" + "A" * 43


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer",
        "bearer x y",
        "Basic Zm9vOmJhcg==",
        UNKNOWN_TOKEN,
        "Bearer " + "x" * 5000,
        "Token abc",
    ],
)
def test_malformed_authorization_is_a_401_problem(
    api: Api, world: World, authorization: str
) -> None:
    response = api.client.post(
        "/claims", json=claim_payload(world), headers={"Authorization": authorization}
    )

    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


# -- request body size ------------------------------------------------------------------------


def test_a_body_over_the_limit_is_a_413_problem(small_api: Api) -> None:
    body = {"url": "https://example.org/big", "title": "t", "text": "x" * SMALL_LIMIT}

    response = small_api.post("/sources", body)

    assert_problem(response, 413)
    assert small_api.get("/sources", url="https://example.org/big").json()["items"] == []


def test_a_chunked_body_over_the_limit_is_a_413_problem(small_api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"url": "https://example.org/chunked", "title": "t", "text": "'
        for _ in range(20):
            yield b"x" * 100
        yield b'"}'

    for path in ("/sources", "/principals/00000000-0000-0000-0000-000000000000/keys"):
        response = _raw(small_api, "POST", path, chunks(), role="admin")
        assert_problem(response, 413)


def test_a_body_within_the_limit_is_accepted(small_api: Api) -> None:
    response = small_api.post(
        "/sources", {"url": "https://example.org/small", "title": "t", "text": "x" * 100}
    )

    assert response.status_code == 201


def test_a_chunked_body_within_the_limit_is_accepted(small_api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"url": "https://example.org/chunked-small",'
        yield b' "title": "t"}'

    assert _raw(small_api, "POST", "/sources", chunks()).status_code == 201


# -- positions ---------------------------------------------------------------------------------


def test_positions_grow_with_every_write_and_match_the_head_of_the_log(
    api: Api, world: World
) -> None:
    claim = record_claim(api, world)
    evidence = api.post(f"/claims/{claim['id']}/evidence", {"stance": "supports", "note": "n"})
    actor = api.post("/actors", {"id": "position-actor", "name": "Position", "kind": "group"})

    positions = [claim["position"], evidence.json()["position"], actor.json()["position"]]

    assert positions == sorted(positions) and len(set(positions)) == 3
    assert api.get("/readyz").json()["position"] >= positions[-1]
