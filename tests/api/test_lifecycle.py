"""One claim's whole life, told through HTTP, on SQLite and on PostgreSQL: recorded from the seed
article, evidenced, disputed, resolved, reviewed, corrected, retracted -- and every step is in
its history with the principal who took it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Api, serve
from tests.api.helpers import assert_problem
from tests.factories import QUOTE, SEED_TEXT

BLOG = "https://blog.example.org/2022/02/xi-putin-summit"
GUARDIAN = (
    "https://www.theguardian.com/world/2022/feb/03/"
    "xi-putin-summit-russia-inches-closer-china-new-cold-war-looms"
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """A fresh server on an empty SQLite file or an empty PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'lifecycle.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    yield from serve(url)


def _between(earlier: str, later: str) -> str:
    start, end = datetime.fromisoformat(earlier), datetime.fromisoformat(later)
    assert start < end
    return (start + (end - start) / 2).isoformat()


class Desk:
    """The fact-checking desk: each person posts with their own token."""

    def __init__(self, api: Api) -> None:
        self.api = api

    def hire(self, name: str, role: str) -> str:
        response = self.api.post("/principals", {"name": name, "role": role}, role="admin")
        assert response.status_code == 201, response.text
        self.api.tokens[name] = response.json()["token"]
        principal_id: str = response.json()["id"]
        return principal_id

    def post(self, who: str, path: str, body: Any, status: int) -> Any:
        response = self.api.post(path, body, role=who)
        assert response.status_code == status, response.text
        if "version" in response.json():
            assert response.headers["ETag"] == f'"{response.json()["version"]}"'
        assert isinstance(response.json()["position"], int)
        return response.json()


