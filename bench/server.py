"""The API (uvicorn serving service.app:create_app) as a subprocess on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.common import ROOT, console, proc_status
from bench.http_load import Http
from service.protocol import HTTP


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
                "--http",
                HTTP,
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
