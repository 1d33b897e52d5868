"""Limits: every input past a limit gets a clear 4xx problem and writes nothing (the head of the
log, GET /readyz `position`, does not move). On SQLite and PostgreSQL.

Covered elsewhere: the 413 for bodies over the limit (plain and chunked) and NUL characters
(tests/api/test_conventions.py).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from service.settings import Settings
from tests.api.conftest import Api, serve
from tests.api.helpers import assert_invalid, assert_problem
from tests.factories import QUOTE, SEED_TEXT


@dataclass(frozen=True)
class Server:
    api: Api
    source_id: str
    claim_id: str
    principal_id: str = ""

    def head(self) -> int:
        position: int = self.api.get("/readyz").json()["position"]
        return position

    def refused(
        self,
        method: str,
        path: str,
        *,
        status: int | None = None,
        content: bytes | None = None,
        body: Any = None,
        role: str = "admin",
        headers: dict[str, str] | None = None,
    ) -> Any:
        """Send a request that must be refused with a 4xx problem and change nothing."""
        before = self.head()
        headers = self.api.auth(role, **(headers or {}))
        if content is not None:
            headers["Content-Type"] = "application/json"
        response = self.api.client.request(
            method, path, content=content, json=body, headers=headers
        )
        assert 400 <= response.status_code < 500, (path, response.status_code, response.text)
        body = assert_problem(response, status or response.status_code)
        assert self.head() == before, f"{method} {path} was refused but wrote something"
        return body


@pytest.fixture(scope="module")
def server(backend_url: str) -> Iterator[Server]:
    for api in serve(backend_url):
        for actor in (
            {"id": "china", "name": "China", "kind": "state"},
            {"id": "russia", "name": "Russia", "kind": "state"},
        ):
            assert api.post("/actors", actor).status_code == 201
        source = api.post(
            "/sources", {"url": "https://example.org/limits", "title": "Limits", "text": SEED_TEXT}
        )
        claim = api.post("/claims", _claim(source.json()["id"]))
        assert claim.status_code == 201, claim.text
        principal = api.post("/principals", {"name": "limited", "role": "reader"}, "admin")
        assert principal.status_code == 201, principal.text
        yield Server(api, source.json()["id"], claim.json()["id"], principal.json()["id"])


def _claim(source_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "statement": "China supports Russia",
        "kind": "quote",
        "subject": "china",
        "relation": "supports",
        "object": "russia",
        "appearance": {"source_id": source_id, "exact": QUOTE},
    } | fields


def _writes(server: Server) -> dict[str, dict[str, Any]]:
    """A valid body for each write endpoint (ids of existing resources filled in)."""
    claim, source = server.claim_id, server.source_id
    return {
        "/principals": {"name": "limits", "role": "reader"},
        f"/principals/{server.principal_id}/display-name": {"display_name": "Limits"},
        "/sources": {"url": "https://example.org/limits-new", "title": "t"},
        "/actors": {"id": "limits-actor", "name": "Limits", "kind": "group"},
        "/actors/china/aliases": {"alias": "Zhongguo"},
        "/claims": _claim(source),
        f"/claims/{claim}/appearances": {"source_id": source, "exact": QUOTE},
        f"/claims/{claim}/evidence": {"stance": "supports", "note": "n"},
        f"/claims/{claim}/disputes": {"reason": "r"},
        f"/claims/{claim}/reviews": {"verdict": "true", "explanation": "e"},
        f"/claims/{claim}/corrections": {"reason": "r", "statement": "corrected"},
        f"/claims/{claim}/links": {"target_id": claim, "relation": "supports"},
        "/import/claimreview": {"@type": "ClaimReview"},
    }


# -- body size ------------------------------------------------------------------------------


def test_the_body_limit_is_read_from_CLAIMTRAIL_MAX_BODY_BYTES(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CLAIMTRAIL_MAX_BODY_BYTES", "2000")
    assert Settings().max_body_bytes == 2000

    for api in serve(f"sqlite:///{tmp_path / 'limit.sqlite3'}"):
        small = Server(api, "", "")
        padding = {"url": "https://example.org/big", "title": "t", "text": "x" * 2000}
        for path in ("/sources", "/claims", "/principals", "/actors/china/aliases"):
            body = small.refused("POST", path, body=padding, status=413)
            assert "2000 bytes" in body["detail"]
        assert api.post("/sources", padding | {"text": "x" * 1800}).status_code == 201


# -- string and list lengths ----------------------------------------------------------------

LONG: list[tuple[str, str, Any, tuple[str | int, ...]]] = [
    ("/sources", "title", "t" * 501, ("body", "title")),
    ("/sources", "url", "https://example.org/" + "u" * 2048, ("body", "url")),
    ("/sources", "text", "x" * 2_000_001, ("body", "text")),
    ("/sources", "authors", ["a"] * 51, ("body", "authors")),
    ("/sources", "cites", ["00000000-0000-0000-0000-000000000000"] * 101, ("body", "cites")),
    ("/actors", "name", "n" * 201, ("body", "name")),
    ("/actors", "aliases", [f"alias {i}" for i in range(101)], ("body", "aliases")),
    ("/actors", "external_ids", {f"k{i}": "v" for i in range(21)}, ("body", "external_ids")),
    ("/actors/china/aliases", "alias", "a" * 201, ("body", "alias")),
    ("/claims", "statement", "s" * 2001, ("body", "statement")),
    ("/claims", "language", "l" * 65, ("body", "language")),
    ("/sources", "language", "l" * 65, ("body", "language")),
    ("/claims", "subject", "s" * 201, ("body", "subject")),
    ("/claims", "relation", "r" * 65, ("body", "relation")),
    ("/claims", "about", ["china"] * 51, ("body", "about")),
    ("/claims", "tags", ["t"] * 51, ("body", "tags")),
    ("/claims", "quantities", [{"value": 1, "unit": "x"}] * 51, ("body", "quantities")),
    ("/claims/{claim}/evidence", "note", "n" * 5001, ("body", "note")),
    ("/claims/{claim}/reviews", "label", "l" * 201, ("body", "label")),
    ("/principals", "name", "p" * 201, ("body", "name")),
    ("/principals", "display_name", "p" * 201, ("body", "display_name")),
    ("/principals/{principal}/display-name", "display_name", "p" * 201, ("body", "display_name")),
]


@pytest.mark.parametrize(
    ("path", "field", "value", "loc"), LONG, ids=[f"{p} {f}" for p, f, _, _ in LONG]
)
def test_a_string_or_list_over_its_maximum_is_a_422_naming_it(
    server: Server, path: str, field: str, value: Any, loc: tuple[str | int, ...]
) -> None:
    path = path.replace("{claim}", server.claim_id).replace("{principal}", server.principal_id)
    body = _writes(server)[path] | {field: value}

    problem = server.refused("POST", path, body=body, status=422)

    assert loc in [tuple(error["loc"][:2]) for error in problem["errors"]], problem


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/claims", {"q": "q" * 201}),
        ("/claims", {"relation": "r" * 65}),
        ("/claims", {"tag": "t" * 65}),
        ("/claims", {"lang": "l" * 65}),
        ("/actors", {"q": "q" * 201}),
        ("/sources", {"url": "https://example.org/" + "u" * 2048}),
        ("/claims", {"cursor": "c" * 513}),
        ("/timeline", {"cursor": "c" * 513}),
        ("/timeline", {"actor": "a" * 64}),
        ("/relationships", {"actor": "a" * 64}),
    ],
)
def test_a_query_parameter_over_its_maximum_is_a_422(
    server: Server, path: str, params: dict[str, str]
) -> None:
    assert_invalid(server.api.get(path, **params), "query", *params)


# -- page sizes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/claims", "/actors", "/timeline", "/audit/log", "/audit/checkpoints", "/people"]
)
@pytest.mark.parametrize("limit", ["0", "-1", "ten", "1.5", "1e400", "1" + "0" * 1000])
def test_a_page_size_outside_its_range_is_a_422(server: Server, path: str, limit: str) -> None:
    assert_invalid(server.api.get(path, limit=limit), "query", "limit")


@pytest.mark.parametrize(
    ("path", "largest"),
    [
        ("/claims", 500),
        ("/actors", 500),
        ("/timeline", 500),
        ("/audit/log", 1000),
        ("/audit/checkpoints", 1000),
        ("/people", 500),
    ],
)
def test_the_largest_page_is_served_and_one_more_is_a_422(
    server: Server, path: str, largest: int
) -> None:
    assert server.api.get(path, limit=largest).status_code == 200
    assert_invalid(server.api.get(path, limit=largest + 1), "query", "limit")


def test_similar_claims_are_at_most_fifty_and_scores_between_005_and_1(server: Server) -> None:
    path = f"/claims/{server.claim_id}/similar"
    assert server.api.get(path, limit=50, min_score=0.05).status_code == 200
    assert_invalid(server.api.get(path, limit=51), "query", "limit")
    assert_invalid(server.api.get(path, limit=0), "query", "limit")
    assert_invalid(server.api.get(path, min_score=1.01), "query", "min_score")
    assert_invalid(server.api.get(path, min_score="nan"), "query", "min_score")


# -- deeply nested JSON ---------------------------------------------------------------------

DEPTH = 10_000
NESTED_ARRAYS = b"[" * DEPTH + b"]" * DEPTH
NESTED_OBJECTS = b'{"a":' * DEPTH + b"1" + b"}" * DEPTH


@pytest.mark.parametrize("nested", [NESTED_ARRAYS, NESTED_OBJECTS], ids=["arrays", "objects"])
def test_ten_thousand_levels_of_nesting_are_a_4xx_on_every_write(
    server: Server, nested: bytes
) -> None:
    for path, body in _writes(server).items():
        server.refused("POST", path, content=nested)
        # ... and as the value of a field, where a model would recurse into it
        field = next(iter(body))
        server.refused("POST", path, content=b'{"%s": %s}' % (field.encode(), nested))


# -- invalid UTF-8 --------------------------------------------------------------------------


def test_a_body_that_is_not_utf8_is_a_4xx_on_every_write(server: Server) -> None:
    for path, body in _writes(server).items():
        field = next(iter(body))
        server.refused("POST", path, content=b'{"%s": "\xff\xfe\xc3("}' % field.encode())


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/actors/%ff%fe/aliases"),
        ("GET", "/actors/%C3%28"),
        ("GET", "/actors?q=%ff"),
        ("GET", "/claims?q=caf%e9"),
        ("GET", "/timeline?actor=%80"),
    ],
)
def test_a_url_that_is_not_utf8_is_a_400(server: Server, method: str, path: str) -> None:
    body = {"alias": "x"} if method == "POST" else None

    problem = server.refused(method, path, body=body, status=400)

    assert problem["type"].endswith("invalid-utf8")


# -- huge numbers ---------------------------------------------------------------------------

HUGE = [b"1e400", b"-1e400", b"1" + b"0" * 1000, b"-1" + b"0" * 1000]


@pytest.mark.parametrize("number", HUGE, ids=["1e400", "-1e400", "10**1000", "-10**1000"])
def test_a_huge_json_number_is_a_4xx_wherever_it_is_sent(server: Server, number: bytes) -> None:
    source = server.source_id.encode()
    quote = QUOTE.encode()
    for path, content in [
        (
            "/claims",
            b'{"statement": "s", "kind": "fact", "subject": "china", "relation": '
            b'"supports", "quantities": [{"value": %s, "unit": "x"}], "appearance": '
            b'{"source_id": "%s", "exact": "%s"}}' % (number, source, quote),
        ),
        ("/claims", b'{"statement": %s}' % number),
        (
            f"/claims/{server.claim_id}/reviews",
            b'{"verdict": "true", "explanation": "e", '
            b'"rating": {"value": %s, "best": 5, "worst": 1}}' % number,
        ),
        (
            f"/claims/{server.claim_id}/corrections",
            b'{"reason": "r", "quantities": [{"value": %s, "unit": "x"}]}' % number,
        ),
        ("/actors", b'{"id": %s, "name": "n", "kind": "group"}' % number),
        ("/principals", b'{"name": "n", "role": %s}' % number),
        (
            f"/principals/{server.principal_id}/display-name",
            b'{"display_name": %s}' % number,
        ),
    ]:
        server.refused("POST", path, content=content)


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/claims", "min_position"),
        ("/audit/log", "after"),
        ("/audit/checkpoints", "after"),
        ("/audit/proofs/inclusion", "position"),
        ("/audit/proofs/consistency", "first"),
        ("/claims/{claim}", "version"),
        ("/claims/{claim}/similar", "limit"),
        ("/claims/{claim}/similar", "min_score"),
        ("/timeline/stream", "after"),
    ],
)
@pytest.mark.parametrize("number", ["1e400", "1" + "0" * 1000, "9223372036854775808", "-1"])
def test_a_huge_or_negative_number_in_a_query_is_a_422(
    server: Server, path: str, param: str, number: str
) -> None:
    response = server.api.get(path.replace("{claim}", server.claim_id), **{param: number})

    assert_invalid(response, "query", param)


# -- absurd dates ---------------------------------------------------------------------------

BAD_DATES = [
    "0000",
    "0000-01-01",
    "99999",
    "2022-02-30",
    "2022-13",
    "2022-00-10",
    "2022-2-3",
    "-001",
    "+2022",
    "2022-02-03T10:00:00Z",
]


@pytest.mark.parametrize("date", BAD_DATES)
def test_an_absurd_partial_date_is_a_422_and_writes_nothing(server: Server, date: str) -> None:
    for path, field in [
        ("/claims", "occurred_on"),
        ("/sources", "published_on"),
        (f"/claims/{server.claim_id}/corrections", "occurred_on"),
    ]:
        body = _writes(server)[path] | {field: date}
        server.refused("POST", path, body=body, status=422)
    for param in ("occurred_from", "occurred_to"):
        assert_invalid(server.api.get("/claims", **{param: date}), "query", param)


# Times whose UTC falls outside years 1-9999, that are not RFC 3339 with an offset (a bare
# number would be read as Unix time), or that do not exist.
BAD_TIMES = [
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "0000-01-01T00:00:00Z",
    "99999-01-01T00:00:00Z",
    "2022-02-30T00:00:00Z",
    "2022-02-04T00:00:00",
    "2022-02-04",
    "0",
    "1700000000",
    "30.0",
    "1e400",
    "2022-02-04T00:00:00+25:00",
]


@pytest.mark.parametrize("time", BAD_TIMES)
def test_an_absurd_time_in_a_query_is_a_422(server: Server, time: str) -> None:
    for path, param in [
        (f"/claims/{server.claim_id}", "as_of"),
        ("/timeline", "as_of"),
        ("/timeline", "since"),
        ("/timeline", "until"),
        ("/relationships/china/russia", "as_of"),
        ("/relationships/china/russia/history", "as_of"),
        ("/relationships/graph", "as_of"),
    ]:
        assert_invalid(server.api.get(path, **{param: time}), "query", param)
    assert_invalid(server.api.get("/relationships", actor="china", as_of=time), "query", "as_of")


def test_the_earliest_and_latest_times_utc_can_hold_are_answered(server: Server) -> None:
    earliest, latest = "0001-01-01T00:00:00-14:00", "9999-12-31T23:59:59+14:00"

    assert_problem(server.api.get(f"/claims/{server.claim_id}", as_of=earliest), 404)
    assert server.api.get(f"/claims/{server.claim_id}", as_of=latest).status_code == 200
    assert server.api.get("/timeline", as_of=earliest).json()["items"] == []
    assert server.api.get("/timeline", since=latest).json()["items"] == []
    assert server.api.get("/relationships", actor="china", as_of=earliest).status_code == 200
    for path in ("/relationships/graph", "/relationships/china/russia/history"):
        assert server.api.get(path, as_of=earliest).status_code == 200
        assert server.api.get(path, as_of=latest).status_code == 200


# -- malformed cursors ----------------------------------------------------------------------


def _cursor(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


CURSORS = [
    "!!!",
    "a",
    "%%%",
    _cursor(b"not json"),
    _cursor(b'"text"'),
    _cursor(b"1.5"),
    _cursor(b"true"),
    _cursor(b"null"),
    _cursor(b"-1"),
    _cursor(b"{}"),
    _cursor(b"[]"),
    _cursor(b"9223372036854775808"),
    _cursor(b"18446744073709551615"),
    _cursor(b"1" + b"0" * 30),
    _cursor(b'["x", 9223372036854775808]'),
    _cursor(b'["x", -1]'),
    _cursor(b'["x"]'),
    _cursor(b"[1, 2]"),
    _cursor(b'["x", 1, 2]'),
    _cursor(b"[" * 10_000 + b"]" * 10_000)[:512],
]


@pytest.mark.parametrize("path", ["/claims", "/actors", "/timeline", "/people"])
def test_a_malformed_or_foreign_cursor_is_a_400(server: Server, path: str) -> None:
    for cursor in CURSORS:
        problem = assert_problem(server.api.get(path, cursor=cursor), 400)
        assert problem["type"].endswith("invalid-cursor"), (cursor, problem)


def test_cursors_past_a_database_integer_are_a_400_not_an_overflow(server: Server) -> None:
    for path, cursor in [
        ("/claims", b"9223372036854775808"),
        ("/actors", b"18446744073709551615"),
        ("/timeline", b'["x", 9223372036854775808]'),
    ]:
        assert_problem(server.api.get(path, cursor=_cursor(cursor)), 400, "invalid-cursor")


# -- If-Match and Idempotency-Key -----------------------------------------------------------


@pytest.mark.parametrize(
    "if_match", ["abc", '"-1"', '"1.0"', '"' + "9" * 20 + '"', '"1", "2"', '"1', "1", "", '*, "1"']
)
def test_a_malformed_if_match_is_a_400_and_writes_nothing(server: Server, if_match: str) -> None:
    path = f"/claims/{server.claim_id}/evidence"

    problem = server.refused(
        "POST",
        path,
        body={"stance": "supports", "note": "n"},
        status=400,
        headers={"If-Match": if_match},
    )

    assert problem["type"].endswith("invalid-if-match")


@pytest.mark.parametrize("if_match", ['W/"1"', '"0"', '"999999999999999999"'])
def test_a_weak_or_stale_if_match_is_a_412_and_writes_nothing(
    server: Server, if_match: str
) -> None:
    server.refused(
        "POST",
        f"/claims/{server.claim_id}/evidence",
        body={"stance": "supports", "note": "n"},
        status=412,
        headers={"If-Match": if_match},
    )


@pytest.mark.parametrize("key", ["k" * 256, "two words", "tab\tkey", ""])
def test_a_malformed_idempotency_key_is_a_400_and_writes_nothing(server: Server, key: str) -> None:
    problem = server.refused(
        "POST",
        "/sources",
        body=_writes(server)["/sources"],
        status=400,
        headers={"Idempotency-Key": key},
    )

    assert problem["type"].endswith("invalid-idempotency-key")


def test_an_idempotency_key_holding_a_control_character_is_a_400_and_writes_nothing(
    server: Server,
) -> None:
    # Refused by the HTTP parser (service/protocol.py) before any route reads the header.
    problem = server.refused(
        "POST",
        "/sources",
        body=_writes(server)["/sources"],
        status=400,
        headers={"Idempotency-Key": "{}\x7f"},
    )

    assert problem["type"].endswith("malformed-request")
