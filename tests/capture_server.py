"""A local HTTP server for capture tests: the HTML fixtures and pages that misbehave."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "capture"
PAGES = {
    "/jsonld": "jsonld.html",
    "/opengraph": "opengraph.html",
    "/french": "french.html",
}
BIG = 300_000  # bytes of /big, over the limit the tests set


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, content_type: str, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path in PAGES:
            self._send(200, "text/html; charset=utf-8", (FIXTURES / PAGES[path]).read_bytes())
        elif path == "/plain":
            text = "Officials said 300 people were evacuated on Friday.\nMore later.\n"
            self._send(200, "text/plain; charset=utf-8", text.encode())
        elif path == "/moved":
            self._send(301, "text/html", b"", Location="/jsonld")
        elif path == "/loop":
            self._send(302, "text/html", b"", Location="/loop")
        elif path == "/slow":
            time.sleep(2)
            self._send(200, "text/html", b"<html><body><p>late</p></body></html>")
        elif path == "/pdf":
            self._send(200, "application/pdf", b"%PDF-1.4 not a page")
        elif path == "/big":
            self._send(200, "text/html", b"<html><body><p>" + b"x" * BIG + b"</p></body></html>")
        elif path == "/big-chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(BIG // 10_000 + 1):
                self.wfile.write(b"<p>" + b"y" * 10_000 + b"</p>")
        elif path == "/empty":
            self._send(200, "text/html", b"<html><head><title>x</title></head><body></body></html>")
        else:
            self._send(404, "text/html", b"<html><body>not here</body></html>")


_shared: list[str] = []


def shared_capture_server() -> str:
    """One server for the whole test process, started on first use and never shut down: its
    thread is a daemon and ends with the process. (A context manager held open at module level
    would be closed while the interpreter finalizes, and `shutdown()` would then wait forever for
    a serving thread that no longer runs: pytest would never exit.)"""
    if not _shared:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        _shared.append(f"http://127.0.0.1:{server.server_address[1]}")
    return _shared[0]


@contextmanager
def capture_server() -> Iterator[str]:
    """Serve on a free loopback port; yields the base url."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
