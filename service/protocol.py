"""The HTTP/1.1 protocol uvicorn serves with: httptools (llhttp, in C), whose one answer of its
own, to a request its parser refuses, is a problem+json here like every other refusal.

h11 (pure Python) cost about a fifth of the API's CPU per POST /claims and half of an empty
endpoint's; it also answered what it refused (a NUL in a header, a malformed request line) in
plain text. llhttp is stricter than h11: it also refuses the control characters h11 let through
to the app in a header value (so a malformed Authorization or Idempotency-Key holding one is
refused here, as a 400, before any route sees it).

uvicorn writes a response's status line and headers, then its body, as two writes (two
syscalls, two TCP segments: the socket has TCP_NODELAY); a response with a Content-Length
leaves here in one write instead (`_HeadWithBody`)."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import orjson
from uvicorn.protocols.http.httptools_impl import (
    STATUS_LINE,
    HttpToolsProtocol,
    RequestResponseCycle,
)

# An import string, so that uvicorn's worker processes import it themselves.
HTTP = "service.protocol:ProblemHttpToolsProtocol"

_MALFORMED = orjson.dumps(
    {
        "type": "/problems/malformed-request",
        "title": "Bad request",
        "status": 400,
        "detail": "the request is not valid HTTP/1.1 (a control character in a header, no Host, "
        "or a malformed request line, header or framing)",
    }
)


class MissingHostError(Exception):
    """Raised when an HTTP/1.1 request has no Host header (RFC 9112 3.2: a 400)."""


class ProblemHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with a problem+json 400 instead of its plain-text one,
    and an HTTP/1.1 request without Host refused as h11 refused it (llhttp lets it through)."""

    def on_headers_complete(self) -> None:
        if self.parser.get_http_version() == "1.1" and not any(
            name == b"host" for name, _ in self.headers
        ):
            # Raised in a parser callback: feed_data raises an HttpParserError, answered below.
            raise MissingHostError
        before = self.cycle
        super().on_headers_complete()
        if self.cycle is not None and self.cycle is not before:
            # Duck-typed: the cycle calls write, close and is_closing (the rest passes on).
            self.cycle.transport = cast(
                asyncio.Transport, _HeadWithBody(self.cycle, self.transport)
            )

    def send_400_response(self, msg: str) -> None:
        # The parser stopped mid-request: nothing more can be read from this connection.
        content = [STATUS_LINE[400]]
        for name, value in self.server_state.default_headers:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend(
            [
                b"content-type: application/problem+json\r\n",
                b"content-length: " + str(len(_MALFORMED)).encode("ascii") + b"\r\n",
                b"connection: close\r\n",
                b"\r\n",
                _MALFORMED,
            ]
        )
        self.transport.write(b"".join(content))
        self.transport.close()


class _HeadWithBody:
    """A request's view of the connection's transport: the status line and headers of a
    response with a Content-Length (not to a HEAD) are held until its body's first write and
    sent with it. Everything else is written as it comes; closing sends what is held first."""

    __slots__ = ("cycle", "held", "transport")

    def __init__(self, cycle: RequestResponseCycle, transport: Any) -> None:
        self.cycle, self.transport = cycle, transport
        self.held: bytes | None = None

    def write(self, data: bytes) -> None:
        cycle = self.cycle
        if self.held is not None:
            data, self.held = self.held + data, None
        elif (
            cycle.response_started
            and cycle.chunked_encoding is False
            and cycle.expected_content_length > 0
            and cycle.scope["method"] != "HEAD"
        ):
            self.held = data  # the head: its body's write follows
            return
        self.transport.write(data)

    def close(self) -> None:
        if self.held is not None:
            self.transport.write(self.held)
            self.held = None
        self.transport.close()

    def is_closing(self) -> bool:
        return bool(self.transport.is_closing())

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)
