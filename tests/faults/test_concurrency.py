"""64 concurrent writers on one claim, over HTTP, against a `claimtrail serve` process (SQLite
and PostgreSQL): every 2xx is in the claim's history exactly once, every rejection is a clean
409/412 that wrote nothing, and the versions stay contiguous."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from tests.faults.conftest import (
    PROBLEM,
    Answer,
    Call,
    Processes,
    Server,
    Team,
    assert_contiguous,
    bootstrap,
    claim_body,
    concurrently,
    history,
    make_team,
    make_world,
    record_claim,
    serve,
)

WRITERS = 64
ID_FIELD = {
    "claim.evidence_added": "evidence_id",
    "claim.disputed": "dispute_id",
    "claim.reviewed": "review_id",
}


@pytest.fixture(scope="module")
def server(module_database_url: str, module_processes: Processes) -> Iterator[tuple[Server, Team]]:
    """One server per backend for the tests here (each test writes to claims of its own)."""
    admin = bootstrap(module_database_url)
    api = serve(module_processes, module_database_url)
    with api.client() as client:
        team = make_world(
            client, make_team(client, admin, ("contributor", "contributor2", "reviewer"))
        )
    yield api, team
    api.proc.stop()


def _problem(answer: Answer, status: int) -> None:
    assert answer.status == status, (answer.error, answer.response and answer.response.text)
    assert answer.response is not None
    assert answer.response.headers["content-type"] == PROBLEM
    assert answer.json()["status"] == status


def _after(items: list[Any], versions: int) -> list[Any]:
    """The history items after the first `versions` versions."""
    return [item for item in items if item["version"] > versions]


def _event_id(item: dict[str, Any]) -> str | None:
    name = ID_FIELD.get(item["type"])
    return None if name is None else str(item["data"][name])


def test_mixed_writers_each_success_once_each_rejection_clean(server: tuple[Server, Team]) -> None:
    api, team = server
    with api.client() as client:
        claim_id = record_claim(client, team)  # recorded by "contributor"
        opened = client.post(
            f"/claims/{claim_id}/disputes",
            json={"reason": "open one"},
            headers=team.headers("contributor2"),
        )
        assert opened.status_code == 201, opened.text
        dispute_id = opened.json()["dispute_id"]
    path = f"/claims/{claim_id}"
    calls: list[Call] = []
    for i in range(16):
        calls.append(
            Call(
                api.base_url,
                "POST",
                f"{path}/evidence",
                {"stance": ["supports", "refutes", "context"][i % 3], "note": f"evidence {i}"},
                team.headers("contributor" if i % 2 else "contributor2"),
                "evidence",
            )
        )
    for i in range(12):
        calls.append(
            Call(
                api.base_url,
                "POST",
                f"{path}/disputes",
                {"reason": f"dispute {i}"},
                team.headers("contributor2"),
                "dispute",
            )
        )
    for i in range(12):
        calls.append(
            Call(
                api.base_url,
                "POST",
                f"{path}/reviews",
                {"verdict": ["true", "mixed", "false"][i % 3], "explanation": f"review {i}"},
                team.headers("reviewer"),
                "review",
            )
        )
    for i in range(12):  # the same correction 12 times: one applies, the rest change nothing
        calls.append(
            Call(
                api.base_url,
                "POST",
                f"{path}/corrections",
                {"reason": f"correction {i}", "statement": "China backs Russia's security demands"},
                team.headers("contributor"),
                "correction",
            )
        )
    for i in range(12):  # one dispute resolved 12 times: once, then "already resolved"
        calls.append(
            Call(
                api.base_url,
                "POST",
                f"{path}/disputes/{dispute_id}/resolution",
                {"outcome": ["upheld", "rejected"][i % 2], "note": f"resolution {i}"},
                team.headers("reviewer"),
                "resolution",
            )
        )
    assert len(calls) == WRITERS

    answers = concurrently(calls)

    ok = [a for a in answers if a.status in (200, 201)]
    rejected = [a for a in answers if a not in ok]
    for answer in rejected:
        _problem(answer, 409)
    by_tag = Counter((a.call.tag, a.status) for a in answers)
    assert by_tag == {
        ("evidence", 201): 16,
        ("dispute", 201): 12,
        ("review", 201): 12,
        ("correction", 200): 1,
        ("correction", 409): 11,
        ("resolution", 200): 1,
        ("resolution", 409): 11,
    }, by_tag

    with api.client() as client:
        items = history(client, claim_id)
    assert_contiguous(items)
    new = _after(items, 2)  # 1: recorded, 2: the dispute opened above
    assert len(new) == len(ok), (len(new), len(ok))  # rejections wrote nothing
    at = {item["position"]: item for item in new}
    assert len(at) == len(new)
    ids = Counter(_event_id(item) for item in new if _event_id(item) is not None)
    assert set(ids.values()) == {1}, ids
    expected_type = {
        "evidence": "claim.evidence_added",
        "dispute": "claim.disputed",
        "review": "claim.reviewed",
        "correction": "claim.corrected",
        "resolution": "claim.dispute_resolved",
    }
    positions = set()
    for answer in ok:
        body = answer.json()
        item = at[body["position"]]  # each success at its own position, exactly once
        positions.add(body["position"])
        assert item["type"] == expected_type[answer.call.tag]
        assert item["version"] == body["version"]
        assert answer.response is not None and answer.response.headers["ETag"] == (
            f'"{body["version"]}"'
        )
        for name in ("evidence_id", "dispute_id", "review_id"):
            if name in body and body[name] is not None:
                assert item["data"][name] == body[name]
                assert ids[body[name]] == 1
    assert positions == set(at)
    print(
        f"\nFIGURES concurrency[{api.database_url.split(':')[0]}]: {len(answers)} writers, "
        f"{len(ok)} 2xx, {len(rejected)} 409, history versions 1..{len(items)}"
    )


def test_one_idempotency_key_writes_one_event(server: tuple[Server, Team]) -> None:
    api, team = server
    with api.client() as client:
        claim_id = record_claim(client, team)
    key = f"retry-{uuid.uuid4()}"
    evidence = Call(
        api.base_url,
        "POST",
        f"/claims/{claim_id}/evidence",
        {"stance": "supports", "note": "sent 64 times"},
        team.headers("contributor", **{"Idempotency-Key": key}),
    )
    claim_key = f"claim-{uuid.uuid4()}"
    record = Call(
        api.base_url,
        "POST",
        "/claims",
        claim_body(team, "Sent 64 times"),
        team.headers("contributor", **{"Idempotency-Key": claim_key}),
    )

    for call, status, created in ((evidence, 201, False), (record, 201, True)):
        answers = concurrently([call] * WRITERS)
        assert {a.status for a in answers} == {status}, [a.error or a.status for a in answers]
        bodies = [a.json() for a in answers]
        assert all(body == bodies[0] for body in bodies)
        etags = {a.response.headers["ETag"] for a in answers if a.response is not None}
        assert len(etags) == 1
        replayed = Counter(
            a.response.headers.get("Idempotent-Replayed") for a in answers if a.response is not None
        )
        assert replayed == {None: 1, "true": WRITERS - 1}, replayed
        with api.client() as client:
            target = bodies[0]["id"] if created else claim_id
            items = history(client, target)
        assert_contiguous(items)
        assert len(items) == (1 if created else 2), items  # exactly one event was written
        assert items[-1]["position"] == bodies[0]["position"]
    print(
        f"\nFIGURES idempotency[{api.database_url.split(':')[0]}]: {WRITERS} retries x 2 keys "
        f"-> 1 event each, {WRITERS - 1} replayed each"
    )


def test_same_if_match_exactly_one_wins(server: tuple[Server, Team]) -> None:
    api, team = server
    with api.client() as client:
        claim_id = record_claim(client, team)
        version = client.get(f"/claims/{claim_id}").headers["ETag"]
    assert version == '"1"'
    calls = []
    for i in range(WRITERS):
        kind = i % 3
        path, body, role = [
            ("evidence", {"stance": "context", "note": f"if-match {i}"}, "contributor"),
            ("disputes", {"reason": f"if-match {i}"}, "contributor2"),
            ("reviews", {"verdict": "true", "explanation": f"if-match {i}"}, "reviewer"),
        ][kind]
        calls.append(
            Call(
                api.base_url,
                "POST",
                f"/claims/{claim_id}/{path}",
                body,
                team.headers(role, **{"If-Match": version}),
            )
        )

    answers = concurrently(calls)

    winners = [a for a in answers if a.status == 201]
    assert len(winners) == 1, Counter(a.status for a in answers)
    for answer in answers:
        if answer is not winners[0]:
            _problem(answer, 412)
    with api.client() as client:
        items = history(client, claim_id)
    assert_contiguous(items)
    assert len(items) == 2
    assert items[1]["position"] == winners[0].json()["position"]
    print(
        f"\nFIGURES if-match[{api.database_url.split(':')[0]}]: {WRITERS} writers with "
        f"If-Match {version}: 1 x 201, {WRITERS - 1} x 412"
    )
