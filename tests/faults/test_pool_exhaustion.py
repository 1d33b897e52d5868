"""The connection pool exhausted: a server with a one-connection pool whose connection is stuck
behind a table lock answers every other request 503 problem+json within the bound (no hang),
writes nothing for them, and serves normally once the lock is gone."""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg
import pytest
from psycopg import sql

from infra.ledger.application import open_ledger
from infra.store.database import libpq_url
from tests.faults.conftest import (
    Answer,
    Call,
    Processes,
    assert_unavailable,
    bootstrap,
    claim_body,
    concurrently,
    history,
    make_team,
    make_world,
    record_claim,
    send,
    serve,
    wait_until,
)
from tests.faults.load import BOUND

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _waiting_on_lock(url: str, schema: str) -> bool:
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            " AND query LIKE %s",
            (f'%"{schema}"%',),
        ).fetchone()
    return bool(row and row[0])


def test_pool_exhausted_answers_503_within_the_bound(
    postgres_url: str, processes: Processes
) -> None:
    url = f"{postgres_url}&pool_size=1&max_overflow=0"
    schema = postgres_url.rsplit("schema=", 1)[1]
    admin = bootstrap(url)
    ledger = open_ledger(url)
    table = ledger.recorder.events_table_name  # type: ignore[attr-defined]
    ledger.close()
    api = serve(processes, url, projections="off")
    with api.client() as client:
        team = make_world(client, make_team(client, admin))
        claim_id = record_claim(client, team)

    blocked: list[Answer] = []
    with psycopg.connect(libpq_url(url)) as holder:  # a transaction holding the lock
        holder.execute(
            sql.SQL("LOCK TABLE {}.{} IN ACCESS EXCLUSIVE MODE").format(
                sql.Identifier(schema), sql.Identifier(table)
            )
        )
        locked = time.monotonic()
        # The pool's only connection gets stuck behind the lock ...
        blocker = threading.Thread(
            target=lambda: blocked.append(send(Call(api.base_url, "GET", f"/claims/{claim_id}")))
        )
        blocker.start()
        wait_until(
            lambda: _waiting_on_lock(url, schema), 15, "a request to wait on the lock", pause=0.1
        )
        # ... so every other request finds the pool empty.
        probes = concurrently(
            [
                Call(
                    api.base_url,
                    "POST",
                    f"/claims/{claim_id}/evidence",
                    {"stance": "context", "note": "while the pool is empty"},
                    team.headers("contributor"),
                ),
                Call(
                    api.base_url,
                    "POST",
                    "/claims",
                    claim_body(team, "While the pool is empty"),
                    team.headers("contributor"),
                ),
                Call(api.base_url, "GET", f"/claims/{claim_id}/history"),
                Call(api.base_url, "GET", "/claims"),
                Call(api.base_url, "GET", "/readyz"),
            ]
        )
        held = time.monotonic() - locked
        holder.rollback()  # the lock goes
    blocker.join(timeout=30)
    assert not blocker.is_alive()

    for probe in probes:
        assert probe.response is not None, probe.error
        assert_unavailable(probe.response)
        assert probe.seconds <= BOUND, probe
    [stuck] = blocked
    assert stuck.status == 200, stuck  # it waited for the lock (as long as it was held), no more
    with api.client() as client:
        response = client.post(
            f"/claims/{claim_id}/evidence",
            json={"stance": "context", "note": "after"},
            headers=team.headers("contributor"),
        )
        assert response.status_code == 201, response.text
        items: list[Any] = history(client, claim_id)
    notes = [item["data"].get("note") for item in items]
    assert notes == [None, "after"]  # the refused requests wrote nothing
    print(
        f"\nFIGURES pool exhausted: 5 requests on an empty pool -> "
        f"{[p.status for p in probes]} in {min(p.seconds for p in probes):.1f}-"
        f"{max(p.seconds for p in probes):.1f} s; the request stuck on the lock waited "
        f"{stuck.seconds:.1f} s (the lock was held {held:.1f} s)"
    )
