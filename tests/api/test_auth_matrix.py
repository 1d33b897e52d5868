"""Who may do what: every write endpoint against every kind of caller, public and private reads.

Roles include the ones before them: reader < contributor < reviewer < admin. A missing, malformed
or revoked token is a 401 (with WWW-Authenticate); a valid token without the role is a 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.conftest import Api, World, serve
from tests.api.helpers import assert_problem, bearer, new_principal, record_claim
from tests.capture_server import shared_capture_server
from tests.factories import QUOTE

RANKS = {"reader": 0, "contributor": 1, "reviewer": 2, "admin": 3}
CALLERS = [
    "no-token",
    "malformed-token",
    "revoked-token",
    "reader",
    "contributor",
    "reviewer",
    "admin",
]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: Any = None


Prepare = Callable[[Api, World, str], Request]


def _claim(api: Api, world: World, owner: str) -> str:
    claim_id: str = record_claim(api, world, role=owner)["id"]
    return claim_id


def _principal(api: Api) -> Any:
    return new_principal(api, "reader")


def _organization(api: Api) -> str:
    response = api.post("/organizations", {"name": f"Org {_unique()}"}, role="admin")
    assert response.status_code == 201, response.text
    organization_id: str = response.json()["id"]
    return organization_id


def _membership(api: Api) -> tuple[str, str]:
    """(organization id, principal id) of a fresh member (a reviewer there)."""
    organization_id, principal_id = _organization(api), _principal(api)["id"]
    added = api.post(
        f"/organizations/{organization_id}/members",
        {"principal_id": principal_id, "role": "reviewer"},
        role="admin",
    )
    assert added.status_code == 201, added.text
    return organization_id, principal_id


def _actor(api: Api) -> str:
    slug = f"auth-{uuid.uuid4().hex[:8]}"
    assert api.post("/actors", {"id": slug, "name": slug, "kind": "group"}).status_code == 201
    return slug


def _dispute(api: Api, world: World, owner: str) -> tuple[str, str]:
    claim_id = _claim(api, world, owner)
    dispute = api.post(f"/claims/{claim_id}/disputes", {"reason": "r"})
    assert dispute.status_code == 201
    return claim_id, dispute.json()["dispute_id"]


def _webhook(api: Api, disabled: bool = False) -> str:
    body = {"url": f"https://hooks.example.org/{_unique()}", "event_types": ["claim.*"]}
    made = api.post("/webhooks", body, role="admin")
    assert made.status_code == 201, made.text
    webhook_id: str = made.json()["id"]
    if disabled:
        assert api.post(f"/webhooks/{webhook_id}/disable", None, "admin").status_code == 200
    return webhook_id


def _reviewer_id(api: Api) -> str:
    """The reviewer's principal id (a token names its principal)."""
    return str(uuid.UUID(api.tokens["reviewer"].split("_")[1]))


def _assigned(api: Api, world: World, owner: str) -> str:
    claim_id = _claim(api, world, owner)
    body = {"assignee": _reviewer_id(api)}
    assert api.post(f"/claims/{claim_id}/assignment", body, role="reviewer").status_code == 200
    return claim_id


def _reviewed(api: Api, world: World, owner: str, state: str) -> tuple[str, str]:
    claim_id = _claim(api, world, owner)
    body = {"verdict": "true", "explanation": "e", "state": state}
    review = api.post(f"/claims/{claim_id}/reviews", body, role="reviewer")
    assert review.status_code == 201
    return claim_id, review.json()["review_id"]


def _unique() -> str:
    return uuid.uuid4().hex[:10]


def _capturable() -> str:
    """A url no test has captured yet (the page server ignores the query)."""
    return f"{shared_capture_server()}/plain?u={_unique()}"


