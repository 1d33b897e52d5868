"""Organizations over HTTP: create them, add, re-role and remove members, and reviews made for
the reviewer's organization (a reviewer of A is nobody in B); on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.conftest import Api, World, serve
from tests.api.helpers import (
    assert_invalid,
    assert_problem,
    bearer,
    missing_id,
    new_principal,
    record_claim,
)
from tests.conftest import fresh_database

REVIEW = {"verdict": "mostly_true", "explanation": "Both sides say so."}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    for url in fresh_database(request, tmp_path_factory, "orgs"):
        yield from serve(url)


def _organization(api: Api, name: str | None = None) -> Any:
    response = api.post("/organizations", {"name": name or f"Desk {missing_id()[:8]}"}, "admin")
    assert response.status_code == 201, response.text
    return response.json()


def _member(api: Api, organization: Any, principal: Any, role: str, **headers: str) -> Any:
    response = api.post(
        f"/organizations/{organization['id']}/members",
        {"principal_id": principal["id"], "role": role},
        "admin",
        **headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


def _as(api: Api, principal: Any, method: str, path: str, body: Any = None) -> httpx.Response:
    return api.client.request(method, path, json=body, headers=bearer(principal["token"]))


def _review(api: Api, principal: Any, claim_id: str, **body: Any) -> httpx.Response:
    return _as(api, principal, "POST", f"/claims/{claim_id}/reviews", REVIEW | body)


# -- organizations and members ------------------------------------------------------------------


def test_an_admin_creates_an_organization_and_reads_it_back(api: Api) -> None:
    response = api.post("/organizations", {"name": "Factcheck Desk"}, "admin")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == "Factcheck Desk" and body["members"] == [] and body["version"] == 1
    assert isinstance(body["position"], int)
    assert response.headers["Location"] == f"/organizations/{body['id']}"
    shown = api.get(f"/organizations/{body['id']}", "admin")
    assert shown.status_code == 200 and shown.json()["name"] == "Factcheck Desk"
    assert shown.headers["ETag"] == '"1"'
    listed = api.get("/organizations", "admin").json()["items"]
    assert body["id"] in [o["id"] for o in listed]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({}, ("body", "name")),
        ({"name": ""}, ("body", "name")),
        ({"name": "x", "y": 1}, ("body", "y")),
    ],
)
def test_an_organization_needs_a_name_and_nothing_else(
    api: Api, body: dict[str, Any], loc: tuple[str, ...]
) -> None:
    assert_invalid(api.post("/organizations", body, "admin"), *loc)


def test_a_name_another_organization_has_in_any_case_is_a_conflict(api: Api) -> None:
    first = _organization(api, "The Verifiers")

    again = api.post("/organizations", {"name": "the  VERIFIERS"}, "admin")

    assert assert_problem(again, 409, "duplicate")["existing_id"] == first["id"]


def test_an_unknown_organization_is_a_404(api: Api) -> None:
    assert_problem(api.get(f"/organizations/{missing_id()}", "admin"), 404)
    response = api.post(
        f"/organizations/{missing_id()}/members",
        {"principal_id": new_principal(api, "reader")["id"], "role": "reviewer"},
        "admin",
    )
    assert_problem(response, 404)


def test_an_admin_adds_a_member_with_a_role_and_lists_it(api: Api) -> None:
    desk, ana = _organization(api), new_principal(api, "reader")

    body = _member(api, desk, ana, "reviewer")

    assert body["version"] == 2
    [member] = body["members"]
    assert member["principal_id"] == ana["id"] and member["role"] == "reviewer"
    assert member["display_name"] == ana["name"] and member["added_at"]
    listed = api.get(f"/organizations/{desk['id']}/members", "admin").json()["items"]
    assert [(m["principal_id"], m["role"]) for m in listed] == [(ana["id"], "reviewer")]


def test_adding_an_unknown_principal_is_a_422_and_writes_nothing(api: Api) -> None:
    desk = _organization(api)

    response = api.post(
        f"/organizations/{desk['id']}/members",
        {"principal_id": missing_id(), "role": "reviewer"},
        "admin",
    )

    assert_problem(response, 422, "unknown-reference")
    assert api.get(f"/organizations/{desk['id']}", "admin").json()["version"] == 1


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"role": "reviewer"}, ("body", "principal_id")),
        ({"principal_id": "nope", "role": "reviewer"}, ("body", "principal_id")),
        (
            {"principal_id": "00000000-0000-0000-0000-000000000001", "role": "chief"},
            ("body", "role"),
        ),
    ],
)
def test_a_member_needs_a_principal_id_and_a_known_role(
    api: Api, body: dict[str, Any], loc: tuple[str, ...]
) -> None:
    desk = _organization(api)

    assert_invalid(api.post(f"/organizations/{desk['id']}/members", body, "admin"), *loc)


def test_adding_a_current_member_again_is_a_conflict(api: Api) -> None:
    desk, ana = _organization(api), new_principal(api, "reader")
    _member(api, desk, ana, "reviewer")

    again = api.post(
        f"/organizations/{desk['id']}/members",
        {"principal_id": ana["id"], "role": "admin"},
        "admin",
    )

    assert assert_problem(again, 409, "duplicate")["role"] == "reviewer"


def test_adding_a_member_again_with_the_same_idempotency_key_writes_nothing(api: Api) -> None:
    desk, ana = _organization(api), new_principal(api, "reader")
    first = _member(api, desk, ana, "reviewer", **{"Idempotency-Key": "add-ana"})

    again = api.post(
        f"/organizations/{desk['id']}/members",
        {"principal_id": ana["id"], "role": "reviewer"},
        "admin",
        **{"Idempotency-Key": "add-ana"},
    )

    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["position"] == first["position"]


def test_an_admin_changes_a_members_role(api: Api) -> None:
    desk, ana = _organization(api), new_principal(api, "reader")
    _member(api, desk, ana, "contributor")

    response = api.post(
        f"/organizations/{desk['id']}/members/{ana['id']}/role", {"role": "reviewer"}, "admin"
    )

    assert response.status_code == 200, response.text
    assert [m["role"] for m in response.json()["members"]] == ["reviewer"]
    same = api.post(
        f"/organizations/{desk['id']}/members/{ana['id']}/role", {"role": "reviewer"}, "admin"
    )
    assert_problem(same, 409)
    assert_invalid(
        api.post(f"/organizations/{desk['id']}/members/{ana['id']}/role", {"role": 3}, "admin"),
        "body",
        "role",
    )


def test_changing_the_role_of_someone_who_is_not_a_member_is_a_404(api: Api) -> None:
    desk = _organization(api)

    response = api.post(
        f"/organizations/{desk['id']}/members/{missing_id()}/role", {"role": "admin"}, "admin"
    )

    assert_problem(response, 404, "member-not-found")


def test_removing_a_member_is_an_event_and_the_member_may_come_back(api: Api) -> None:
    desk, ana = _organization(api), new_principal(api, "reader")
    _member(api, desk, ana, "reviewer")

    removed = api.client.delete(
        f"/organizations/{desk['id']}/members/{ana['id']}", headers=api.auth("admin")
    )

    assert removed.status_code == 200, removed.text
    assert removed.json()["members"] == [] and removed.json()["version"] == 3
    again = api.client.delete(
        f"/organizations/{desk['id']}/members/{ana['id']}", headers=api.auth("admin")
    )
    assert_problem(again, 404, "member-not-found")
    assert _member(api, desk, ana, "contributor")["version"] == 4
    log = api.get("/audit/log", min_position=removed.json()["position"], limit=500).json()
    types = [i["type"] for i in log["items"] if i["aggregate_id"] == desk["id"]]
    assert types == [
        "organization.created",
        "organization.member_added",
        "organization.member_removed",
        "organization.member_added",
    ]


def test_an_organizations_own_admin_manages_its_members_and_no_others(api: Api) -> None:
    desk, other = _organization(api), _organization(api)
    chief, ana = new_principal(api, "reader"), new_principal(api, "reader")
    _member(api, desk, chief, "admin")
    path = f"/organizations/{desk['id']}/members"

    added = _as(api, chief, "POST", path, {"principal_id": ana["id"], "role": "reviewer"})

    assert added.status_code == 201, added.text
    assert _as(api, chief, "GET", f"/organizations/{desk['id']}").status_code == 200
    elsewhere = _as(
        api, chief, "POST", f"/organizations/{other['id']}/members",
        {"principal_id": ana["id"], "role": "reviewer"},
    )  # fmt: skip
    assert_problem(elsewhere, 403, "forbidden")
    assert_problem(_as(api, chief, "GET", f"/organizations/{other['id']}"), 403)
    assert_problem(_as(api, chief, "POST", "/organizations", {"name": "Mine"}), 403)


def test_a_member_who_is_not_an_admin_there_cannot_manage_members(api: Api) -> None:
    desk, ana, bo = _organization(api), new_principal(api, "reader"), new_principal(api, "reader")
    _member(api, desk, ana, "reviewer")

    response = _as(
        api, ana, "POST", f"/organizations/{desk['id']}/members",
        {"principal_id": bo["id"], "role": "reviewer"},
    )  # fmt: skip

    assert_problem(response, 403, "forbidden")


# -- reviews for an organization ------------------------------------------------------------


def test_a_reviewer_of_an_organization_reviews_for_it_and_the_export_names_it_author(
    api: Api, world: World
) -> None:
    desk, ana = _organization(api, "Newsroom A"), new_principal(api, "reader", "ana-a")
    _member(api, desk, ana, "reviewer")
    claim = record_claim(api, world)

    response = _review(api, ana, claim["id"])

    assert response.status_code == 201, response.text
    review = response.json()["reviews"][-1]
    assert review["organization_id"] == desk["id"] and review["reviewed_by"] == ana["id"]
    exported = api.get(f"/claims/{claim['id']}/claimreview").json()
    assert exported["author"] == {
        "@type": "Organization",
        "name": "Newsroom A",
        "identifier": desk["id"],
    }
    assert exported["contributor"] == {"@type": "Person", "name": "ana-a"}
    history = api.get(f"/claims/{claim['id']}/history").json()["items"]
    assert history[-1]["type"] == "claim.reviewed"
    assert history[-1]["data"]["organization_id"] == desk["id"]


def test_a_reader_without_an_account_learns_which_organization_reviewed(
    api: Api, world: World
) -> None:
    desk, ana = _organization(api, "Newsroom B"), new_principal(api, "reader", "ana-b")
    _member(api, desk, ana, "reviewer")
    claim = record_claim(api, world)
    named = {"id": desk["id"], "name": "Newsroom B"}

    answer = _review(api, ana, claim["id"]).json()
    drafted = _review(api, ana, claim["id"], state="draft").json()["review_id"]
    published = _as(api, ana, "POST", f"/claims/{claim['id']}/reviews/{drafted}/publication")

    assert answer["reviews"][-1]["organization"] == named
    assert published.status_code == 200, published.text
    for body in (  # a command's answer, the claim and the list, read anonymously
        published.json(),
        api.get(f"/claims/{claim['id']}").json(),
        *(
            c
            for c in api.get(
                "/claims", min_position=published.json()["position"], limit=500
            ).json()["items"]
            if c["id"] == claim["id"]
        ),
    ):
        assert [(r["organization_id"], r["organization"]) for r in body["reviews"]] == [
            (desk["id"], named),
            (desk["id"], named),
        ]
    schemas = api.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["ClaimOut"]["properties"]["reviews"]["items"] == {
        "$ref": "#/components/schemas/ReviewOut"
    }
    assert set(schemas["OrganizationRefOut"]["properties"]) == {"id", "name"}
    assert {"organization", "organization_id"} <= set(schemas["ReviewOut"]["properties"])


def test_a_reviewer_of_one_organization_cannot_review_for_another(api: Api, world: World) -> None:
    desk, other = _organization(api), _organization(api)
    ana = new_principal(api, "reviewer")
    _member(api, desk, ana, "reviewer")
    claim = record_claim(api, world)

    response = _review(api, ana, claim["id"], organization_id=other["id"])

    assert_problem(response, 403, "forbidden")
    assert api.get(f"/claims/{claim['id']}").json()["reviews"] == []


def test_a_reviewer_of_one_organization_cannot_publish_anothers_draft(
    api: Api, world: World
) -> None:
    """The editorial workflow meets organizations: a draft made for B is published (and
    unpublished) by a reviewer of B only; a reviewer of A, even a global one, gets a 403."""
    desk_a, desk_b = _organization(api), _organization(api)
    ana, boris = new_principal(api, "reviewer"), new_principal(api, "reader")
    _member(api, desk_a, ana, "reviewer")
    _member(api, desk_b, boris, "reviewer")
    claim = record_claim(api, world)
    drafted = _review(api, boris, claim["id"], state="draft")
    assert drafted.status_code == 201, drafted.text
    path = f"/claims/{claim['id']}/reviews/{drafted.json()['review_id']}"

    assert_problem(_as(api, ana, "POST", f"{path}/publication"), 403, "forbidden")
    assert api.get(f"/claims/{claim['id']}").json()["reviews"][-1]["state"] == "draft"
    published = _as(api, boris, "POST", f"{path}/publication")
    assert published.status_code == 200, published.text
    assert published.json()["reviews"][-1]["state"] == "published"
    taken_back = _as(api, ana, "POST", f"{path}/unpublication", {"reason": "not ours"})
    assert_problem(taken_back, 403, "forbidden")
    assert api.get(f"/claims/{claim['id']}").json()["reviews"][-1]["state"] == "published"


def test_a_contributor_of_an_organization_cannot_review_for_it(api: Api, world: World) -> None:
    desk, ana = _organization(api), new_principal(api, "reviewer")
    _member(api, desk, ana, "contributor")  # its role there, not its global one, decides
    claim = record_claim(api, world)

    assert_problem(_review(api, ana, claim["id"]), 403, "forbidden")


def test_a_member_of_several_organizations_says_which_one_it_reviews_for(
    api: Api, world: World
) -> None:
    first, second = _organization(api), _organization(api)
    ana = new_principal(api, "reader")
    _member(api, first, ana, "reviewer")
    _member(api, second, ana, "reviewer")
    claim = record_claim(api, world)

    assert_problem(_review(api, ana, claim["id"]), 422, "organization-required")
    response = _review(api, ana, claim["id"], organization_id=second["id"])

    assert response.status_code == 201, response.text
    assert response.json()["reviews"][-1]["organization_id"] == second["id"]


def test_reviewing_for_an_unknown_organization_is_a_422(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    response = api.post(
        f"/claims/{claim['id']}/reviews", REVIEW | {"organization_id": missing_id()}, "reviewer"
    )

    assert_problem(response, 422, "unknown-reference")
    assert_invalid(
        api.post(f"/claims/{claim['id']}/reviews", REVIEW | {"organization_id": "x"}, "reviewer"),
        "body",
        "organization_id",
    )


def test_a_reviewer_of_no_organization_reviews_as_before(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    response = api.post(f"/claims/{claim['id']}/reviews", REVIEW, "reviewer")

    assert response.status_code == 201, response.text
    assert response.json()["reviews"][-1]["organization_id"] is None
    assert response.json()["reviews"][-1]["organization"] is None
    exported = api.get(f"/claims/{claim['id']}/claimreview").json()
    assert exported["author"]["@type"] == "Person" and "contributor" not in exported


def test_a_removed_member_no_longer_reviews_for_the_organization(api: Api, world: World) -> None:
    desk, ana = _organization(api), new_principal(api, "reader")
    _member(api, desk, ana, "reviewer")
    claim = record_claim(api, world)
    assert _review(api, ana, claim["id"]).status_code == 201
    removed = api.client.delete(
        f"/organizations/{desk['id']}/members/{ana['id']}", headers=api.auth("admin")
    )
    assert removed.status_code == 200

    assert_problem(_review(api, ana, claim["id"]), 403, "forbidden")
    assert_problem(_review(api, ana, claim["id"], organization_id=desk["id"]), 403, "forbidden")


# -- the people view ----------------------------------------------------------------------------


def test_people_show_the_organization_a_principal_belongs_to_and_never_its_role(
    api: Api,
) -> None:
    desk, ana = _organization(api, "Desk of People"), new_principal(api, "reader")
    added = _member(api, desk, ana, "admin")

    person = api.get(f"/people/{ana['id']}", min_position=added["position"]).json()

    assert person["organization"] == {"id": desk["id"], "name": "Desk of People"}
    removed = api.client.delete(
        f"/organizations/{desk['id']}/members/{ana['id']}", headers=api.auth("admin")
    )
    person = api.get(f"/people/{ana['id']}", min_position=removed.json()["position"]).json()
    assert person["organization"] is None
