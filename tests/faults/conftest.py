"""Fault tests: real server processes (`claimtrail serve`, `claimtrail project`), real HTTP, and
private PostgreSQL instances (initdb'd here): one for the folder, and one of its own for a test
that stops and restarts it. They need the PostgreSQL server binaries (CLAIMTRAIL_PG_BINDIR,
pg_config, /usr/lib/postgresql/*/bin or PATH); as root they run as the `postgres` OS user.

Every wait here is bounded, and every process a test starts is stopped (SIGKILL at the latest)
when the test ends, whatever happened.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import sql

from infra.ledger.application import open_ledger
from infra.projections.read_model import ReadModel, all_views
from infra.projections.rebuild import digest, drop, rebuild
from infra.store.database import libpq_url
from tests.factories import QUOTE, SEED_TEXT

ROOT = Path(__file__).resolve().parents[2]
CLI = "from service.cli import main; main()"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
PROBLEM = "application/problem+json"
# One TLS context for every client (plain http here, but httpx builds one per client, ~60 ms).
TLS = ssl.create_default_context()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(check: Callable[[], Any], timeout: float, what: str, pause: float = 0.05) -> Any:
    """Poll `check` until it returns something truthy; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(pause)


def as_user(user: str | None) -> dict[str, Any]:
    """subprocess arguments to run as `user` with its own group (and none of ours)."""
    if user is None:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


# -- processes ------------------------------------------------------------------------------------


@dataclass
class Proc:
    """A subprocess of this test, with its output in a log file."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def output(self, tail: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-tail:]
        except OSError:
            return ""

    def kill(self) -> None:
        """SIGKILL, then reap (bounded)."""
        if self.alive():
            self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=STOP_TIMEOUT)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> None:
        """Ask it to stop; SIGKILL if it has not within `timeout`."""
        if self.alive():
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()


class Processes:
    """Starts subprocesses and guarantees they are gone at the end of the test."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[Proc] = []

    def start(
        self,
        name: str,
        args: list[str],
        env: dict[str, str] | None = None,
        user: str | None = None,
        cwd: Path = ROOT,
    ) -> Proc:
        log = self.logs / f"{name}-{len(self.started)}.log"
        ids = as_user(user)
        with log.open("wb") as out:
            popen = subprocess.Popen(
                args,
                cwd=cwd,
                env={**os.environ, **(env or {})},
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                **ids,
            )
        proc = Proc(name, popen, log)
        self.started.append(proc)
        return proc

    def cleanup(self) -> None:
        for proc in reversed(self.started):
            with contextlib.suppress(Exception):
                proc.kill()


@contextlib.contextmanager
def _processes(logs: Path) -> Iterator[Processes]:
    logs.mkdir(parents=True, exist_ok=True)
    registry = Processes(logs)
    try:
        yield registry
    finally:
        registry.cleanup()


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    with _processes(tmp_path / "logs") as registry:
        yield registry


@pytest.fixture(scope="module")
def module_processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Processes]:
    with _processes(tmp_path_factory.mktemp("logs")) as registry:
        yield registry


@contextlib.contextmanager
def fresh_schema(postgres_server: str) -> Iterator[str]:
    """A url to a new schema of the test PostgreSQL (like tests/conftest.py's `postgres_url`,
    for wider scopes), dropped afterwards."""
    schema = f"ct_faults_{uuid.uuid4().hex[:12]}"
    yield f"{libpq_url(postgres_server)}?schema={schema}"
    with psycopg.connect(libpq_url(postgres_server), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def module_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A SQLite file, then a PostgreSQL schema, each shared by the tests of one module."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'claimtrail.sqlite3'}"
        return
    with fresh_schema(request.getfixturevalue("postgres_server")) as url:
        yield url


# -- API servers ----------------------------------------------------------------------------------


@dataclass
class Server:
    """A `claimtrail serve` subprocess."""

    proc: Proc
    port: int
    database_url: str
    env: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=timeout, verify=TLS)

    def healthy(self) -> bool:
        if not self.proc.alive():
            pytest.fail(f"{self.proc.name} exited early:\n{self.proc.output()}")
        try:
            return httpx.get(f"{self.base_url}/healthz", timeout=2, verify=TLS).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_healthy(self, timeout: float = START_TIMEOUT) -> Server:
        wait_until(self.healthy, timeout, f"{self.proc.name} to answer /healthz", pause=0.1)
        return self


