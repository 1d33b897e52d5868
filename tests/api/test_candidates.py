"""GET /sources/{id}/candidates: the claims a source's text appears to make, anchored."""

from __future__ import annotations

import uuid

from tests.api.conftest import Api
from tests.api.helpers import assert_invalid, assert_problem
from tests.factories import SEED_TEXT

KEYS = {
    "exact", "prefix", "suffix", "start", "end", "statement", "kind", "claimant", "subject",
    "relation", "object", "score", "rules", "proposed_actors",
}  # fmt: skip
ACTORS = [
    {"id": "china", "name": "China", "kind": "state", "aliases": ["Beijing", "Bejing"]},
    {"id": "russia", "name": "Russia", "kind": "state", "aliases": []},
    {"id": "vladimir-putin", "name": "Vladimir Putin", "kind": "person", "aliases": ["Putin"]},
    {"id": "yuri-ushakov", "name": "Yuri Ushakov", "kind": "person", "aliases": []},
    {"id": "david-shullman", "name": "David Shullman", "kind": "person", "aliases": []},
]


def seed_source(api: Api) -> tuple[str, int]:
    position = 0
    for actor in ACTORS:
        response = api.post("/actors", actor)
        assert response.status_code in (201, 409), response.text
        position = max(position, response.json().get("position") or 0)
    response = api.post(
        "/sources",
        {
            "url": f"https://blog.example.org/{uuid.uuid4().hex[:8]}",
            "title": "Xi-Putin summit",
            "authors": ["Genevieve Weiss"],
            "language": "en",
            "text": SEED_TEXT,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["id"], max(position, response.json()["position"])


def test_candidates_are_anchored_in_the_text_and_name_their_claimants(api: Api) -> None:
    source_id, position = seed_source(api)

    response = api.get(f"/sources/{source_id}/candidates", min_position=position)

    assert response.status_code == 200, response.text
    items = response.json()["items"]
    # 10, not the 11 of the full seed registry: with no "US" actor, the sentence about "US-led
    # efforts" has a relation cue but no actor the registry knows, so no rule proposes it.
    assert len(items) == 10
    assert all(item.keys() == KEYS for item in items)
    assert all(SEED_TEXT[i["start"] : i["end"]] == i["exact"] for i in items)
    ushakov = next(i for i in items if i["claimant"] == "yuri-ushakov")
    assert (ushakov["subject"], ushakov["relation"], ushakov["object"]) == (
        "china",
        "supports",
        "russia",
    )
    writer = next(i for i in items if i["claimant"] == "Genevieve Weiss")
    assert {"id": "genevieve-weiss", "name": "Genevieve Weiss", "kind": "person"} in writer[
        "proposed_actors"
    ]
    assert api.get(f"/sources/{source_id}/candidates").json() == response.json()  # deterministic


def test_an_accepted_candidate_records_a_claim(api: Api) -> None:
    source_id, position = seed_source(api)
    items = api.get(f"/sources/{source_id}/candidates", min_position=position).json()["items"]
    chosen = next(i for i in items if i["claimant"] == "yuri-ushakov")

    response = api.post(
        "/claims",
        {
            "statement": chosen["statement"],
            "kind": chosen["kind"],
            "subject": chosen["subject"],
            "relation": chosen["relation"],
            "object": chosen["object"],
            "claimant": chosen["claimant"],
            "appearance": {
                "source_id": source_id,
                "exact": chosen["exact"],
                "prefix": chosen["prefix"],
                "suffix": chosen["suffix"],
            },
        },
    )

    assert response.status_code == 201, response.text
    appearance = response.json()["appearances"][0]
    assert (appearance["start"], appearance["end"]) == (chosen["start"], chosen["end"])


def test_a_source_without_text_has_no_candidates(api: Api) -> None:
    response = api.post("/sources", {"url": "https://example.org/no-text", "title": "No text"})
    source_id = response.json()["id"]
    assert api.get(f"/sources/{source_id}/candidates").json() == {"items": []}


def test_candidates_of_an_unknown_or_malformed_source_are_problems(api: Api) -> None:
    assert_problem(api.get(f"/sources/{uuid.uuid4()}/candidates"), 404)
    assert_invalid(api.get("/sources/not-a-uuid/candidates"), "path", "source_id")
