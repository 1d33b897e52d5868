"""An ASGI middleware that refuses request bodies over a size limit with a 413 problem."""

from __future__ import annotations

from typing import Any

import orjson

Scope = dict[str, Any]


class BodySizeLimit:
    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
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
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break
        buffered = iter(messages)

        async def replaying_receive() -> Any:
            return next(buffered, None) or await receive()

        await self.app(scope, replaying_receive, send)

    async def _refuse(self, send: Any) -> None:
        body = orjson.dumps({"type": "/problems/body-too-large", "title": "Content too large",
                             "status": 413,
                             "detail": f"the request body is larger than {self.max_bytes} bytes"})
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/problem+json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
