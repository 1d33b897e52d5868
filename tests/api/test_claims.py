"""Claims: recording (actors resolved, quotes anchored), reading now / at a version / as of a
time, the event history and the ClaimReview JSON-LD."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from itertools import pairwise
from typing import Any

import pytest

from tests.api.conftest import Api, World
from tests.api.helpers import (
    assert_invalid,
    assert_problem,
    claim_payload,
    missing_id,
    record_claim,
)
from tests.factories import QUOTE, SEED_TEXT

CLAIM_FIELDS = {
    "id",
    "version",
    "status",
    "verdict",
    "statement",
    "kind",
    "subject",
    "relation",
    "object",
    "about",
    "claimant",
    "occurred_on",
    "quantities",
    "tags",
    "appearances",
    "evidence",
    "disputes",
    "reviews",
    "links",
    "recorded_at",
    "recorded_by",
    "updated_at",
}


@pytest.fixture(scope="module")
def people(api: Api, world: World) -> None:
    """A claimant and a third party, beside the world's China and Russia."""
    for actor in (
        {
            "id": "yuri-ushakov",
            "name": "Yuri Ushakov",
            "kind": "person",
            "external_ids": {"wikidata": "Q4525535"},
        },
        {
            "id": "nato",
            "name": "NATO",
            "kind": "organization",
            "aliases": ["North Atlantic Treaty Organization"],
        },
    ):
        assert api.post("/actors", actor).status_code == 201


# -- recording ---------------------------------------------------------------------------------


def test_recording_a_claim_answers_201_with_the_claim_location_etag_and_position(
    api: Api, world: World
) -> None:
    response = api.post("/claims", claim_payload(world))

    assert response.status_code == 201, response.text
    claim = response.json()
    assert set(claim) >= CLAIM_FIELDS | {"position"}
    assert response.headers["Location"] == f"/claims/{claim['id']}"
    assert response.headers["ETag"] == '"1"'
    assert isinstance(claim["position"], int) and claim["position"] > 0
    assert (claim["version"], claim["status"], claim["verdict"]) == (1, "recorded", None)
    assert claim["statement"] == "China supports Russia's demands on security guarantees"
    assert claim["kind"] == "quote"
    assert claim["evidence"] == claim["disputes"] == claim["reviews"] == claim["links"] == []
    assert claim["recorded_at"].endswith("Z") and claim["updated_at"].endswith("Z")


def test_actors_may_be_named_by_id_name_or_alias_and_come_back_resolved(
    api: Api, world: World, people: None
) -> None:
    claim = record_claim(
        api,
        world,
        subject="Bejing",
        object="RUSSIA",
        about=["north atlantic treaty organization", "nato"],
        claimant="Yuri Ushakov",
    )

    assert claim["subject"] == {"id": "china", "name": "China"}
    assert claim["object"] == {"id": "russia", "name": "Russia"}
    assert claim["about"] == [{"id": "nato", "name": "NATO"}, {"id": "nato", "name": "NATO"}]
    assert claim["claimant"] == {"id": "yuri-ushakov", "name": "Yuri Ushakov"}


def test_a_relation_slug_or_cameo_code_comes_back_with_its_code_and_quad_class(
    api: Api, world: World
) -> None:
    by_slug = record_claim(api, world, relation="supports")
    by_code = record_claim(api, world, relation="057")
    conflict = record_claim(api, world, relation="sanctions")

    assert by_slug["relation"] == {"slug": "supports", "cameo": "051", "quad_class": 1}
    assert by_code["relation"] == {"slug": "signs_agreement", "cameo": "057", "quad_class": 1}
    assert conflict["relation"] == {"slug": "sanctions", "cameo": "163", "quad_class": 4}


def test_the_appearance_is_anchored_in_the_source_text(api: Api, world: World) -> None:
    source = api.get(f"/sources/{world.source_id}").json()

    claim = record_claim(api, world)

    [appearance] = claim["appearances"]
    assert appearance["source_id"] == world.source_id
    assert appearance["exact"] == QUOTE
    assert SEED_TEXT[appearance["start"] : appearance["end"]] == QUOTE
    assert SEED_TEXT[: appearance["start"]].endswith(appearance["prefix"])
    assert SEED_TEXT[appearance["end"] :].startswith(appearance["suffix"])
    assert appearance["content_sha256"] == source["content_sha256"]


