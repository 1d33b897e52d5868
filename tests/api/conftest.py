"""API tests go through real HTTP: uvicorn serves create_app() on a free loopback port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from infra.ledger.application import open_ledger
from service.app import create_app
from service.protocol import HTTP
from service.settings import Settings

ROLES = ("reader", "contributor", "reviewer", "admin")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Api:
    """A running server, an HTTP client, and a token for each role."""

    client: httpx.Client
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, role: str | None, **headers: str) -> dict[str, str]:
        if role is not None:
            headers["Authorization"] = f"Bearer {self.tokens[role]}"
        return headers

    def post(
        self, path: str, body: Any = None, role: str | None = "contributor", **headers: str
    ) -> httpx.Response:
        return self.client.post(path, json=body, headers=self.auth(role, **headers))

    def get(self, path: str, role: str | None = None, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params, headers=self.auth(role))


def serve(database_url: str, **settings: Any) -> Iterator[Api]:
    bootstrap = open_ledger(database_url)
    admin_token = bootstrap.principals.bootstrap_admin()
    bootstrap.close()
    assert admin_token is not None
    port = _free_port()
    app = create_app(Settings(database_url=database_url, print_admin_token=False, **settings))
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", http=HTTP
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the API server did not start")
        time.sleep(0.02)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        api = Api(client, {"admin": admin_token})
        for role in ROLES[:-1]:
            response = api.post("/principals", {"name": f"{role}-user", "role": role}, "admin")
            assert response.status_code == 201, response.text
            api.tokens[role] = response.json()["token"]
        yield api
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """A server on a fresh SQLite file, shared by the tests of one module."""
    path: Path = tmp_path_factory.mktemp("api") / "claimtrail.sqlite3"
    yield from serve(f"sqlite:///{path}")


# -- added for the API test suite ----------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """What most claim tests need: the seed article (with text), a text-less source, two actors."""

    source_id: str
    bare_source_id: str


@pytest.fixture(scope="module")
def world(api: Api) -> World:
    """China (aliases Beijing, Bejing) and Russia, the seed article and a source without text."""
    from tests.factories import SEED_TEXT

    for actor in (
        {"id": "china", "name": "China", "kind": "state", "aliases": ["Beijing", "Bejing"]},
        {"id": "russia", "name": "Russia", "kind": "state"},
    ):
        assert api.post("/actors", actor).status_code == 201
    seed = api.post(
        "/sources",
        {
            "url": "https://blog.example.org/2022/02/xi-putin-summit",
            "title": "Xi-Putin summit",
            "published_on": "2022-02",
            "text": SEED_TEXT,
        },
    )
    bare = api.post(
        "/sources",
        {
            "url": "https://www.theguardian.com/world/2022/feb/03/xi-putin",
            "title": "Xi-Putin summit: Russia inches closer to China",
            "publisher": "The Guardian",
            "published_on": "2022-02-03",
        },
    )
    assert seed.status_code == bare.status_code == 201, (seed.text, bare.text)
    return World(seed.json()["id"], bare.json()["id"])
