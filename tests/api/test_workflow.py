"""The editorial workflow over HTTP, on SQLite and PostgreSQL: assignment, progress, draft
reviews, publishing and unpublishing them, and the `assignee=` / `workflow=` filters."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.conftest import Api, World, serve
from tests.api.helpers import (
    assert_invalid,
    assert_problem,
    history_types,
    missing_id,
    new_principal,
    record_claim,
)
from tests.conftest import fresh_database


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    for url in fresh_database(request, tmp_path_factory, "workflow"):
        yield from serve(url)


@pytest.fixture(scope="module")
def reviewer(api: Api) -> Any:
    """A second reviewer, to assign claims to."""
    principal = new_principal(api, "reviewer")
    api.tokens["assignee"] = principal["token"]
    return principal


def assign(api: Api, claim_id: str, assignee: str, role: str = "reviewer", **headers: str) -> Any:
    return api.post(f"/claims/{claim_id}/assignment", {"assignee": assignee}, role, **headers)


def unassign(api: Api, claim_id: str, role: str = "reviewer") -> Any:
    return api.client.delete(f"/claims/{claim_id}/assignment", headers=api.auth(role))


def start(api: Api, claim_id: str, role: str = "reviewer") -> Any:
    return api.post(f"/claims/{claim_id}/progress", None, role)


def write_review(api: Api, claim_id: str, verdict: str = "false", **extra: Any) -> Any:
    body = {"verdict": verdict, "explanation": "checked against the transcript", **extra}
    response = api.post(f"/claims/{claim_id}/reviews", body, role="reviewer")
    assert response.status_code == 201, response.text
    return response.json()


def publish(api: Api, claim_id: str, review_id: str, role: str = "reviewer") -> Any:
    return api.post(f"/claims/{claim_id}/reviews/{review_id}/publication", None, role)


def unpublish(api: Api, claim_id: str, review_id: str, reason: Any = "premature") -> Any:
    body = {"reason": reason} if reason is not None else {}
    return api.post(f"/claims/{claim_id}/reviews/{review_id}/unpublication", body, "reviewer")


def written(response: Any, version: int) -> Any:
    assert response.status_code == 200, response.text
    claim = response.json()
    assert claim["version"] == version
    assert response.headers["ETag"] == f'"{version}"'
    assert isinstance(claim["position"], int)
    return claim


def listed(api: Api, position: int, **filters: str) -> list[str]:
    response = api.get("/claims", min_position=position, limit=500, **filters)
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["items"]]


# -- assignment ------------------------------------------------------------------------------


def test_a_reviewer_assigns_a_claim_and_it_says_so(api: Api, world: World, reviewer: Any) -> None:
    claim = record_claim(api, world)
    assert (claim["assignee"], claim["workflow"]) == (None, "unassigned")

    updated = written(assign(api, claim["id"], reviewer["id"]), 2)

    assert (updated["assignee"], updated["workflow"]) == (reviewer["id"], "assigned")
    assert history_types(api, claim["id"])[-1] == "claim.assigned"
    assert api.get(f"/claims/{claim['id']}").json()["assignee"] == reviewer["id"]


def test_reassigning_replaces_the_assignee(api: Api, world: World, reviewer: Any) -> None:
    claim = record_claim(api, world)
    assign(api, claim["id"], reviewer["id"])
    other = new_principal(api, "admin")

    updated = written(assign(api, claim["id"], other["id"]), 3)

    assert updated["assignee"] == other["id"]


def test_assigning_to_the_current_assignee_is_a_409(api: Api, world: World, reviewer: Any) -> None:
    claim = record_claim(api, world)
    assign(api, claim["id"], reviewer["id"])

    assert_problem(assign(api, claim["id"], reviewer["id"]), 409, "already-assigned")


def test_assigning_to_an_unknown_principal_is_a_422(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    body = assert_problem(assign(api, claim["id"], missing_id()), 422, "unknown-reference")

    assert "assignee" in body
    assert api.get(f"/claims/{claim['id']}").json()["version"] == 1


@pytest.mark.parametrize("role", ["reader", "contributor"])
def test_assigning_to_someone_who_cannot_review_is_a_422(api: Api, world: World, role: str) -> None:
    claim = record_claim(api, world)
    principal = new_principal(api, role)

    assert_problem(assign(api, claim["id"], principal["id"]), 422, "assignee-cannot-review")
    assert api.get(f"/claims/{claim['id']}").json()["version"] == 1


@pytest.mark.parametrize(
    "body",
    [{}, {"assignee": "not-a-uuid"}, {"assignee": 7}, {"assignee": None}, {"who": missing_id()}],
)
def test_a_malformed_assignment_is_a_validation_problem(api: Api, world: World, body: Any) -> None:
    claim = record_claim(api, world)

    response = api.post(f"/claims/{claim['id']}/assignment", body, role="reviewer")

    assert_invalid(response, "body")


def test_assigning_an_unknown_claim_is_a_404(api: Api, reviewer: Any) -> None:
    assert_problem(assign(api, missing_id(), reviewer["id"]), 404)


def test_assignment_honours_if_match_and_idempotency_keys(
    api: Api, world: World, reviewer: Any
) -> None:
    claim = record_claim(api, world)

    assert_problem(assign(api, claim["id"], reviewer["id"], **{"If-Match": '"7"'}), 412)
    first = assign(api, claim["id"], reviewer["id"], **{"Idempotency-Key": "assign-1"})
    again = assign(api, claim["id"], reviewer["id"], **{"Idempotency-Key": "assign-1"})

    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert api.get(f"/claims/{claim['id']}").json()["version"] == 2


def test_unassigning_leaves_the_claim_unassigned(api: Api, world: World, reviewer: Any) -> None:
    claim = record_claim(api, world)
    assign(api, claim["id"], reviewer["id"])

    updated = written(unassign(api, claim["id"]), 3)

    assert (updated["assignee"], updated["workflow"]) == (None, "unassigned")
    assert history_types(api, claim["id"])[-2:] == ["claim.assigned", "claim.unassigned"]


def test_unassigning_an_unassigned_claim_is_a_409(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    assert_problem(unassign(api, claim["id"]), 409, "not-assigned")


# -- progress ------------------------------------------------------------------------------


def test_the_assignee_marks_the_claim_in_progress(api: Api, world: World, reviewer: Any) -> None:
    claim = record_claim(api, world)
    assign(api, claim["id"], reviewer["id"])

    updated = written(start(api, claim["id"], role="assignee"), 3)

    assert updated["workflow"] == "in_progress"
    assert history_types(api, claim["id"])[-1] == "claim.marked_in_progress"


def test_marking_in_progress_twice_is_a_409(api: Api, world: World, reviewer: Any) -> None:
    claim = record_claim(api, world)
    assign(api, claim["id"], reviewer["id"])
    start(api, claim["id"])

    assert_problem(start(api, claim["id"]), 409, "already-in-progress")


def test_marking_an_unassigned_claim_in_progress_is_a_409(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    assert_problem(start(api, claim["id"]), 409, "not-assigned")


def test_marking_an_unknown_claim_in_progress_is_a_404(api: Api) -> None:
    assert_problem(start(api, missing_id()), 404)


# -- drafts, publishing, unpublishing ---------------------------------------------------------


def test_a_draft_review_is_listed_but_gives_no_verdict(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    drafted = write_review(api, claim["id"], "false", state="draft")

    assert drafted["verdict"] is None and drafted["status"] == "recorded"
    assert drafted["workflow"] == "unassigned"
    assert [(r["id"], r["state"]) for r in drafted["reviews"]] == [(drafted["review_id"], "draft")]
    assert drafted["reviews"][0]["published_at"] is None
    assert_problem(api.get(f"/claims/{claim['id']}/claimreview"), 404)
    assert claim["id"] not in listed(api, drafted["position"], verdict="false")


def test_a_review_without_a_state_is_published_as_before(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    reviewed = write_review(api, claim["id"], "mostly_true")

    assert reviewed["verdict"] == "mostly_true" and reviewed["status"] == "reviewed"
    assert reviewed["reviews"][0]["state"] == "published"
    assert reviewed["workflow"] == "reviewed"


def test_an_unknown_review_state_is_a_validation_problem(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    for state in ("unpublished", "Draft", 1):
        response = api.post(
            f"/claims/{claim['id']}/reviews",
            {"verdict": "true", "explanation": "e", "state": state},
            role="reviewer",
        )
        assert_invalid(response, "body", "state")


def test_publishing_a_draft_makes_it_count(api: Api, world: World, reviewer: Any) -> None:
    claim = record_claim(api, world)
    assign(api, claim["id"], reviewer["id"])
    start(api, claim["id"], role="assignee")
    drafted = write_review(api, claim["id"], "false", state="draft")
    assert drafted["workflow"] == "in_progress"

    published = written(publish(api, claim["id"], drafted["review_id"]), 5)

    assert published["verdict"] == "false" and published["status"] == "reviewed"
    assert published["workflow"] == "reviewed"
    review = published["reviews"][0]
    assert review["state"] == "published" and review["published_at"] is not None
    assert api.get(f"/claims/{claim['id']}/claimreview").status_code == 200
    assert claim["id"] in listed(api, published["position"], verdict="false")
    assert history_types(api, claim["id"])[-1] == "claim.review_published"


def test_publishing_a_published_review_is_a_409(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    reviewed = write_review(api, claim["id"])

    assert_problem(publish(api, claim["id"], reviewed["review_id"]), 409, "already-published")


def test_publishing_or_unpublishing_an_unknown_review_is_a_404(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    assert_problem(publish(api, claim["id"], missing_id()), 404, "review-not-found")
    assert_problem(unpublish(api, claim["id"], missing_id()), 404, "review-not-found")
    assert_problem(publish(api, missing_id(), missing_id()), 404)


def test_a_malformed_review_id_is_a_validation_problem(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    assert_invalid(publish(api, claim["id"], "nope"), "path", "review_id")


def test_unpublishing_keeps_the_review_with_its_reason(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    reviewed = write_review(api, claim["id"], "false")

    updated = written(unpublish(api, claim["id"], reviewed["review_id"], "wrong source"), 3)

    assert updated["verdict"] is None and updated["status"] == "recorded"
    review = updated["reviews"][0]
    assert review["state"] == "unpublished"
    assert review["unpublished_reason"] == "wrong source"
    assert review["unpublished_at"] is not None and review["explanation"]
    assert_problem(api.get(f"/claims/{claim['id']}/claimreview"), 404)
    assert history_types(api, claim["id"])[-1] == "claim.review_unpublished"


def test_unpublishing_falls_back_to_the_review_published_before(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    write_review(api, claim["id"], "true")
    latest = write_review(api, claim["id"], "false")

    updated = written(unpublish(api, claim["id"], latest["review_id"]), 4)

    assert updated["verdict"] == "true"


def test_unpublishing_a_draft_or_an_unpublished_review_is_a_409(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    drafted = write_review(api, claim["id"], state="draft")

    assert_problem(unpublish(api, claim["id"], drafted["review_id"]), 409, "not-published")
    publish(api, claim["id"], drafted["review_id"])
    unpublish(api, claim["id"], drafted["review_id"])
    assert_problem(unpublish(api, claim["id"], drafted["review_id"]), 409, "not-published")
    republished = written(publish(api, claim["id"], drafted["review_id"]), 5)
    assert republished["verdict"] == "false"


@pytest.mark.parametrize("reason", [None, "", "x" * 5001, 5])
def test_unpublishing_needs_a_reason(api: Api, world: World, reason: Any) -> None:
    claim = record_claim(api, world)
    reviewed = write_review(api, claim["id"])

    response = unpublish(api, claim["id"], reviewed["review_id"], reason)

    assert_invalid(response, "body")
    assert api.get(f"/claims/{claim['id']}").json()["version"] == 2


# -- retraction ------------------------------------------------------------------------------


def test_a_retracted_claim_refuses_every_workflow_command(
    api: Api, world: World, reviewer: Any
) -> None:
    claim = record_claim(api, world)
    assign(api, claim["id"], reviewer["id"])
    drafted = write_review(api, claim["id"], state="draft")
    published = write_review(api, claim["id"])
    retract = api.post(f"/claims/{claim['id']}/retraction", {"reason": "r"}, role="reviewer")
    assert retract.status_code == 200, retract.text
    other = new_principal(api, "reviewer")

    for response in (
        assign(api, claim["id"], other["id"]),
        unassign(api, claim["id"]),
        start(api, claim["id"]),
        publish(api, claim["id"], drafted["review_id"]),
        unpublish(api, claim["id"], published["review_id"]),
    ):
        assert_problem(response, 409, "claim-retracted")
    assert api.get(f"/claims/{claim['id']}").json()["version"] == 5


# -- filters, relationships, timeline -------------------------------------------------------------


def test_claims_are_filtered_by_assignee_and_workflow(api: Api, world: World) -> None:
    mine = new_principal(api, "reviewer")
    waiting, working, done = (record_claim(api, world)["id"] for _ in range(3))
    for claim_id in (waiting, working, done):
        assign(api, claim_id, mine["id"])
    start(api, working)
    start(api, done)
    last = write_review(api, done, "true")["position"]

    assert listed(api, last, assignee=mine["id"]) == [waiting, working, done]
    assert listed(api, last, assignee=mine["id"], workflow="assigned") == [waiting]
    assert listed(api, last, assignee=mine["id"], workflow="in_progress") == [working]
    assert listed(api, last, assignee=mine["id"], workflow="reviewed") == [done]
    unassigned = unassign(api, waiting).json()["position"]
    assert listed(api, unassigned, assignee=mine["id"]) == [working, done]
    assert waiting in listed(api, unassigned, workflow="unassigned")
    claim = api.get("/claims", min_position=unassigned, assignee=mine["id"]).json()["items"][0]
    assert (claim["assignee"], claim["workflow"]) == (mine["id"], "in_progress")


@pytest.mark.parametrize(
    ("name", "value"),
    [("workflow", "done"), ("workflow", "IN_PROGRESS"), ("assignee", "me"), ("assignee", "7")],
)
def test_an_unknown_filter_value_is_a_422(api: Api, name: str, value: str) -> None:
    assert_invalid(api.get("/claims", **{name: value}), "query", name)


def _pair(api: Api) -> tuple[str, str]:
    a, b = (f"wf-{uuid.uuid4().hex[:8]}" for _ in range(2))
    for slug in (a, b):
        assert api.post("/actors", {"id": slug, "name": slug, "kind": "state"}).status_code == 201
    return a, b


def _edge(api: Api, a: str, b: str, position: int) -> Any:
    response = api.get(f"/relationships/{a}/{b}", min_position=position)
    assert response.status_code == 200, response.text
    return response.json()


def test_only_a_published_review_weighs_in_the_stance(api: Api, world: World) -> None:
    a, b = _pair(api)
    claim = record_claim(api, world, subject=a, object=b, relation="supports")
    unreviewed = _edge(api, a, b, claim["position"])

    drafted = write_review(api, claim["id"], "false", state="draft")
    after_draft = _edge(api, a, b, drafted["position"])
    published = publish(api, claim["id"], drafted["review_id"]).json()
    after_publish = _edge(api, a, b, published["position"])

    assert after_draft["stance"] == unreviewed["stance"] and unreviewed["stance"]["score"] > 0
    assert after_draft["edges"][0]["active_claims"] == 1
    assert after_draft["edges"][0]["verdicts"] == {"unreviewed": 1}
    assert after_publish["edges"][0]["active_claims"] == 0
    assert after_publish["edges"][0]["verdicts"] == {"false": 1}


def test_the_timeline_never_shows_a_drafts_verdict(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    drafted = write_review(api, claim["id"], "satire", state="draft")
    published = publish(api, claim["id"], drafted["review_id"]).json()

    entries = api.get("/timeline", claim_id=claim["id"], min_position=published["position"]).json()[
        "items"
    ]

    summaries = [e["summary"] for e in entries]
    assert "satire" not in summaries[1] and summaries[1].endswith("review drafted")
    assert summaries[2].endswith("review published: satire")
