"""Webhooks over HTTP on SQLite and PostgreSQL: registration (admin), its refusals and
conflicts, and delivery by the API's in-process dispatcher to a receiver on loopback: signed,
in log order, retried with back-off, visible in /deliveries."""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.api.conftest import Api, serve
from tests.api.helpers import assert_invalid, assert_problem, missing_id
from tests.conftest import fresh_database
from tests.webhook_receiver import receiving

FAST = {
    "webhook_allow_private": True,  # the receiver is on loopback
    "webhook_retry_first": 0.2,
    "webhook_retry_max": 1.0,
    "webhook_poll": 0.05,
    "webhook_timeout": 5.0,
}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    for url in fresh_database(request, tmp_path_factory, "webhooks"):
        yield from serve(url, **FAST)


def _register(api: Api, url: str, types: list[str], **headers: str) -> Any:
    response = api.post("/webhooks", {"url": url, "event_types": types}, "admin", **headers)
    assert response.status_code == 201, response.text
    return response.json()


def _actor(api: Api) -> Any:
    slug = f"hook-{uuid.uuid4().hex[:8]}"
    response = api.post("/actors", {"id": slug, "name": slug, "kind": "group"})
    assert response.status_code == 201, response.text
    return response.json()


def _eventually(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
    return found


def _deliveries(api: Api, hook: Any) -> Any:
    response = api.get(f"/webhooks/{hook['id']}/deliveries", role="admin", limit=500)
    assert response.status_code == 200, response.text
    return response.json()


# -- registration --------------------------------------------------------------------------


def test_an_admin_registers_an_endpoint_and_sees_its_secret_only_once(api: Api) -> None:
    hook = _register(api, "https://hooks.example.org/claimtrail", ["claim.*", "actor.registered"])

    assert hook["secret"].startswith("whsec_") and hook["enabled"] is True
    assert hook["event_types"] == ["actor.registered", "claim.*"]
    shown = api.get(f"/webhooks/{hook['id']}", role="admin")
    assert shown.status_code == 200 and shown.headers["ETag"] == '"1"'
    assert "secret" not in shown.json()
    listed = api.get("/webhooks", role="admin", limit=500).json()["items"]
    assert [h["id"] for h in listed if h["id"] == hook["id"]] == [hook["id"]]
    assert all("secret" not in h for h in listed)
    log = api.get("/audit/log", min_position=hook["position"], limit=1000).text
    assert hook["secret"].removeprefix("whsec_") not in log  # sealed in the public log


def test_a_retry_with_the_same_idempotency_key_answers_the_same_secret(api: Api) -> None:
    key = {"Idempotency-Key": f"hook-{uuid.uuid4().hex}"}
    first = _register(api, "https://hooks.example.org/a", ["*"], **key)
    again = api.post(
        "/webhooks", {"url": "https://hooks.example.org/a", "event_types": ["*"]}, "admin", **key
    )

    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.example.org/x",
        "hooks.example.org/x",
        "https://user:pass@hooks.example.org/x",
        "https:///nohost",
        "http://hooks.example.org:99999/x",
    ],
)
def test_a_url_that_is_not_http_with_a_host_is_refused(api: Api, url: str) -> None:
    response = api.post("/webhooks", {"url": url, "event_types": ["*"]}, "admin")

    assert_problem(response, 422, "invalid-webhook-url")


@pytest.mark.parametrize("types", [["claim.nope"], ["nothing.*"], ["webhook.registered"]])
def test_an_unknown_event_type_is_refused(api: Api, types: list[str]) -> None:
    response = api.post(
        "/webhooks", {"url": "https://h.example.org", "event_types": types}, "admin"
    )

    body = assert_problem(response, 422, "invalid-event-types")
    assert "claim.disputed" in body["known"]


@pytest.mark.parametrize("types", [["Claim.Disputed"], ["claim disputed"], ["**"]])
def test_a_malformed_event_type_is_refused(api: Api, types: list[str]) -> None:
    response = api.post(
        "/webhooks", {"url": "https://h.example.org", "event_types": types}, "admin"
    )

    assert_problem(response, 422, "invalid-event-types")


def test_no_event_types_or_a_missing_url_is_a_validation_error(api: Api) -> None:
    assert_invalid(
        api.post("/webhooks", {"url": "https://h.example.org", "event_types": []}, "admin"),
        "body",
        "event_types",
    )
    assert_invalid(api.post("/webhooks", {"event_types": ["*"]}, "admin"), "body", "url")


@pytest.mark.parametrize("role", ["reader", "contributor", "reviewer"])
def test_only_admins_register_and_read_webhooks(api: Api, role: str) -> None:
    hook = _register(api, "https://hooks.example.org/r", ["*"])
    body = {"url": "https://hooks.example.org/x", "event_types": ["*"]}

    assert_problem(api.post("/webhooks", body, role), 403)
    assert_problem(api.get("/webhooks", role=role), 403)
    assert_problem(api.get(f"/webhooks/{hook['id']}/deliveries", role=role), 403)
    assert_problem(api.post(f"/webhooks/{hook['id']}/disable", None, role), 403)
    assert_problem(api.post("/webhooks", body, None), 401)