# Each endpoint: how to make a fresh request for it (given who will own the claim), the least
# role that may send it, and the status it then answers.
ENDPOINTS: dict[str, tuple[Prepare, str, int]] = {
    "POST /principals": (
        lambda api, world, owner: Request(
            "POST", "/principals", {"name": f"p-{_unique()}", "role": "reader"}
        ),
        "admin",
        201,
    ),
    "POST /principals/{id}/keys": (
        lambda api, world, owner: Request("POST", f"/principals/{_principal(api)['id']}/keys"),
        "admin",
        201,
    ),
    "POST /principals/{id}/display-name": (
        lambda api, world, owner: Request(
            "POST",
            f"/principals/{_principal(api)['id']}/display-name",
            {"display_name": f"Name {_unique()}"},
        ),
        "admin",
        200,
    ),
    "DELETE /principals/{id}/keys/{key_id}": (
        lambda api, world, owner: (
            lambda p: Request("DELETE", f"/principals/{p['id']}/keys/{p['key_id']}")
        )(_principal(api)),
        "admin",
        200,
    ),
    "POST /webhooks": (
        lambda api, world, owner: Request(
            "POST",
            "/webhooks",
            {"url": f"https://hooks.example.org/{_unique()}", "event_types": ["*"]},
        ),
        "admin",
        201,
    ),
    "POST /webhooks/{id}/disable": (
        lambda api, world, owner: Request(
            "POST", f"/webhooks/{_webhook(api)}/disable", {"reason": "receiver down"}
        ),
        "admin",
        200,
    ),
    "POST /webhooks/{id}/enable": (
        lambda api, world, owner: Request("POST", f"/webhooks/{_webhook(api, True)}/enable"),
        "admin",
        200,
    ),
    "POST /webhooks/{id}/event-types": (
        lambda api, world, owner: Request(
            "POST", f"/webhooks/{_webhook(api)}/event-types", {"event_types": ["actor.*"]}
        ),
        "admin",
        200,
    ),
    "POST /organizations": (
        lambda api, world, owner: Request("POST", "/organizations", {"name": f"Org {_unique()}"}),
        "admin",
        201,
    ),
    "POST /organizations/{id}/members": (
        lambda api, world, owner: Request(
            "POST",
            f"/organizations/{_organization(api)}/members",
            {"principal_id": _principal(api)["id"], "role": "reviewer"},
        ),
        "admin",
        201,
    ),
    "POST /organizations/{id}/members/{id}/role": (
        lambda api, world, owner: (
            lambda o, p: Request("POST", f"/organizations/{o}/members/{p}/role", {"role": "admin"})
        )(*_membership(api)),
        "admin",
        200,
    ),
    "DELETE /organizations/{id}/members/{id}": (
        lambda api, world, owner: (
            lambda o, p: Request("DELETE", f"/organizations/{o}/members/{p}")
        )(*_membership(api)),
        "admin",
        200,
    ),
    "POST /sources": (
        lambda api, world, owner: Request(
            "POST", "/sources", {"url": f"https://example.org/{_unique()}", "title": "t"}
        ),
        "contributor",
        201,
    ),
    "POST /sources/capture": (
        lambda api, world, owner: Request("POST", "/sources/capture", {"url": _capturable()}),
        "contributor",
        201,
    ),
    "POST /actors": (
        lambda api, world, owner: Request(
            "POST",
            "/actors",
            {"id": f"a-{_unique()}", "name": f"Actor {_unique()}", "kind": "person"},
        ),
        "contributor",
        201,
    ),
    "POST /actors/{id}/aliases": (
        lambda api, world, owner: Request(
            "POST", f"/actors/{_actor(api)}/aliases", {"alias": f"Alias {_unique()}"}
        ),
        "contributor",
        200,
    ),
    "POST /claims": (
        lambda api, world, owner: Request(
            "POST",
            "/claims",
            {
                "statement": "s",
                "kind": "quote",
                "subject": "Beijing",
                "relation": "supports",
                "appearance": {"source_id": world.source_id, "exact": QUOTE},
            },
        ),
        "contributor",
        201,
    ),
    "POST /claims/{id}/appearances": (
        lambda api, world, owner: Request(
            "POST",
            f"/claims/{_claim(api, world, owner)}/appearances",
            {"source_id": world.bare_source_id, "exact": "elsewhere"},
        ),
        "contributor",
        201,
    ),
    "POST /claims/{id}/evidence": (
        lambda api, world, owner: Request(
            "POST",
            f"/claims/{_claim(api, world, owner)}/evidence",
            {"stance": "supports", "note": "n"},
        ),
        "contributor",
        201,
    ),
    "POST /claims/{id}/disputes": (
        lambda api, world, owner: Request(
            "POST", f"/claims/{_claim(api, world, owner)}/disputes", {"reason": "r"}
        ),
        "contributor",
        201,
    ),
    "POST /claims/{id}/disputes/{dispute_id}/resolution": (
        lambda api, world, owner: (
            lambda c, d: Request(
                "POST", f"/claims/{c}/disputes/{d}/resolution", {"outcome": "upheld", "note": "n"}
            )
        )(*_dispute(api, world, owner)),
        "reviewer",
        200,
    ),
    "POST /claims/{id}/reviews": (
        lambda api, world, owner: Request(
            "POST",
            f"/claims/{_claim(api, world, owner)}/reviews",
            {"verdict": "true", "explanation": "e"},
        ),
        "reviewer",
        201,
    ),
    "POST /claims/{id}/assignment": (
        lambda api, world, owner: Request(
            "POST",
            f"/claims/{_claim(api, world, owner)}/assignment",
            {"assignee": _reviewer_id(api)},
        ),
        "reviewer",
        200,
    ),
    "DELETE /claims/{id}/assignment": (
        lambda api, world, owner: Request(
            "DELETE", f"/claims/{_assigned(api, world, owner)}/assignment"
        ),
        "reviewer",
        200,
    ),
    "POST /claims/{id}/progress": (
        lambda api, world, owner: Request(
            "POST", f"/claims/{_assigned(api, world, owner)}/progress"
        ),
        "reviewer",
        200,
    ),
    "POST /claims/{id}/reviews/{review_id}/publication": (
        lambda api, world, owner: (
            lambda c, r: Request("POST", f"/claims/{c}/reviews/{r}/publication")
        )(*_reviewed(api, world, owner, "draft")),
        "reviewer",
        200,
    ),
    "POST /claims/{id}/reviews/{review_id}/unpublication": (
        lambda api, world, owner: (
            lambda c, r: Request(
                "POST", f"/claims/{c}/reviews/{r}/unpublication", {"reason": "premature"}
            )
        )(*_reviewed(api, world, owner, "published")),
        "reviewer",
        200,
    ),
    "POST /claims/{id}/corrections": (
        lambda api, world, owner: Request(
            "POST",
            f"/claims/{_claim(api, world, owner)}/corrections",
            {"reason": "r", "statement": "corrected"},
        ),
        "contributor",
        200,
    ),
    "POST /claims/{id}/retraction": (
        lambda api, world, owner: Request(
            "POST", f"/claims/{_claim(api, world, owner)}/retraction", {"reason": "r"}
        ),
        "contributor",
        200,
    ),
    "POST /claims/{id}/links": (
        lambda api, world, owner: Request(
            "POST",
            f"/claims/{_claim(api, world, owner)}/links",
            {"target_id": _claim(api, world, "contributor"), "relation": "supports"},
        ),
        "contributor",
        201,
    ),
}


