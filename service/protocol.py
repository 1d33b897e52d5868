"""The HTTP/1.1 protocol uvicorn serves with: httptools (llhttp, in C), whose one answer of its
own, to a request its parser refuses, is a problem+json here like every other refusal.

h11 (pure Python) cost about a fifth of the API's CPU per POST /claims and half of an empty
endpoint's; it also answered what it refused (a NUL in a header, a malformed request line) in
plain text. llhttp is stricter than h11: it also refuses the control characters h11 let through
to the app in a header value (so a malformed Authorization or Idempotency-Key holding one is
refused here, as a 400, before any route sees it)."""

from __future__ import annotations

import orjson
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

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
        super().on_headers_complete()

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