def test_a_quote_with_curly_quotes_and_extra_spaces_still_anchors_to_the_sources_words(
    api: Api, world: World
) -> None:
    pasted = "Beijing   supports Russia\u2019s demands\non security guarantees"

    claim = record_claim(api, world, appearance={"source_id": world.source_id, "exact": pasted})

    assert claim["appearances"][0]["exact"] == QUOTE


def test_a_repeated_quote_told_apart_by_prefix_and_suffix_is_anchored(
    api: Api, world: World
) -> None:
    appearance = {
        "source_id": world.source_id,
        "exact": "China",
        "prefix": "monitored between",
        "suffix": "and Russia",
    }

    claim = record_claim(api, world, appearance=appearance)

    start = claim["appearances"][0]["start"]
    assert SEED_TEXT[start - len("between ") : start + len("China")] == "between China"


def test_a_source_without_text_takes_any_quote_unanchored(api: Api, world: World) -> None:
    claim = record_claim(
        api, world, appearance={"source_id": world.bare_source_id, "exact": "words we cannot check"}
    )

    [appearance] = claim["appearances"]
    assert appearance["exact"] == "words we cannot check"
    assert appearance["start"] is appearance["end"] is appearance["content_sha256"] is None


def test_optional_fields_come_back_as_given(api: Api, world: World) -> None:
    claim = record_claim(
        api,
        world,
        kind="fact",
        occurred_on="2014-05",
        quantities=[
            {"value": 400000000000, "unit": "USD", "about": "gas deal"},
            {"value": 30, "unit": "years"},
            {"value": 0.25, "unit": "share"},
        ],
        tags=["gas", "energy-deals", "2014_deal"],
    )

    assert claim["kind"] == "fact"
    assert claim["occurred_on"] == "2014-05"
    assert claim["quantities"] == [
        {"value": 400000000000, "unit": "USD", "about": "gas deal"},
        {"value": 30, "unit": "years", "about": None},
        {"value": 0.25, "unit": "share", "about": None},
    ]
    assert claim["tags"] == ["gas", "energy-deals", "2014_deal"]


def test_a_quote_not_in_the_source_is_a_422_quote_not_found(api: Api, world: World) -> None:
    appearance = {"source_id": world.source_id, "exact": "Beijing opposes Russia"}

    assert_problem(
        api.post("/claims", claim_payload(world, appearance=appearance)), 422, "quote-not-found"
    )


def test_a_quote_between_the_wrong_prefix_and_suffix_is_a_422_quote_not_found(
    api: Api, world: World
) -> None:
    appearance = {"source_id": world.source_id, "exact": "China", "prefix": "no such words"}

    assert_problem(
        api.post("/claims", claim_payload(world, appearance=appearance)), 422, "quote-not-found"
    )


def test_a_quote_found_more_than_once_is_a_422_quote_ambiguous(api: Api, world: World) -> None:
    appearance = {"source_id": world.source_id, "exact": "China"}

    problem = assert_problem(
        api.post("/claims", claim_payload(world, appearance=appearance)), 422, "quote-ambiguous"
    )
    assert problem["occurrences"] == SEED_TEXT.count("China")


@pytest.mark.parametrize("field", ["subject", "object", "claimant"])
def test_an_unknown_actor_is_a_422_listing_close_candidates(
    api: Api, world: World, field: str
) -> None:
    problem = assert_problem(
        api.post("/claims", claim_payload(world, **{field: "Chinaa"})), 422, "unknown-actor"
    )

    assert "china" in problem["candidates"]


def test_an_unknown_actor_in_about_is_a_422_unknown_actor(api: Api, world: World) -> None:
    response = api.post("/claims", claim_payload(world, about=["russia", "Rusia"]))

    assert "russia" in assert_problem(response, 422, "unknown-actor")["candidates"]


def test_an_actor_nothing_resembles_has_no_candidates(api: Api, world: World) -> None:
    response = api.post("/claims", claim_payload(world, subject="Zzyzx Qwerty"))

    assert assert_problem(response, 422, "unknown-actor")["candidates"] == []


@pytest.mark.parametrize("relation", ["befriends", "999", "57", "SUPPORTS"])
def test_an_unknown_relation_is_a_422_problem(api: Api, world: World, relation: str) -> None:
    assert_problem(
        api.post("/claims", claim_payload(world, relation=relation)), 422, "unknown-relation"
    )


def test_an_unknown_source_is_a_422_unknown_reference(api: Api, world: World) -> None:
    appearance = {"source_id": missing_id(), "exact": QUOTE}

    assert_problem(
        api.post("/claims", claim_payload(world, appearance=appearance)), 422, "unknown-reference"
    )


