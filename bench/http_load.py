"""Light HTTP/1.1 clients: sequential requests on one keep-alive connection, and closed-loop
load from many connections (asyncio streams), with latencies and statuses kept."""

from __future__ import annotations

import asyncio
import http.client
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.common import percentile


class Http:
    """Sequential requests on one keep-alive connection (stdlib http.client)."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str) -> tuple[int, bytes]:
        self.conn.request("GET", path)
        response = self.conn.getresponse()
        return response.status, response.read()

    def timed_get(self, path: str) -> tuple[float, int]:
        began = time.perf_counter()
        status, _ = self.get(path)
        return time.perf_counter() - began, status

    def close(self) -> None:
        self.conn.close()


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


@dataclass
class Load:
    """What a closed-loop load run measured."""

    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    client_cpu: float = 0.0  # CPU seconds the load generator itself used

    @property
    def ok(self) -> int:
        return sum(n for s, n in self.statuses.items() if 200 <= s < 300)

    @property
    def rate(self) -> float:
        return self.ok / self.seconds

    def p(self, q: float) -> float:
        return percentile(self.latencies, q) * 1000


def load(
    port: int, clients: int, seconds: float, requests: Sequence[bytes], warmup: float = 1.0
) -> Load:
    """`clients` connections each sending the next of `requests` as soon as the previous one
    is answered (closed loop), for `seconds` after `warmup`; bounded by time and count."""
    result = Load(clients, seconds)

    async def client(index: int, start: float, stop: float) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = index
        try:
            while (now := time.perf_counter()) < stop:
                status = await _exchange(reader, writer, requests[i % len(requests)])
                i += clients
                if now >= start:
                    result.latencies.append(time.perf_counter() - now)
                    result.statuses[status] = result.statuses.get(status, 0) + 1
        finally:
            writer.close()

    async def main() -> None:
        start = time.perf_counter() + warmup
        await asyncio.gather(*(client(i, start, start + seconds) for i in range(clients)))

    cpu = time.process_time()
    asyncio.run(main())
    result.client_cpu = time.process_time() - cpu
    return result


def post(path: str, body: bytes, token: str) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
