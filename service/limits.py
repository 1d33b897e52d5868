"""An ASGI middleware for limits no route should see past: body size (413), NUL characters
(422: PostgreSQL text cannot hold them, and no claim needs one) and URLs that are not UTF-8
(400)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_to_bytes

import orjson

Scope = dict[str, Any]
# A JSON \u0000 escape, not itself escaped (preceded by an even number of backslashes).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


def _utf8_url(scope: Scope) -> bool:
    """Whether the percent-decoded path and query are UTF-8 (else a route would see U+FFFD
    where the client sent something else, and answer for a name nobody asked about)."""
    try:
        unquote_to_bytes(scope.get("raw_path") or b"").decode("utf-8")
        unquote_to_bytes(scope.get("query_string", b"")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class BodySizeLimit:
    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if b"%00" in scope.get("query_string", b"").lower() or "\x00" in scope.get("path", ""):
            await self._refuse(
                send,
                422,
                "nul-character",
                "Unprocessable content",
                "NUL characters are not allowed",
            )
            return
        if not _utf8_url(scope):
            await self._refuse(
                send,
                400,
                "invalid-utf8",
                "Bad request",
                "the URL's path or query is not valid UTF-8",
            )
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(send)
            return
        # The body is read here, up to the limit, before the app sees any of it: a body without
        # a Content-Length (chunked) can only be measured by reading it, and an error raised
        # while FastAPI reads a body reaches the client as a 400, never as this 413.
        messages: list[Any] = []
        seen = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                await self._too_large(send)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(m.get("body", b"") for m in messages)
        if b"\x00" in body or _JSON_NUL.search(body):
            await self._refuse(
                send,
                422,
                "nul-character",
                "Unprocessable content",
                "NUL characters are not allowed",
            )
            return
        buffered = iter(messages)

        async def replaying_receive() -> Any:
            return next(buffered, None) or await receive()

        await self.app(scope, replaying_receive, send)

    async def _too_large(self, send: Any) -> None:
        await self._refuse(
            send,
            413,
            "body-too-large",
            "Content too large",
            f"the request body is larger than {self.max_bytes} bytes",
        )

    async def _refuse(self, send: Any, status: int, code: str, title: str, detail: str) -> None:
        body = orjson.dumps(
            {"type": f"/problems/{code}", "title": title, "status": status, "detail": detail}
        )
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