def test_a_refused_claim_writes_nothing(api: Api, world: World) -> None:
    before = api.get("/readyz").json()["position"]

    api.post("/claims", claim_payload(world, subject="nobody-at-all"))
    api.post("/claims", claim_payload(world, relation="befriends"))

    assert api.get("/readyz").json()["position"] == before


def _without(body: dict[str, Any], name: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != name}


@pytest.mark.parametrize("name", ["statement", "kind", "subject", "relation", "appearance"])
def test_a_claim_missing_a_required_field_is_a_validation_problem(
    api: Api, world: World, name: str
) -> None:
    assert_invalid(api.post("/claims", _without(claim_payload(world), name)), "body", name)


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({"statement": 42}, ("body", "statement")),
        ({"statement": ""}, ("body", "statement")),
        ({"statement": "s" * 2001}, ("body", "statement")),
        ({"kind": "rumour"}, ("body", "kind")),
        ({"subject": ["china"]}, ("body", "subject")),
        ({"subject": "c" * 201}, ("body", "subject")),
        ({"relation": 51}, ("body", "relation")),
        ({"relation": "r" * 65}, ("body", "relation")),
        ({"about": "china"}, ("body", "about")),
        ({"occurred_on": "2022-13"}, ("body", "occurred_on")),
        ({"occurred_on": "2022-02-30"}, ("body", "occurred_on")),
        ({"occurred_on": "yesterday"}, ("body", "occurred_on")),
        ({"occurred_on": "2022\n"}, ("body", "occurred_on")),
        ({"occurred_on": "\uff12\uff10\uff12\uff12"}, ("body", "occurred_on")),
        ({"occurred_on": "0000"}, ("body", "occurred_on")),
        ({"occurred_on": 2022}, ("body", "occurred_on")),
        ({"quantities": [{"value": 1}]}, ("body", "quantities", 0, "unit")),
        ({"quantities": [{"value": "lots", "unit": "x"}]}, ("body", "quantities", 0, "value")),
        ({"quantities": [{"value": "NaN", "unit": "x"}]}, ("body", "quantities", 0, "value")),
        ({"quantities": [{"value": "Infinity", "unit": "x"}]}, ("body", "quantities", 0, "value")),
        ({"quantities": [{"value": 10**40, "unit": "x"}]}, ("body", "quantities", 0, "value")),
        (
            {"quantities": [{"value": 1, "unit": "x", "extra": 1}]},
            ("body", "quantities", 0, "extra"),
        ),
        ({"tags": ["Not A Tag"]}, ("body", "tags", 0)),
        ({"tags": "gas"}, ("body", "tags")),
        (
            {"appearance": {"source_id": "nope", "exact": QUOTE}},
            ("body", "appearance", "source_id"),
        ),
        ({"appearance": {"exact": QUOTE}}, ("body", "appearance", "source_id")),
        (
            {"appearance": {"source_id": "00000000-0000-0000-0000-000000000000"}},
            ("body", "appearance", "exact"),
        ),
        (
            {
                "appearance": {
                    "source_id": "00000000-0000-0000-0000-000000000000",
                    "exact": "x" * 5001,
                }
            },
            ("body", "appearance", "exact"),
        ),
        (
            {
                "appearance": {
                    "source_id": "00000000-0000-0000-0000-000000000000",
                    "exact": "x",
                    "start": 3,
                }
            },
            ("body", "appearance", "start"),
        ),
        ({"status": "reviewed"}, ("body", "status")),
        ({"recorded_by": "00000000-0000-0000-0000-000000000000"}, ("body", "recorded_by")),
    ],
    ids=lambda v: repr(v)[:50] if isinstance(v, dict) else "",
)
def test_an_invalid_claim_is_refused_with_a_validation_problem(
    api: Api, world: World, fields: dict[str, Any], loc: tuple[str | int, ...]
) -> None:
    assert_invalid(api.post("/claims", claim_payload(world, **fields)), *loc)


# -- reading -----------------------------------------------------------------------------------


def test_reading_a_claim_gives_its_current_state_and_an_etag(api: Api, world: World) -> None:
    recorded = record_claim(api, world)

    response = api.get(f"/claims/{recorded['id']}")

    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'
    # The answer to the write also lists the similar claims it found (`similar`).
    written = {"position": recorded["position"], "similar": recorded["similar"]}
    assert response.json() | written == recorded