@pytest.fixture(scope="module")
def revoked_token(api: Api) -> str:
    """An admin's token whose key has been revoked: no role can save it."""
    principal = new_principal(api, "admin")
    revoked = api.client.delete(
        f"/principals/{principal['id']}/keys/{principal['key_id']}",
        headers=bearer(api.tokens["admin"]),
    )
    assert revoked.status_code == 200
    token: str = principal["token"]
    return token


def _headers(api: Api, caller: str, revoked: str) -> dict[str, str]:
    if caller == "no-token":
        return {}
    if caller == "malformed-token":
        return {"Authorization": "Bearer not-a-claimtrail-token"}
    if caller == "revoked-token":
        return bearer(revoked)
    return bearer(api.tokens[caller])


def _send(api: Api, request: Request, headers: dict[str, str]) -> httpx.Response:
    return api.client.request(request.method, request.path, json=request.body, headers=headers)


def _head(api: Api) -> int:
    position: int = api.get("/readyz").json()["position"]
    return position


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_each_write_endpoint_admits_exactly_the_roles_that_include_its_role(
    api: Api, world: World, revoked_token: str, endpoint: str, caller: str
) -> None:
    prepare, least_role, status = ENDPOINTS[endpoint]
    owner = caller if caller in ("contributor", "reviewer", "admin") else "contributor"
    request = prepare(api, world, owner)
    before = _head(api)

    response = _send(api, request, _headers(api, caller, revoked_token))

    if caller not in RANKS:
        assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    elif RANKS[caller] < RANKS[least_role]:
        assert_problem(response, 403)
    else:
        assert response.status_code == status, response.text
        return
    assert _head(api) == before, "a refused request wrote something"


@pytest.mark.parametrize(
    ("command", "caller", "status"),
    [
        ("corrections", "contributor", 403),
        ("retraction", "contributor", 403),
        ("corrections", "reviewer", 403),
        ("retraction", "reviewer", 200),
        ("corrections", "admin", 403),
        ("retraction", "admin", 200),
    ],
)
def test_correcting_or_retracting_someone_elses_claim_needs_a_higher_role(
    api: Api, world: World, command: str, caller: str, status: int
) -> None:
    owner = new_principal(api, "contributor")
    api.tokens["claim-owner"] = owner["token"]
    claim_id = _claim(api, world, "claim-owner")
    body = (
        {"reason": "r", "statement": "someone else's words"}
        if command == "corrections"
        else {"reason": "r"}
    )

    response = api.post(f"/claims/{claim_id}/{command}", body, role=caller)

    if status == 403:
        assert_problem(response, 403)
        assert api.get(f"/claims/{claim_id}").json()["version"] == 1
    else:
        assert response.status_code == status, response.text


