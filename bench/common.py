"""What every benchmark shares: fresh schemas, the API as a subprocess, a light HTTP client,
memory readings from /proc, percentiles, and tables printed (rich) and kept for results.md."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from rich.console import Console
from rich.table import Table

SERVER = os.environ.get("BENCH_DATABASE", "postgresql://postgres@127.0.0.1:5432/postgres")
ROOT = Path(__file__).resolve().parent.parent
console = Console(width=120)


# -- databases -----------------------------------------------------------------------------------


def new_schema(tag: str = "") -> tuple[str, str]:
    """(schema name, database url) of a fresh schema (infra/store/database.py creates it)."""
    name = f"bench_{tag}{secrets.token_hex(4)}"
    return name, f"{SERVER}?schema={name}"


def drop_schema(name: str) -> None:
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


@contextmanager
def schema(tag: str = "") -> Iterator[tuple[str, str]]:
    name, url = new_schema(tag)
    try:
        yield name, url
    finally:
        drop_schema(name)


def connect() -> psycopg.Connection[Any]:
    return psycopg.connect(SERVER)


# -- measuring -------------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def proc_status(pid: int | str = "self") -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in bytes."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) * 1024
    return found


def mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


def run_json(
    args: list[str], env: dict[str, str] | None = None, timeout: float = 1800
) -> dict[str, Any]:
    """Run `python -m ...` and parse the JSON object its last line prints."""
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the API as a subprocess -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def pids(self) -> list[int]:
        """The uvicorn process and its workers (children), if any."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        kids = [int(p) for p in children.read_text().split()] if children.exists() else []
        return [self.process.pid, *kids]

    def rss(self) -> int:
        return sum(proc_status(pid).get("VmRSS", 0) for pid in self.pids)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def api(database_url: str, workers: int = 1, projections: str = "off") -> Iterator[Server]:
    """uvicorn serving service.app:create_app on a free loopback port, until the block ends.

    With several workers, /healthz answers once the first is up; a worker whose startup fails
    later stops the whole server, so the server must still be alive a moment later (else it
    is started again, at most three times)."""
    for attempt in range(3):
        with _api(database_url, workers, projections, settle=2.0 if workers > 1 else 0.0) as (
            server,
            alive,
        ):
            if alive:
                yield server
                return
        console.print(f"[yellow]the API stopped during startup (attempt {attempt + 1})[/yellow]")
    raise RuntimeError("the API did not stay up")


@contextmanager
def _api(
    database_url: str, workers: int, projections: str, settle: float
) -> Iterator[tuple[Server, bool]]:
    port = free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"claimtrail-bench-{port}.log"
    env = {
        **os.environ,
        "CLAIMTRAIL_DATABASE_URL": database_url,
        "CLAIMTRAIL_PROJECTIONS": projections,
        "CLAIMTRAIL_PRINT_ADMIN_TOKEN": "false",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "service.app:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, port, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the API did not start:\n{log.read_text()[-3000:]}")
            try:
                status, _ = Http(port).get("/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the API did not start in time:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        time.sleep(settle)
        if process.poll() is not None:
            console.print(f"[yellow]API log:[/yellow]\n{log.read_text()[-6000:]}")
            yield server, False
            return
        yield server, True
        if process.poll() is not None:
            raise RuntimeError(f"the API exited early:\n{log.read_text()[-3000:]}")
    except BaseException:
        if log.exists():
            console.print(f"[red]API log tail:[/red]\n{log.read_text()[-12000:]}")
        raise
    finally:
        server.stop()
        log.unlink(missing_ok=True)


# -- a light HTTP/1.1 client (keep-alive) ------------------------------------------------------


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


# -- tables ----------------------------------------------------------------------------------


@dataclass
class Results:
    """Every table printed, kept to be written as markdown."""

    sections: list[tuple[str, list[str], list[list[str]], str]] = field(default_factory=list)

    def table(self, title: str, columns: list[str], rows: list[list[str]], note: str = "") -> None:
        table = Table(*columns, title=title, title_justify="left")
        for row in rows:
            table.add_row(*row)
        console.print(table)
        if note:
            console.print(f"[dim]{note}[/dim]")
        self.sections.append((title, columns, rows, note))

    def markdown(self) -> str:
        out = []
        for title, columns, rows, note in self.sections:
            out += [
                f"### {title}",
                "",
                "| " + " | ".join(columns) + " |",
                "|" + "---|" * len(columns),
            ]
            out += ["| " + " | ".join(row) + " |" for row in rows]
            out += ["", note, ""] if note else [""]
        return "\n".join(out)


def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}x" if baseline else "-"


def rate(value: float) -> str:
    return f"{value:,.0f}/s"


def ms(value: float) -> str:
    return f"{value:.1f} ms" if value >= 1 else f"{value:.2f} ms"