def test_an_unknown_claim_is_a_404_problem(api: Api) -> None:
    assert_problem(api.get(f"/claims/{missing_id()}"), 404)
    assert_problem(api.get(f"/claims/{missing_id()}/history"), 404)
    assert_problem(api.get(f"/claims/{missing_id()}/claimreview"), 404)


def test_a_source_id_is_not_a_claim(api: Api, world: World) -> None:
    assert_problem(api.get(f"/claims/{world.source_id}"), 404)
    assert_problem(api.get(f"/claims/{world.source_id}/history"), 404)
    assert_problem(api.get(f"/claims/{world.source_id}", version=1), 404)


@pytest.mark.parametrize("suffix", ["", "/history", "/claimreview"])
def test_a_malformed_claim_id_is_a_422_not_a_500(api: Api, suffix: str) -> None:
    assert_invalid(api.get(f"/claims/not-a-uuid{suffix}"), "path", "claim_id")


def _evolve(api: Api, world: World) -> tuple[str, list[dict[str, Any]]]:
    """A claim with three versions; the history items of each."""
    claim = record_claim(api, world)
    for note in ("first", "second"):
        added = api.post(f"/claims/{claim['id']}/evidence", {"stance": "context", "note": note})
        assert added.status_code == 201, added.text
    items = api.get(f"/claims/{claim['id']}/history").json()["items"]
    return claim["id"], items


def test_a_version_parameter_gives_the_state_after_that_version(api: Api, world: World) -> None:
    claim_id, _ = _evolve(api, world)

    first = api.get(f"/claims/{claim_id}", version=1)
    second = api.get(f"/claims/{claim_id}", version=2)

    assert first.status_code == second.status_code == 200
    assert (first.json()["version"], first.json()["evidence"]) == (1, [])
    assert first.headers["ETag"] == '"1"'
    assert [e["note"] for e in second.json()["evidence"]] == ["first"]
    assert second.headers["ETag"] == '"2"'
    assert api.get(f"/claims/{claim_id}").json()["version"] == 3


def test_a_version_the_claim_has_not_reached_is_a_404_problem(api: Api, world: World) -> None:
    claim_id, _ = _evolve(api, world)

    assert_problem(api.get(f"/claims/{claim_id}", version=4), 404)


@pytest.mark.parametrize("version", ["0", "-1", "two", "1.5"])
def test_an_invalid_version_is_a_validation_problem(api: Api, world: World, version: str) -> None:
    claim = record_claim(api, world)

    assert_invalid(api.get(f"/claims/{claim['id']}", version=version), "query", "version")


def _between(earlier: str, later: str) -> str:
    """An RFC 3339 time at or after `earlier` and before `later`."""
    start = datetime.fromisoformat(earlier)
    end = datetime.fromisoformat(later)
    assert start < end
    return (start + (end - start) / 2).isoformat()


def test_as_of_a_time_between_two_writes_gives_the_earlier_state(api: Api, world: World) -> None:
    claim_id, items = _evolve(api, world)

    as_of = _between(items[1]["recorded_at"], items[2]["recorded_at"])
    response = api.get(f"/claims/{claim_id}", as_of=as_of)

    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    assert [e["note"] for e in response.json()["evidence"]] == ["first"]
    assert response.headers["ETag"] == '"2"'


def test_as_of_a_time_with_another_offset_means_the_same_instant(api: Api, world: World) -> None:
    claim_id, items = _evolve(api, world)
    instant = datetime.fromisoformat(_between(items[0]["recorded_at"], items[1]["recorded_at"]))
    in_tokyo = instant.astimezone(timezone(timedelta(hours=9))).isoformat()

    assert api.get(f"/claims/{claim_id}", as_of=in_tokyo).json()["version"] == 1