def test_disabling_twice_enabling_twice_or_the_same_types_again_conflict(api: Api) -> None:
    hook = _register(api, "https://hooks.example.org/c", ["claim.disputed"])
    path = f"/webhooks/{hook['id']}"

    disabled = api.post(f"{path}/disable", {"reason": "receiver down"}, "admin")
    assert disabled.status_code == 200 and disabled.json()["enabled"] is False
    assert_problem(api.post(f"{path}/disable", None, "admin"), 409, "webhook-disabled")
    enabled = api.post(f"{path}/enable", None, "admin")
    assert enabled.status_code == 200 and enabled.json()["enabled"] is True
    assert_problem(api.post(f"{path}/enable", None, "admin"), 409, "webhook-enabled")
    same = api.post(f"{path}/event-types", {"event_types": ["claim.disputed"]}, "admin")
    assert_problem(same, 409)
    changed = api.post(f"{path}/event-types", {"event_types": ["claim.*"]}, "admin")
    assert changed.status_code == 200 and changed.json()["event_types"] == ["claim.*"]
    assert changed.json()["version"] == 4
    bad = api.post(f"{path}/event-types", {"event_types": ["claim.nope"]}, "admin")
    assert_problem(bad, 422, "invalid-event-types")


def test_an_unknown_webhook_is_a_404(api: Api) -> None:
    for path in ("", "/deliveries"):
        assert_problem(api.get(f"/webhooks/{missing_id()}{path}", role="admin"), 404)
    assert_problem(api.post(f"/webhooks/{missing_id()}/enable", None, "admin"), 404)


# -- delivery ------------------------------------------------------------------------------


def test_each_wanted_event_is_delivered_signed_in_log_order(api: Api) -> None:
    with receiving() as receiver:
        hook = _register(api, receiver.url, ["actor.registered", "actor.alias_added"])
        actors = [_actor(api) for _ in range(3)]
        alias = api.post(f"/actors/{actors[0]['id']}/aliases", {"alias": uuid.uuid4().hex[:12]})
        assert alias.status_code == 200, alias.text
        _register(api, "https://hooks.example.org/other", ["*"])  # not sent anywhere it may see

        wanted = [a["position"] for a in actors] + [alias.json()["position"]]
        _eventually(lambda: len(receiver.received) >= 4)
        time.sleep(0.3)  # nothing else comes

        assert receiver.positions() == wanted
        first = receiver.received[0].verified(hook["secret"])
        assert first["type"] == "actor.registered"
        assert first["aggregate_id"] and first["data"]["name"] == actors[0]["name"]
        assert receiver.received[-1].verified(hook["secret"])["type"] == "actor.alias_added"
        assert receiver.received[0].headers["webhook-signature"].startswith("v1,")
        items = _eventually(
            lambda: len(_deliveries(api, hook)["items"]) == 4 and _deliveries(api, hook)
        )
        assert [d["position"] for d in items["items"]] == wanted
        assert all(d["attempts"] == 1 and d["status_code"] == 200 for d in items["items"])
        assert all(d["delivered_at"] and d["next_attempt_at"] is None for d in items["items"])
        assert items["acknowledged_position"] >= wanted[-1]


def test_a_failing_receiver_is_retried_with_backoff_and_later_events_wait(api: Api) -> None:
    with receiving(answers=[500, 503, 500]) as receiver:
        hook = _register(api, receiver.url, ["actor.registered"])
        first, second = _actor(api), _actor(api)

        failing = _eventually(
            lambda: (d := _deliveries(api, hook)["items"]) and d[0]["status_code"] == 500 and d
        )
        assert failing[0]["delivered_at"] is None and failing[0]["next_attempt_at"]
        _eventually(lambda: len(receiver.received) >= 5)

        assert receiver.first_positions() == [first["position"], second["position"]]
        assert receiver.positions() == [first["position"]] * 4 + [second["position"]]
        ids = {r.headers["webhook-id"] for r in receiver.received[:4]}
        assert len(ids) == 1  # one id for every attempt of one event
        done = _eventually(
            lambda: (
                (d := _deliveries(api, hook)["items"])
                and len(d) == 2
                and d[1]["delivered_at"]
                and d
            )
        )
        assert done[0]["attempts"] == 4 and done[0]["status_code"] == 200
        assert done[0]["error"] is None and done[1]["attempts"] == 1


def test_the_backoff_doubles_between_attempts(api: Api) -> None:
    with receiving(answers=[500, 500, 500]) as receiver:
        _register(api, receiver.url, ["actor.registered"])
        _actor(api)
        _eventually(lambda: len(receiver.received) >= 4)

    at = [r.at for r in receiver.received[:4]]
    gaps = [b - a for a, b in itertools.pairwise(at)]
    # After failure n the delay is in [d/2, d], d = 0.2 s * 2**(n-1) (capped at 1 s).
    assert gaps[0] >= 0.1 - 0.02 and gaps[1] >= 0.2 - 0.02 and gaps[2] >= 0.4 - 0.02, gaps


def test_a_disabled_endpoint_gets_nothing_until_enabled_then_what_it_missed(api: Api) -> None:
    with receiving() as receiver:
        hook = _register(api, receiver.url, ["actor.registered"])
        api.post(f"/webhooks/{hook['id']}/disable", None, "admin")
        missed = _actor(api)
        time.sleep(0.5)
        assert receiver.received == []

        assert api.post(f"/webhooks/{hook['id']}/enable", None, "admin").status_code == 200
        _eventually(lambda: receiver.positions() == [missed["position"]])