def test_a_claim_lives_from_recording_to_retraction_with_a_full_history(server: Api) -> None:
    api, desk = server, Desk(server)

    # The admin hires a contributor and a reviewer.
    carla = desk.hire("carla", "contributor")
    rui = desk.hire("rui", "reviewer")
    listed = {p["name"]: p["id"] for p in api.get("/principals", role="admin").json()["items"]}
    assert (listed["carla"], listed["rui"]) == (carla, rui)

    # Carla registers the article and the actors it is about.
    guardian = desk.post(
        "carla",
        "/sources",
        {
            "url": GUARDIAN,
            "title": "Xi-Putin summit: Russia inches closer to China",
            "publisher": "The Guardian",
            "published_on": "2022-02-03",
            "kind": "article",
        },
        201,
    )
    blog = desk.post(
        "carla",
        "/sources",
        {
            "url": BLOG,
            "title": "Xi-Putin summit",
            "authors": ["Genevieve Weiss"],
            "published_on": "2022-02",
            "kind": "blog",
            "language": "en",
            "text": SEED_TEXT,
            "cites": [guardian["id"]],
        },
        201,
    )
    assert blog["text_length"] == len(SEED_TEXT) and blog["recorded_by"] == carla
    desk.post(
        "carla",
        "/actors",
        {
            "id": "china",
            "name": "China",
            "kind": "state",
            "aliases": ["Beijing", "Bejing"],
            "external_ids": {"wikidata": "Q148"},
        },
        201,
    )
    desk.post("carla", "/actors", {"id": "russia", "name": "Russia", "kind": "state"}, 201)
    desk.post(
        "carla", "/actors", {"id": "yuri-ushakov", "name": "Yuri Ushakov", "kind": "person"}, 201
    )

    # She records the claim, naming China by the article's misspelling.
    claim = desk.post(
        "carla",
        "/claims",
        {
            "statement": "China supports Russia's demands on security guarantees",
            "kind": "quote",
            "subject": "Bejing",
            "relation": "supports",
            "object": "Russia",
            "claimant": "yuri-ushakov",
            "occurred_on": "2022-02-04",
            "tags": ["summit"],
            "appearance": {"source_id": blog["id"], "exact": QUOTE},
        },
        201,
    )
    claim_id = claim["id"]
    assert claim["subject"] == {"id": "china", "name": "China"}
    assert claim["relation"] == {"slug": "supports", "cameo": "051", "quad_class": 1}
    anchored = claim["appearances"][0]
    assert SEED_TEXT[anchored["start"] : anchored["end"]] == QUOTE
    assert anchored["content_sha256"] == blog["content_sha256"]
    assert claim["recorded_by"] == carla

    # ... finds it in the Guardian piece too, and adds evidence from the article itself.
    desk.post(
        "carla",
        f"/claims/{claim_id}/appearances",
        {"source_id": guardian["id"], "exact": "Beijing supports Russia"},
        201,
    )
    evidence = desk.post(
        "carla",
        f"/claims/{claim_id}/evidence",
        {
            "stance": "context",
            "note": "The words are Ushakov's, a Kremlin aide.",
            "source_id": blog["id"],
            "exact": "Yuri Ushakov, Kremlin aide in Russia",
        },
        201,
    )
    assert evidence["evidence"][0]["id"] == evidence["evidence_id"]

    # Carla then disputes the attribution; Rui upholds the dispute and reviews the claim.
    disputed = desk.post(
        "carla", f"/claims/{claim_id}/disputes", {"reason": "Beijing did not say this itself"}, 201
    )
    assert disputed["status"] == "disputed"
    resolved = desk.post(
        "rui",
        f"/claims/{claim_id}/disputes/{disputed['dispute_id']}/resolution",
        {"outcome": "upheld", "note": "Agreed."},
        200,
    )
    assert resolved["disputes"][0]["status"] == "upheld"
    assert resolved["disputes"][0]["resolved_by"] == rui
    reviewed = desk.post(
        "rui",
        f"/claims/{claim_id}/reviews",
        {
            "verdict": "misleading",
            "explanation": "A Kremlin aide said it, not Beijing.",
            "rating": {"value": 2, "best": 5, "worst": 1},
        },
        201,
    )
    assert (reviewed["status"], reviewed["verdict"]) == ("reviewed", "misleading")

    # Carla corrects her statement, then retracts the claim; only links remain possible.
    corrected = desk.post(
        "carla",
        f"/claims/{claim_id}/corrections",
        {
            "reason": "Attribute the words",
            "statement": "A Kremlin aide says Beijing supports Russia's security demands",
        },
        200,
    )
    assert corrected["statement"].startswith("A Kremlin aide")
    retracted = desk.post(
        "carla",
        f"/claims/{claim_id}/retraction",
        {"reason": "Superseded by a claim about Ushakov"},
        200,
    )
    assert retracted["status"] == "retracted"
    assert_problem(
        api.post(f"/claims/{claim_id}/evidence", {"stance": "supports", "note": "n"}, role="carla"),
        409,
        "claim-retracted",
    )
    gas_deal = desk.post(
        "carla",
        "/claims",
        {
            "statement": "China signed a $400 billion 30-year gas deal with Russia",
            "kind": "fact",
            "subject": "Beijing",
            "relation": "signs_agreement",
            "object": "russia",
            "occurred_on": "2014-05",
            "quantities": [{"value": 400000000000, "unit": "USD"}, {"value": 30, "unit": "years"}],
            "appearance": {"source_id": blog["id"], "exact": "$400 billion 30-year gas deal"},
        },
        201,
    )
    linked = desk.post(
        "carla",
        f"/claims/{claim_id}/links",
        {"target_id": gas_deal["id"], "relation": "updates"},
        201,
    )
    assert linked["version"] == 9

    # The history tells it all, oldest first, each event with the principal who caused it.
    history = api.get(f"/claims/{claim_id}/history").json()["items"]
    assert [(i["version"], i["type"], i["recorded_by"]) for i in history] == [
        (1, "claim.recorded", carla),
        (2, "claim.appearance_added", carla),
        (3, "claim.evidence_added", carla),
        (4, "claim.disputed", carla),
        (5, "claim.dispute_resolved", rui),
        (6, "claim.reviewed", rui),
        (7, "claim.corrected", carla),
        (8, "claim.retracted", carla),
        (9, "claim.linked", carla),
    ]
    positions = [i["position"] for i in history]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert positions[0] == claim["position"] and positions[-1] == linked["position"]
    assert history[6]["data"]["statement"].startswith("A Kremlin aide")
    assert history[5]["data"]["verdict"] == "misleading"

    # As of a moment between two writes, the claim is as it stood then.
    after_review = _between(history[5]["recorded_at"], history[6]["recorded_at"])
    then = api.get(f"/claims/{claim_id}", as_of=after_review)
    assert then.status_code == 200 and then.headers["ETag"] == '"6"'
    assert (then.json()["status"], then.json()["verdict"]) == ("reviewed", "misleading")
    assert then.json()["statement"] == "China supports Russia's demands on security guarantees"
    while_disputed = api.get(
        f"/claims/{claim_id}", as_of=_between(history[3]["recorded_at"], history[4]["recorded_at"])
    ).json()
    assert (while_disputed["version"], while_disputed["status"]) == (4, "disputed")
    assert api.get(f"/claims/{claim_id}", version=4).json() == while_disputed
    assert_problem(api.get(f"/claims/{claim_id}", as_of="2022-02-04T00:00:00Z"), 404)

    # The review is still published as ClaimReview JSON-LD.
    review = api.get(f"/claims/{claim_id}/claimreview").json()
    assert review["reviewRating"]["alternateName"] == "Misleading"
    assert review["itemReviewed"]["author"]["name"] == "Yuri Ushakov"
    assert review["itemReviewed"]["datePublished"] == "2022-02"
    assert review["author"]["name"] == "rui"
    assert {a["url"] for a in review["itemReviewed"]["appearance"]} == {BLOG, GUARDIAN}

    # And the current state is exactly what the last write answered.
    now = api.get(f"/claims/{claim_id}")
    assert now.headers["ETag"] == '"9"'
    assert now.json() | {"position": linked["position"]} == linked
    assert api.get(f"/claims/{gas_deal['id']}").json()["quantities"] == [
        {"value": 400000000000, "unit": "USD", "about": None},
        {"value": 30, "unit": "years", "about": None},
    ]
