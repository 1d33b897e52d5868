"""A webhook receiver on loopback for tests: it records what it is sent and answers as told.

`answers` are the statuses of the first requests (then 200); `hold_at` makes the request with
that number (1-based) wait until `release` is set, with `holding` set while it waits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson
from standardwebhooks.webhooks import Webhook


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)

    @property
    def json(self) -> Any:
        return orjson.loads(self.body)

    def verified(self, secret: str) -> Any:
        """The body, once standardwebhooks itself has checked its signature."""
        return Webhook(secret).verify(self.body, self.headers)


@dataclass
class Receiver:
    url: str
    answers: list[int] = field(default_factory=list)
    hold_at: int | None = None
    received: list[Received] = field(default_factory=list)
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def positions(self) -> list[int]:
        with self.lock:
            return [r.json["position"] for r in self.received]

    def first_positions(self) -> list[int]:
        """Positions in the order first received, redeliveries (same webhook-id) left out."""
        seen, order = set(), []
        with self.lock:
            for r in self.received:
                if r.headers["webhook-id"] not in seen:
                    seen.add(r.headers["webhook-id"])
                    order.append(r.json["position"])
        return order


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with receiver.lock:
                receiver.received.append(
                    Received({k.lower(): v for k, v in self.headers.items()}, body)
                )
                number = len(receiver.received)
                status = receiver.answers[number - 1] if number <= len(receiver.answers) else 200
            if number == receiver.hold_at:
                receiver.holding.set()
                receiver.release.wait(60)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


@contextmanager
def receiving(answers: list[int] | None = None, hold_at: int | None = None) -> Iterator[Receiver]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Receiver("")))
    receiver = Receiver(f"http://127.0.0.1:{server.server_address[1]}/hook", answers or [], hold_at)
    server.RequestHandlerClass = _handler(receiver)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
