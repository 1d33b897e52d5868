"""The scale-out shape: two API processes (CLAIMTRAIL_PROJECTIONS=off) and one projection worker
on one PostgreSQL schema, as behind a load balancer. Nothing a request depends on lives in one
process's memory: tokens, revocations, idempotency keys, versions, cursors and read-your-writes
all hold whichever process answers. (Each process keeps the principals it authenticated: a
revocation made on one is refused by the other within one poll of the log, AUTH_POLL.)"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.faults.conftest import (
    TLS,
    Call,
    Processes,
    Server,
    Team,
    assert_contiguous,
    bearer,
    bootstrap,
    claim_body,
    concurrently,
    fresh_schema,
    history,
    make_team,
    make_world,
    project,
    record_claim,
    serve,
)

pytestmark = pytest.mark.postgres
AUTH_POLL = 0.5  # CLAIMTRAIL_AUTH_POLL_SECONDS of both APIs


@dataclass
class Cluster:
    a: Server
    b: Server
    team: Team
    clients: tuple[httpx.Client, httpx.Client]

    @property
    def both(self) -> list[Server]:
        return [self.a, self.b]


@pytest.fixture(scope="module")
def cluster(module_processes: Processes, postgres_server: str) -> Iterator[Cluster]:
    with fresh_schema(postgres_server) as url:
        admin = bootstrap(url)
        polls = {"auth_poll_seconds": str(AUTH_POLL)}
        a = serve(module_processes, url, name="api-a", projections="off", **polls)
        b = serve(module_processes, url, name="api-b", projections="off", **polls)
        project(module_processes, url)
        with a.client() as client:
            team = make_world(
                client, make_team(client, admin, ("contributor", "contributor2", "reviewer"))
            )
        with (
            httpx.Client(base_url=a.base_url, timeout=30, verify=TLS) as on_a,
            httpx.Client(base_url=b.base_url, timeout=30, verify=TLS) as on_b,
        ):
            yield Cluster(a, b, team, (on_a, on_b))
        for proc in module_processes.started:  # stop before the schema is dropped
            proc.stop()


def test_token_made_on_one_works_on_the_other_and_revocation_reaches_both(cluster: Cluster) -> None:
    on_a, on_b = cluster.clients
    admin = cluster.team.headers("admin")
    for maker, user in ((on_a, on_b), (on_b, on_a)):
        made = maker.post(
            "/principals",
            json={"name": f"lb-{uuid.uuid4().hex[:6]}", "role": "contributor"},
            headers=admin,
        )
        assert made.status_code == 201, made.text
        token, principal, key = made.json()["token"], made.json()["id"], made.json()["key_id"]
        # The very next request goes to the other process.
        used = user.post(
            "/claims", json=claim_body(cluster.team, "Made elsewhere"), headers=bearer(token)
        )
        assert used.status_code == 201, used.text
        revoked = maker.delete(f"/principals/{principal}/keys/{key}", headers=admin)
        assert revoked.status_code == 200, revoked.text
        assert (  # the process that revoked it: at once
            maker.post("/claims", json=claim_body(cluster.team), headers=bearer(token)).status_code
            == 401
        )
        revoked_at = time.monotonic()  # the other: within one poll (and a margin)
        while True:
            refused = user.post(
                "/claims", json=claim_body(cluster.team, "Revoked elsewhere"), headers=bearer(token)
            )
            if refused.status_code == 401 or time.monotonic() - revoked_at > AUTH_POLL + 2.0:
                break
            time.sleep(0.05)
        assert refused.status_code == 401, refused.text


def test_writes_spread_over_both_processes(cluster: Cluster) -> None:
    team = cluster.team
    claim_id = record_claim(cluster.clients[0], team)
    calls = []
    for i in range(48):
        server = cluster.both[i % 2]
        path, body, role = [
            ("evidence", {"stance": "supports", "note": f"spread {i}"}, "contributor"),
            ("disputes", {"reason": f"spread {i}"}, "contributor2"),
            ("reviews", {"verdict": "mixed", "explanation": f"spread {i}"}, "reviewer"),
        ][i % 3]
        calls.append(
            Call(
                server.base_url,
                "POST",
                f"/claims/{claim_id}/{path}",
                body,
                team.headers(role),
                tag=server.proc.name,
            )
        )
    answers = concurrently(calls)
    assert Counter(a.status for a in answers) == {201: 48}, [
        a.json() for a in answers if a.status != 201
    ]
    items = history(cluster.clients[1], claim_id)
    assert_contiguous(items)
    assert len(items) == 1 + 48
    at = {item["position"]: item for item in items}
    for answer in answers:
        body = answer.json()
        item = at[body["position"]]
        assert item["version"] == body["version"]
        name = next(n for n in ("evidence_id", "dispute_id", "review_id") if body.get(n))
        assert item["data"][name] == body[name]
    print(
        f"\nFIGURES scale-out writes: 48 concurrent over 2 APIs "
        f"({dict(Counter(a.call.tag for a in answers))}) -> 48 x 201, versions 1..{len(items)}"
    )


@pytest.mark.parametrize("round_", range(10))  # a race between the processes is rare: repeat
def test_one_idempotency_key_sent_to_both_writes_one_event(cluster: Cluster, round_: int) -> None:
    team = cluster.team
    claim_id = record_claim(cluster.clients[round_ % 2], team)
    headers = team.headers("contributor", **{"Idempotency-Key": f"lb-{uuid.uuid4()}"})
    body = {"stance": "refutes", "note": "sent to both"}
    calls = [
        Call(server.base_url, "POST", f"/claims/{claim_id}/evidence", body, headers)
        for server in cluster.both * 16
    ]
    answers = concurrently(calls)
    assert {a.status for a in answers} == {201}
    bodies = [a.json() for a in answers]
    assert all(b == bodies[0] for b in bodies)
    replayed = Counter(
        a.response.headers.get("Idempotent-Replayed") for a in answers if a.response is not None
    )
    assert replayed == {None: 1, "true": 31}, replayed
    items = history(cluster.clients[1], claim_id)
    assert len(items) == 2 and items[1]["position"] == bodies[0]["position"]
    # And later, one at a time, on each process.
    for client in cluster.clients:
        again = client.post(f"/claims/{claim_id}/evidence", json=body, headers=headers)
        assert again.status_code == 201 and again.json() == bodies[0]
        assert again.headers["Idempotent-Replayed"] == "true"


def test_if_match_holds_across_processes(cluster: Cluster) -> None:
    team = cluster.team
    on_a, on_b = cluster.clients
    claim_id = record_claim(on_a, team)
    etag = on_b.get(f"/claims/{claim_id}").headers["ETag"]
    body = {"stance": "context", "note": "if-match"}
    first = on_a.post(
        f"/claims/{claim_id}/evidence",
        json=body,
        headers=team.headers("contributor", **{"If-Match": etag}),
    )
    assert first.status_code == 201, first.text
    stale = on_b.post(
        f"/claims/{claim_id}/evidence",
        json=body,
        headers=team.headers("contributor", **{"If-Match": etag}),
    )
    assert stale.status_code == 412, stale.text
    current = first.headers["ETag"]
    calls = [
        Call(
            server.base_url,
            "POST",
            f"/claims/{claim_id}/evidence",
            body,
            team.headers("contributor", **{"If-Match": current}),
        )
        for server in cluster.both * 16
    ]
    answers = concurrently(calls)
    assert Counter(a.status for a in answers) == {201: 1, 412: 31}
    assert len(history(on_b, claim_id)) == 3


def test_read_your_writes_and_cursors_across_processes(cluster: Cluster) -> None:
    team = cluster.team
    tag = f"lb{uuid.uuid4().hex[:8]}"
    written = []
    for i in range(6):
        writer, reader = cluster.clients[i % 2], cluster.clients[(i + 1) % 2]
        made = writer.post(
            "/claims",
            json={**claim_body(team, f"Read elsewhere {i}"), "tags": [tag]},
            headers=team.headers("contributor"),
        )
        assert made.status_code == 201, made.text
        written.append(made.json()["id"])
        # The next request lands on the other process: with min_position it sees the write.
        seen = reader.get("/claims", params={"tag": tag, "min_position": made.json()["position"]})
        assert seen.status_code == 200, seen.text
        assert [c["id"] for c in seen.json()["items"]] == written
        assert reader.get(f"/claims/{written[-1]}").status_code == 200
    # A cursor from one process pages on the other.
    seen_ids: list[str] = []
    cursor, n = None, 0
    while True:
        params: dict[str, str | int] = {"tag": tag, "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = cluster.clients[n % 2].get("/claims", params=params)
        assert page.status_code == 200, page.text
        seen_ids += [c["id"] for c in page.json()["items"]]
        cursor, n = page.json()["next_cursor"], n + 1
        if not cursor:
            break
    assert seen_ids == written and n >= 3