def test_a_token_is_refused_immediately_after_its_key_is_revoked(api: Api) -> None:
    principal = new_principal(api, "contributor")
    body = {"url": "https://example.org/revocation", "title": "t"}
    assert (
        api.client.post("/sources", json=body, headers=bearer(principal["token"])).status_code
        == 201
    )

    api.client.delete(
        f"/principals/{principal['id']}/keys/{principal['key_id']}",
        headers=bearer(api.tokens["admin"]),
    )
    response = api.client.post("/sources", json=body, headers=bearer(principal["token"]))

    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_admin_cannot_revoke_anything_else(api: Api, revoked_token: str) -> None:
    victim = new_principal(api, "reader")

    response = api.client.delete(
        f"/principals/{victim['id']}/keys/{victim['key_id']}", headers=bearer(revoked_token)
    )

    assert_problem(response, 401)
    assert (
        api.get(f"/principals/{victim['id']}", role="admin").json()["keys"][0]["revoked_at"] is None
    )


# -- reads ------------------------------------------------------------------------------------


def _public_paths(api: Api, world: World) -> list[str]:
    claim_id = _claim(api, world, "contributor")
    assert (
        api.post(
            f"/claims/{claim_id}/reviews", {"verdict": "true", "explanation": "e"}, role="reviewer"
        ).status_code
        == 201
    )
    return [
        f"/claims/{claim_id}",
        f"/claims/{claim_id}?version=1",
        f"/claims/{claim_id}/history",
        f"/claims/{claim_id}/claimreview",
        f"/claims/{claim_id}/similar",
        f"/sources/{world.source_id}",
        f"/sources/{world.source_id}?include=text",
        "/sources?url=https://blog.example.org/2022/02/xi-putin-summit",
        "/actors/china",
    ]


def test_reads_are_public_by_default(api: Api, world: World) -> None:
    for path in _public_paths(api, world):
        response = api.client.get(path)
        assert response.status_code == 200, (path, response.text)


@pytest.mark.parametrize("caller", CALLERS)
def test_principals_are_read_by_admins_only(api: Api, revoked_token: str, caller: str) -> None:
    principal = new_principal(api, "reader")
    headers = _headers(api, caller, revoked_token)

    for path in ("/principals", f"/principals/{principal['id']}"):
        response = api.client.get(path, headers=headers)
        if caller == "admin":
            assert response.status_code == 200
        elif caller in RANKS:
            assert_problem(response, 403)
        else:
            assert_problem(response, 401)


@pytest.fixture(scope="module")
def private(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, World]]:
    """A server with CLAIMTRAIL_PUBLIC_READ=false, holding the same kind of data."""
    path: Path = tmp_path_factory.mktemp("private") / "claimtrail.sqlite3"
    for api in serve(f"sqlite:///{path}", public_read=False):
        for actor in (
            {"id": "china", "name": "China", "kind": "state", "aliases": ["Beijing"]},
            {"id": "russia", "name": "Russia", "kind": "state"},
        ):
            assert api.post("/actors", actor).status_code == 201
        seed = api.post(
            "/sources",
            {
                "url": "https://blog.example.org/2022/02/xi-putin-summit",
                "title": "Xi-Putin summit",
                "text": f"He said: {QUOTE}.",
            },
        )
        bare = api.post("/sources", {"url": "https://example.org/bare", "title": "Bare"})
        yield api, World(seed.json()["id"], bare.json()["id"])


def test_without_public_reads_a_read_without_a_token_is_a_401(
    private: tuple[Api, World],
) -> None:
    api, world = private
    for path in _public_paths(api, world):
        response = api.client.get(path)
        assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("caller", ["malformed-token", "revoked-token"])
def test_without_public_reads_an_invalid_token_is_a_401(
    private: tuple[Api, World], caller: str
) -> None:
    api, world = private
    principal = new_principal(api, "reader")
    api.client.delete(
        f"/principals/{principal['id']}/keys/{principal['key_id']}",
        headers=bearer(api.tokens["admin"]),
    )

    for path in _public_paths(api, world):
        assert_problem(api.client.get(path, headers=_headers(api, caller, principal["token"])), 401)


@pytest.mark.parametrize("caller", ["reader", "contributor", "reviewer", "admin"])
def test_without_public_reads_any_valid_token_may_read(
    private: tuple[Api, World], caller: str
) -> None:
    api, world = private
    for path in _public_paths(api, world):
        response = api.client.get(path, headers=bearer(api.tokens[caller]))
        assert response.status_code == 200, (path, response.text)


def test_without_public_reads_health_still_answers(private: tuple[Api, World]) -> None:
    api, _ = private

    assert api.client.get("/healthz").status_code == 200