def serve(
    processes: Processes,
    database_url: str,
    name: str = "api",
    port: int | None = None,
    **settings: str,
) -> Server:
    """Start `claimtrail serve` on a free port (CLAIMTRAIL_<SETTING> from `settings`) and wait
    for /healthz."""
    port = port or free_port()
    env = {
        "CLAIMTRAIL_DATABASE_URL": database_url,
        "CLAIMTRAIL_PRINT_ADMIN_TOKEN": "false",
        **{f"CLAIMTRAIL_{k.upper()}": v for k, v in settings.items()},
    }
    args = [sys.executable, "-c", CLI, "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = processes.start(name, args, env)
    return Server(proc, port, database_url, env).wait_healthy()


def restart(processes: Processes, server: Server) -> Server:
    """The same server again (same port, same settings) after it stopped or was killed."""
    assert not server.proc.alive()
    args = [sys.executable, "-c", CLI, "serve", "--host", "127.0.0.1", "--port", str(server.port)]
    proc = processes.start(server.proc.name, args, server.env)
    return Server(proc, server.port, server.database_url, server.env).wait_healthy()


def project(
    processes: Processes, database_url: str, name: str = "projector", batch: int = 0
) -> Proc:
    """Start a `claimtrail project` worker (`batch`: its events per transaction, 0: default)."""
    args = [sys.executable, "-c", CLI, "project"]
    env = {"CLAIMTRAIL_DATABASE_URL": database_url, "COLUMNS": "120"}
    return processes.start(name, args, env | {"CLAIMTRAIL_PROJECTION_BATCH": str(batch)})


# -- principals and a claim to write to -----------------------------------------------------------


def bootstrap(database_url: str) -> str:
    """The first admin's token (before any server starts, like tests/api/conftest.py)."""
    ledger = open_ledger(database_url)
    try:
        token = ledger.principals.bootstrap_admin()
    finally:
        ledger.close()
    assert token is not None
    return token


def bearer(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


@dataclass
class Team:
    """Tokens by role, and the ids of what the tests write to."""

    tokens: dict[str, str]
    source_id: str = ""

    def headers(self, role: str, **extra: str) -> dict[str, str]:
        return bearer(self.tokens[role], **extra)


def make_team(
    client: httpx.Client, admin_token: str, roles: tuple[str, ...] = ("contributor", "reviewer")
) -> Team:
    """A principal per name in `roles` ("contributor2" is a second contributor)."""
    team = Team({"admin": admin_token})
    for name in roles:
        response = client.post(
            "/principals",
            json={"name": f"{name}-{uuid.uuid4().hex[:6]}", "role": name.rstrip("0123456789")},
            headers=team.headers("admin"),
        )
        assert response.status_code == 201, response.text
        team.tokens[name] = response.json()["token"]
    return team


def make_world(client: httpx.Client, team: Team) -> Team:
    """China, Russia and the seed article (with its text)."""
    for actor in (
        {"id": "china", "name": "China", "kind": "state", "aliases": ["Beijing"]},
        {"id": "russia", "name": "Russia", "kind": "state"},
    ):
        response = client.post("/actors", json=actor, headers=team.headers("contributor"))
        assert response.status_code == 201, response.text
    response = client.post(
        "/sources",
        json={
            "url": f"https://blog.example.org/{uuid.uuid4().hex[:8]}/xi-putin-summit",
            "title": "Xi-Putin summit",
            "published_on": "2022-02",
            "text": SEED_TEXT,
        },
        headers=team.headers("contributor"),
    )
    assert response.status_code == 201, response.text
    team.source_id = response.json()["id"]
    return team


def claim_body(team: Team, statement: str = "China supports Russia's security demands") -> Any:
    return {
        "statement": statement,
        "kind": "quote",
        "subject": "china",
        "relation": "supports",
        "object": "russia",
        "appearance": {"source_id": team.source_id, "exact": QUOTE},
    }


def record_claim(client: httpx.Client, team: Team, role: str = "contributor") -> str:
    response = client.post("/claims", json=claim_body(team), headers=team.headers(role))
    assert response.status_code == 201, response.text
    claim_id: str = response.json()["id"]
    return claim_id


def history(client: httpx.Client, claim_id: str) -> list[Any]:
    response = client.get(f"/claims/{claim_id}/history")
    assert response.status_code == 200, response.text
    items: list[Any] = response.json()["items"]
    return items


def assert_contiguous(items: list[Any]) -> None:
    versions = [item["version"] for item in items]
    assert versions == list(range(1, len(items) + 1)), versions
    positions = [item["position"] for item in items]
    assert positions == sorted(set(positions)), positions


def assert_unavailable(response: httpx.Response) -> None:
    """A 503 problem+json that says when to retry."""
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == PROBLEM, response.headers
    assert response.headers.get("Retry-After"), response.headers
    body = response.json()
    assert body["status"] == 503 and body["type"] and body["title"] and body["detail"], body


# -- a private PostgreSQL instance ----------------------------------------------------------------


def postgres_bindir() -> Path:
    """Where initdb/postgres are: CLAIMTRAIL_PG_BINDIR, pg_config, Debian's layout, or PATH."""
    candidates = [os.environ.get("CLAIMTRAIL_PG_BINDIR", "")]
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            candidates.append(
                subprocess.run(
                    [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
                ).stdout.strip()
            )
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if initdb := shutil.which("initdb"):
        candidates.append(str(Path(initdb).parent))
    for candidate in candidates:
        if (
            candidate
            and (Path(candidate) / "initdb").exists()
            and (Path(candidate) / "postgres").exists()
        ):
            return Path(candidate)
    pytest.fail("PostgreSQL server binaries (initdb, postgres) not found; set CLAIMTRAIL_PG_BINDIR")


def unprivileged_user() -> str | None:
    """None when not root; else an OS user that initdb accepts (made if none exists)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "claimtrail-pg"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    subprocess.run(
        [
            "useradd",
            "--system",
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
            "claimtrail-pg",
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return "claimtrail-pg"


class PrivatePostgres:
    """A throwaway PostgreSQL cluster in a temporary directory, on a free loopback port, that a
    test may stop and start again. Run as an unprivileged user when the tests run as root."""

    def __init__(self, processes: Processes) -> None:
        self.processes = processes
        self.bindir = postgres_bindir()
        self.user = unprivileged_user()
        self.dir = Path(tempfile.mkdtemp(prefix="claimtrail-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.proc: Proc | None = None
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self._run(
            [
                "initdb",
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ]
        )

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, args: list[str]) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=120, cwd=self.dir, **as_user(self.user)
        )
        assert done.returncode == 0, f"{args[0]} failed:\n{done.stdout}\n{done.stderr}"

    def start(self, max_connections: int = 100) -> PrivatePostgres:
        assert self.proc is None or not self.proc.alive()
        args = [
            str(self.bindir / "postgres"),
            "-D",
            str(self.data),
            "-p",
            str(self.port),
            "-k",
            str(self.dir),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            f"max_connections={max_connections}",
            "-c",
            "fsync=on",
            "-c",
            "shared_buffers=32MB",
        ]
        self.proc = self.processes.start("postgres", args, user=self.user, cwd=self.dir)
        wait_until(
            self.ready, START_TIMEOUT, "the private PostgreSQL to accept connections", pause=0.1
        )
        return self

    def ready(self) -> bool:
        if self.proc is None or not self.proc.alive():
            pytest.fail(f"postgres exited:\n{self.proc.output() if self.proc else ''}")
        try:
            with psycopg.connect(self.url, connect_timeout=2) as conn:
                conn.execute("SELECT 1")
            return True
        except psycopg.Error:
            return False

    def stop(self, mode: str = "fast") -> None:
        """Fast shutdown (SIGINT): sessions are cut, committed data is kept; or `immediate`."""
        assert self.proc is not None
        sig = {"smart": signal.SIGTERM, "fast": signal.SIGINT, "immediate": signal.SIGQUIT}[mode]
        self.proc.stop(sig, timeout=30)

    def cleanup(self) -> None:
        if self.proc is not None:
            with contextlib.suppress(Exception):
                self.proc.stop(signal.SIGQUIT, timeout=5)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fault tests' PostgreSQL (overriding tests/conftest.py's): a private instance, so
    that what they do to connections and locks reaches no one else, and no one else's
    connections (a shared server's max_connections) can starve them."""
    with _processes(tmp_path_factory.mktemp("postgres-logs")) as registry:
        pg = PrivatePostgres(registry)
        try:
            yield pg.start(max_connections=300).url
        finally:
            pg.cleanup()


@pytest.fixture
def private_postgres(processes: Processes) -> Iterator[PrivatePostgres]:
    """A private instance of the test's own, to stop and start."""
    pg = PrivatePostgres(processes)
    try:
        yield pg.start()
    finally:
        pg.cleanup()


# -- many requests at once ----------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One HTTP request, to be sent together with others."""

    base_url: str
    method: str
    path: str
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    tag: str = ""


@dataclass(frozen=True)
class Answer:
    call: Call
    response: httpx.Response | None
    seconds: float
    error: str = ""

    @property
    def status(self) -> int | None:
        return None if self.response is None else self.response.status_code

    def json(self) -> Any:
        assert self.response is not None, self.error
        return self.response.json()


def send(call: Call, timeout: float = 60.0, ready: Callable[[], Any] = lambda: None) -> Answer:
    """Send one call on a connection of its own (`ready` is called just before)."""
    with httpx.Client(base_url=call.base_url, timeout=timeout, verify=TLS) as client:
        ready()
        began = time.monotonic()
        try:
            response = client.request(call.method, call.path, json=call.body, headers=call.headers)
        except httpx.HTTPError as exc:
            return Answer(call, None, time.monotonic() - began, repr(exc))
    return Answer(call, response, time.monotonic() - began)


def concurrently(calls: list[Call], timeout: float = 60.0) -> list[Answer]:
    """Send every call at the same moment (one connection each); the answers in call order."""
    barrier = threading.Barrier(len(calls))

    def one(call: Call) -> Answer:
        return send(call, timeout, lambda: barrier.wait(timeout=30))

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(one, calls))


# -- views against a clean rebuild ----------------------------------------------------------------


def view_positions(database_url: str) -> tuple[int, dict[str, int]]:
    """The head of the log and each view's tracking position (read from the database)."""
    ledger = open_ledger(database_url)
    try:
        read_model = ReadModel(ledger)
        return read_model.head(), read_model.projector.positions()
    finally:
        ledger.close()


def assert_views_match_rebuild(database_url: str) -> dict[str, str]:
    """Every live view equals the same view rebuilt from the log (digests compared per view);
    the views must have caught up with the log first."""
    ledger = open_ledger(database_url)
    try:
        live = ReadModel(ledger)
        head, positions = live.head(), live.projector.positions()
        assert set(positions.values()) == {head}, (head, positions)
        rebuilt = rebuild(ledger, all_views(), prefix="rb_")
        digests = {}
        for view in all_views():
            ours, fresh = digest(live.store, view), digest(rebuilt, view)
            assert ours == fresh, f"view {view.name} differs from a rebuild"
            digests[view.name] = ours[:12]
        drop(rebuilt, all_views())
        return digests
    finally:
        ledger.close()