def test_as_of_a_time_before_the_claim_existed_is_a_404_problem(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    assert_problem(api.get(f"/claims/{claim['id']}", as_of="2020-01-01T00:00:00Z"), 404)


def test_as_of_a_time_after_the_last_write_gives_the_current_state(api: Api, world: World) -> None:
    claim_id, _ = _evolve(api, world)

    assert api.get(f"/claims/{claim_id}", as_of="2999-01-01T00:00:00Z").json()["version"] == 3


@pytest.mark.parametrize(
    "as_of", ["2026-11-28T10:00:00", "2026-11-28", "yesterday", "2026-13-01T00:00:00Z"]
)
def test_as_of_without_an_offset_or_not_a_time_is_a_validation_problem(
    api: Api, world: World, as_of: str
) -> None:
    claim = record_claim(api, world)

    assert_invalid(api.get(f"/claims/{claim['id']}", as_of=as_of), "query", "as_of")


# -- history -----------------------------------------------------------------------------------


def test_the_history_lists_every_event_oldest_first(api: Api, world: World) -> None:
    _, items = _evolve(api, world)

    assert [i["version"] for i in items] == [1, 2, 3]
    assert [i["type"] for i in items] == [
        "claim.recorded",
        "claim.evidence_added",
        "claim.evidence_added",
    ]
    positions = [i["position"] for i in items]
    assert positions == sorted(positions) and len(set(positions)) == 3
    assert all(i["recorded_at"] <= j["recorded_at"] for i, j in pairwise(items))
    assert items[0]["data"]["statement"] == "China supports Russia's demands on security guarantees"
    assert items[0]["data"]["subject"] == {"id": "china", "name": "China"}
    assert [i["data"]["note"] for i in items[1:]] == ["first", "second"]
    assert {"position", "version", "type", "recorded_at", "recorded_by", "data"} <= items[0].keys()


def test_history_positions_are_the_positions_the_writes_answered(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    added = api.post(f"/claims/{claim['id']}/evidence", {"stance": "supports", "note": "n"})

    items = api.get(f"/claims/{claim['id']}/history").json()["items"]

    assert [i["position"] for i in items] == [claim["position"], added.json()["position"]]


def test_the_history_names_the_principal_of_each_event(api: Api, world: World) -> None:
    principals = {p["name"]: p["id"] for p in api.get("/principals", role="admin").json()["items"]}
    claim = record_claim(api, world)
    assert (
        api.post(
            f"/claims/{claim['id']}/evidence", {"stance": "refutes", "note": "n"}, role="reviewer"
        ).status_code
        == 201
    )

    items = api.get(f"/claims/{claim['id']}/history").json()["items"]

    assert [i["recorded_by"] for i in items] == [
        principals["contributor-user"],
        principals["reviewer-user"],
    ]
    assert claim["recorded_by"] == principals["contributor-user"]


# -- ClaimReview -------------------------------------------------------------------------------


def test_claimreview_is_a_404_problem_before_any_review(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    assert_problem(api.get(f"/claims/{claim['id']}/claimreview"), 404)


def test_claimreview_is_schema_org_json_ld_of_the_latest_review(
    api: Api, world: World, people: None
) -> None:
    claim = record_claim(api, world, claimant="yuri-ushakov")
    for verdict, url in (("mixed", None), ("mostly_true", "https://checks.example.org/r/1")):
        review = {
            "verdict": verdict,
            "explanation": "Ushakov said so.",
            **({"url": url} if url else {}),
            "rating": {"value": 4, "best": 5, "worst": 1},
        }
        assert (
            api.post(f"/claims/{claim['id']}/reviews", review, role="reviewer").status_code == 201
        )

    response = api.get(f"/claims/{claim['id']}/claimreview")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    doc = response.json()
    assert doc["@context"] == "https://schema.org" and doc["@type"] == "ClaimReview"
    assert doc["claimReviewed"] == claim["statement"]
    assert doc["url"] == "https://checks.example.org/r/1"
    assert doc["reviewRating"]["@type"] == "Rating"
    assert doc["reviewRating"]["alternateName"] == "Mostly True"
    assert (
        doc["reviewRating"]["ratingValue"],
        doc["reviewRating"]["bestRating"],
        doc["reviewRating"]["worstRating"],
    ) == (4, 5, 1)
    assert doc["reviewBody"] == "Ushakov said so."
    assert doc["author"] == {"@type": "Person", "name": "reviewer-user"}
    datetime.fromisoformat(doc["datePublished"])
    item = doc["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["appearance"] == [
        {
            "@type": "CreativeWork",
            "url": "https://blog.example.org/2022/02/xi-putin-summit",
            "headline": "Xi-Putin summit",
        }
    ]
    assert item["author"] == {
        "@type": "Person",
        "name": "Yuri Ushakov",
        "sameAs": "https://www.wikidata.org/wiki/Q4525535",
    }
    assert item["datePublished"] == "2022-02"


def test_claimreview_without_a_review_url_points_at_the_claim(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    api.post(
        f"/claims/{claim['id']}/reviews",
        {"verdict": "true", "explanation": "e", "label": "Correct"},
        role="reviewer",
    )

    doc = api.get(f"/claims/{claim['id']}/claimreview").json()

    assert doc["url"].endswith(f"/claims/{claim['id']}")
    assert doc["reviewRating"]["alternateName"] == "Correct"
    assert "author" not in doc["itemReviewed"]
