"""Requests the HTTP parser refuses (service/protocol.py) are answered like every other refusal:
a 400 problem+json, never uvicorn's plain text, and nothing reaches a route."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest

from tests.api.conftest import Api, World
from tests.api.helpers import PROBLEM, claim_payload

HOST = b"Host: 127.0.0.1\r\n"


def _exchange(api: Api, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes on a new connection; the status, headers and body of the answer (the
    server closes the connection after it: every request here asks it to, or is refused)."""
    url = api.client.base_url
    with socket.create_connection((url.host, url.port or 80), timeout=10) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


def _malformed(status: int, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    assert status == 400, body
    assert headers["content-type"] == PROBLEM, headers
    problem: dict[str, Any] = json.loads(body)
    assert problem["type"] == "/problems/malformed-request"
    assert problem["status"] == 400 and problem["title"] and problem["detail"]
    return problem


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /healthz HTTP/1.1\r\n" + HOST + b"X-Note: a\x01b\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\n" + HOST + b"X-Note: a\x7fb\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\n" + HOST + b"X-Note: a\x00b\r\n\r\n",
        b"GET /claims HTTP/1.1\r\n" + HOST + b"Authorization: Bearer a\x1fb\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\n" + HOST + b"X Note: a\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\n\r\n",
        b"GET /healthz HTTP/9.9\r\n" + HOST + b"\r\n",
        b"GET /claims/\xff HTTP/1.1\r\n" + HOST + b"\r\n",
        b"HELLO\r\n\r\n",
        b"POST /claims HTTP/1.1\r\n" + HOST + b"Content-Length: 5\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ],
    ids=[
        "control-character",
        "delete-character",
        "nul-character",
        "control-character-in-authorization",
        "space-in-a-header-name",
        "no-host",
        "unknown-version",
        "url-not-ascii",
        "no-request-line",
        "content-length-and-chunked",
    ],
)
def test_a_request_the_parser_refuses_is_a_400_problem(api: Api, request_bytes: bytes) -> None:
    _malformed(*_exchange(api, request_bytes))


def test_a_control_character_in_an_idempotency_key_writes_nothing(api: Api, world: World) -> None:
    before = api.get("/readyz").json()["position"]
    body = json.dumps(claim_payload(world)).encode()
    request = (
        b"POST /claims HTTP/1.1\r\n"
        + HOST
        + b"Authorization: Bearer "
        + api.tokens["contributor"].encode()
        + b"\r\nContent-Type: application/json\r\nIdempotency-Key: key\x02one\r\n"
        + b"Content-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )

    _malformed(*_exchange(api, request))

    assert api.get("/readyz").json()["position"] == before


def test_a_header_of_latin_1_text_is_still_served(api: Api) -> None:
    request = b"GET /healthz HTTP/1.1\r\n" + HOST + b"X-Note: caf\xe9\r\nConnection: close\r\n\r\n"

    status, _, body = _exchange(api, request)

    assert status == 200, body
    assert json.loads(body) == {"status": "ok"}
