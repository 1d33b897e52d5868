"""The claim commands: appearances, evidence, disputes and their resolution, reviews,
corrections, retraction and links -- each answers the updated claim and `position`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, World
from tests.api.helpers import (
    assert_invalid,
    assert_problem,
    current_version,
    history_types,
    missing_id,
    new_principal,
    record_claim,
)
from tests.factories import SEED_TEXT

SECOND_QUOTE = "Russia is seeking Chinese support in its conflict with the Nato countries"


def post(
    api: Api, claim_id: str, command: str, body: Any, role: str = "contributor", **headers: str
) -> Any:
    return api.post(f"/claims/{claim_id}/{command}", body, role=role, **headers)


def assert_written(response: Any, status: int, version: int) -> Any:
    """A command's answer: the claim at `version`, its ETag and a position."""
    assert response.status_code == status, response.text
    claim = response.json()
    assert claim["version"] == version
    assert response.headers["ETag"] == f'"{version}"'
    assert isinstance(claim["position"], int) and claim["position"] > 0
    return claim


def open_dispute(api: Api, claim_id: str, reason: str = "The quote is out of context") -> str:
    response = post(api, claim_id, "disputes", {"reason": reason})
    assert response.status_code == 201, response.text
    dispute_id: str = response.json()["dispute_id"]
    return dispute_id


# -- appearances -------------------------------------------------------------------------------


def test_adding_an_appearance_anchors_it_and_answers_201(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    response = post(
        api, claim["id"], "appearances", {"source_id": world.source_id, "exact": SECOND_QUOTE}
    )

    updated = assert_written(response, 201, 2)
    assert updated["position"] > claim["position"]
    assert len(updated["appearances"]) == 2
    added = updated["appearances"][1]
    assert SEED_TEXT[added["start"] : added["end"]] == SECOND_QUOTE
    assert added["content_sha256"] == claim["appearances"][0]["content_sha256"]
    assert history_types(api, claim["id"])[-1] == "claim.appearance_added"


def test_an_appearance_in_a_source_without_text_is_kept_unanchored(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    response = post(
        api,
        claim["id"],
        "appearances",
        {"source_id": world.bare_source_id, "exact": "anything at all"},
    )

    assert assert_written(response, 201, 2)["appearances"][1]["start"] is None


@pytest.mark.parametrize(
    ("quote", "code"),
    [
        ({"exact": "words nobody wrote"}, "quote-not-found"),
        ({"exact": "China"}, "quote-ambiguous"),
        ({"exact": "China", "suffix": "has vetoed"}, "quote-not-found"),
    ],
    ids=["not-found", "ambiguous", "wrong-suffix"],
)
def test_an_appearance_that_does_not_anchor_is_a_422_and_writes_nothing(
    api: Api, world: World, quote: dict[str, str], code: str
) -> None:
    claim = record_claim(api, world)

    response = post(api, claim["id"], "appearances", {"source_id": world.source_id, **quote})

    assert_problem(response, 422, code)
    assert current_version(api, claim["id"]) == 1


def test_an_appearance_in_an_unknown_source_is_a_422_unknown_reference(
    api: Api, world: World
) -> None:
    claim = record_claim(api, world)

    response = post(api, claim["id"], "appearances", {"source_id": missing_id(), "exact": "x"})

    assert_problem(response, 422, "unknown-reference")


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"exact": "x"}, ("body", "source_id")),
        ({"source_id": "not-a-uuid", "exact": "x"}, ("body", "source_id")),
        ({"source_id": "00000000-0000-0000-0000-000000000000"}, ("body", "exact")),
        ({"source_id": "00000000-0000-0000-0000-000000000000", "exact": ""}, ("body", "exact")),
        (
            {
                "source_id": "00000000-0000-0000-0000-000000000000",
                "exact": "x",
                "prefix": "p" * 501,
            },
            ("body", "prefix"),
        ),
        (
            {"source_id": "00000000-0000-0000-0000-000000000000", "exact": "x", "page": 2},
            ("body", "page"),
        ),
    ],
    ids=["no-source", "bad-uuid", "no-exact", "empty-exact", "long-prefix", "extra-field"],
)
def test_an_invalid_appearance_is_a_validation_problem(
    api: Api, world: World, body: dict[str, Any], loc: tuple[str, ...]
) -> None:
    claim = record_claim(api, world)

    assert_invalid(post(api, claim["id"], "appearances", body), *loc)


# -- evidence ----------------------------------------------------------------------------------


def test_adding_evidence_answers_201_with_its_id(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    response = post(
        api,
        claim["id"],
        "evidence",
        {
            "stance": "supports",
            "note": "The Kremlin readout says so.",
            "url": "https://kremlin.example/readout",
        },
    )

    updated = assert_written(response, 201, 2)
    [evidence] = updated["evidence"]
    assert updated["evidence_id"] == evidence["id"]
    assert (evidence["stance"], evidence["note"], evidence["url"]) == (
        "supports",
        "The Kremlin readout says so.",
        "https://kremlin.example/readout",
    )
    assert evidence["added_by"] == claim["recorded_by"]
    assert evidence["source_id"] is None and evidence["quote"] is None
    assert history_types(api, claim["id"])[-1] == "claim.evidence_added"


def test_evidence_quoting_a_source_is_anchored_in_its_text(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    response = post(
        api,
        claim["id"],
        "evidence",
        {
            "stance": "context",
            "note": "Russia asked first.",
            "source_id": world.source_id,
            "exact": SECOND_QUOTE,
        },
    )

    quote = assert_written(response, 201, 2)["evidence"][0]["quote"]
    assert SEED_TEXT[quote["start"] : quote["end"]] == SECOND_QUOTE


def test_evidence_may_cite_a_source_without_quoting_it(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    response = post(
        api,
        claim["id"],
        "evidence",
        {"stance": "refutes", "note": "See the Guardian piece.", "source_id": world.bare_source_id},
    )

    evidence = assert_written(response, 201, 2)["evidence"][0]
    assert evidence["source_id"] == world.bare_source_id and evidence["quote"] is None


def test_evidence_from_an_unknown_source_is_a_422_unknown_reference(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    response = post(
        api, claim["id"], "evidence", {"stance": "refutes", "note": "n", "source_id": missing_id()}
    )

    assert_problem(response, 422, "unknown-reference")
    assert current_version(api, claim["id"]) == 1


def test_evidence_quoting_words_not_in_the_source_is_a_422_quote_not_found(
    api: Api, world: World
) -> None:
    claim = record_claim(api, world)

    response = post(
        api,
        claim["id"],
        "evidence",
        {
            "stance": "refutes",
            "note": "n",
            "source_id": world.source_id,
            "exact": "Beijing rejects everything",
        },
    )

    assert_problem(response, 422, "quote-not-found")


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"note": "n"}, ("body", "stance")),
        ({"stance": "agrees", "note": "n"}, ("body", "stance")),
        ({"stance": "supports"}, ("body", "note")),
        ({"stance": "supports", "note": ""}, ("body", "note")),
        ({"stance": "supports", "note": "n" * 5001}, ("body", "note")),
        ({"stance": "supports", "note": 3}, ("body", "note")),
        ({"stance": "supports", "note": "n", "exact": "x"}, ("body",)),
        ({"stance": "supports", "note": "n", "url": "javascript:alert(1)"}, ("body", "url")),
        ({"stance": "supports", "note": "n", "source_id": "nope"}, ("body", "source_id")),
        ({"stance": "supports", "note": "n", "weight": 3}, ("body", "weight")),
    ],
    ids=[
        "no-stance",
        "bad-stance",
        "no-note",
        "empty-note",
        "long-note",
        "number-note",
        "exact-without-source",
        "bad-url",
        "bad-source-id",
        "extra-field",
    ],
)
def test_invalid_evidence_is_a_validation_problem(
    api: Api, world: World, body: dict[str, Any], loc: tuple[str, ...]
) -> None:
    claim = record_claim(api, world)

    assert_invalid(post(api, claim["id"], "evidence", body), *loc)


# -- disputes and their resolution ------------------------------------------------------------


def test_disputing_a_claim_answers_201_and_marks_it_disputed(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    response = post(
        api,
        claim["id"],
        "disputes",
        {
            "reason": "Ushakov said it, not Beijing",
            "evidence": {
                "stance": "refutes",
                "note": "Attribution",
                "source_id": world.source_id,
                "exact": "Yuri Ushakov",
            },
        },
    )

    updated = assert_written(response, 201, 2)
    assert updated["status"] == "disputed"
    [dispute] = updated["disputes"]
    assert updated["dispute_id"] == dispute["id"]
    assert (dispute["status"], dispute["reason"]) == ("open", "Ushakov said it, not Beijing")
    assert dispute["evidence"]["quote"]["exact"] == "Yuri Ushakov"
    assert dispute["opened_by"] == claim["recorded_by"]
    assert history_types(api, claim["id"])[-1] == "claim.disputed"


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({}, ("body", "reason")),
        ({"reason": ""}, ("body", "reason")),
        ({"reason": "r" * 5001}, ("body", "reason")),
        ({"reason": "r", "evidence": {"note": "no stance"}}, ("body", "evidence", "stance")),
        ({"reason": "r", "evidence": "see above"}, ("body", "evidence")),
        ({"reason": "r", "severity": "high"}, ("body", "severity")),
    ],
    ids=[
        "no-reason",
        "empty-reason",
        "long-reason",
        "evidence-without-stance",
        "evidence-not-object",
        "extra-field",
    ],
)
def test_an_invalid_dispute_is_a_validation_problem(
    api: Api, world: World, body: dict[str, Any], loc: tuple[str, ...]
) -> None:
    claim = record_claim(api, world)

    assert_invalid(post(api, claim["id"], "disputes", body), *loc)


def test_a_reviewer_resolves_a_dispute_with_200(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    dispute_id = open_dispute(api, claim["id"])

    response = post(
        api,
        claim["id"],
        f"disputes/{dispute_id}/resolution",
        {"outcome": "rejected", "note": "The quote is accurate."},
        role="reviewer",
    )

    updated = assert_written(response, 200, 3)
    [dispute] = updated["disputes"]
    assert (dispute["status"], dispute["resolution_note"]) == ("rejected", "The quote is accurate.")
    assert dispute["resolved_by"] != claim["recorded_by"] and dispute["resolved_at"]
    assert updated["status"] == "recorded"
    assert history_types(api, claim["id"])[-1] == "claim.dispute_resolved"


def test_a_claim_stays_disputed_while_any_dispute_is_open(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    first, second = open_dispute(api, claim["id"]), open_dispute(api, claim["id"], "Also")

    response = post(
        api,
        claim["id"],
        f"disputes/{first}/resolution",
        {"outcome": "upheld", "note": "Right."},
        role="reviewer",
    )

    assert response.json()["status"] == "disputed"
    statuses = {d["id"]: d["status"] for d in response.json()["disputes"]}
    assert statuses == {first: "upheld", second: "open"}


def test_a_dispute_resolves_only_once(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    dispute_id = open_dispute(api, claim["id"])
    path = f"disputes/{dispute_id}/resolution"
    assert (
        post(
            api, claim["id"], path, {"outcome": "upheld", "note": "n"}, role="reviewer"
        ).status_code
        == 200
    )

    again = post(api, claim["id"], path, {"outcome": "rejected", "note": "n"}, role="reviewer")

    assert_problem(again, 409, "dispute-already-resolved")
    assert current_version(api, claim["id"]) == 3


def test_resolving_an_unknown_dispute_is_a_404_problem(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    other = record_claim(api, world)
    others_dispute = open_dispute(api, other["id"])

    for dispute_id in (missing_id(), others_dispute):
        response = post(
            api,
            claim["id"],
            f"disputes/{dispute_id}/resolution",
            {"outcome": "upheld", "note": "n"},
            role="reviewer",
        )
        assert_problem(response, 404)


def test_a_malformed_dispute_id_is_a_422_not_a_500(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    response = post(
        api,
        claim["id"],
        "disputes/first/resolution",
        {"outcome": "upheld", "note": "n"},
        role="reviewer",
    )

    assert_invalid(response, "path", "dispute_id")


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"note": "n"}, ("body", "outcome")),
        ({"outcome": "accepted", "note": "n"}, ("body", "outcome")),
        ({"outcome": "upheld"}, ("body", "note")),
        ({"outcome": "upheld", "note": "n", "by": "me"}, ("body", "by")),
    ],
    ids=["no-outcome", "bad-outcome", "no-note", "extra-field"],
)
def test_an_invalid_resolution_is_a_validation_problem(
    api: Api, world: World, body: dict[str, Any], loc: tuple[str, ...]
) -> None:
    claim = record_claim(api, world)
    dispute_id = open_dispute(api, claim["id"])

    response = post(api, claim["id"], f"disputes/{dispute_id}/resolution", body, role="reviewer")

    assert_invalid(response, *loc)


# -- reviews -----------------------------------------------------------------------------------


def test_a_review_answers_201_and_becomes_the_verdict(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    response = post(
        api,
        claim["id"],
        "reviews",
        {
            "verdict": "mostly_true",
            "explanation": "Ushakov said it.",
            "url": "https://checks.example.org/1",
            "rating": {"value": 4, "best": 5, "worst": 1},
        },
        role="reviewer",
    )

    updated = assert_written(response, 201, 2)
    assert (updated["verdict"], updated["status"]) == ("mostly_true", "reviewed")
    [review] = updated["reviews"]
    assert updated["review_id"] == review["id"]
    assert review["label"] == "Mostly True"
    assert review["rating"] == {"value": 4, "best": 5, "worst": 1}
    assert review["url"] == "https://checks.example.org/1"
    assert history_types(api, claim["id"])[-1] == "claim.reviewed"


def test_the_newest_review_is_the_verdict_and_older_ones_stay(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    post(api, claim["id"], "reviews", {"verdict": "mixed", "explanation": "e1"}, role="reviewer")

    response = post(
        api,
        claim["id"],
        "reviews",
        {"verdict": "false", "label": "Pants on fire", "explanation": "e2"},
        role="reviewer",
    )

    updated = assert_written(response, 201, 3)
    assert updated["verdict"] == "false"
    assert [(r["verdict"], r["label"]) for r in updated["reviews"]] == [
        ("mixed", "Mixed"),
        ("false", "Pants on fire"),
    ]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"explanation": "e"}, ("body", "verdict")),
        ({"verdict": "pants_on_fire", "explanation": "e"}, ("body", "verdict")),
        ({"verdict": "true"}, ("body", "explanation")),
        ({"verdict": "true", "explanation": "e", "label": ""}, ("body", "label")),
        ({"verdict": "true", "explanation": "e", "url": "not a url"}, ("body", "url")),
        (
            {"verdict": "true", "explanation": "e", "rating": {"value": 9, "best": 5, "worst": 1}},
            ("body", "rating"),
        ),
        (
            {"verdict": "true", "explanation": "e", "rating": {"value": 1, "best": 1, "worst": 1}},
            ("body", "rating"),
        ),
        (
            {
                "verdict": "true",
                "explanation": "e",
                "rating": {"value": "NaN", "best": 5, "worst": 1},
            },
            ("body", "rating", "value"),
        ),
        ({"verdict": "true", "explanation": "e", "rating": {"value": 3}}, ("body", "rating")),
        ({"verdict": "true", "explanation": "e", "reviewed_by": "me"}, ("body", "reviewed_by")),
    ],
    ids=[
        "no-verdict",
        "bad-verdict",
        "no-explanation",
        "empty-label",
        "bad-url",
        "rating-out-of-range",
        "rating-best-equals-worst",
        "rating-nan",
        "rating-incomplete",
        "extra-field",
    ],
)
def test_an_invalid_review_is_a_validation_problem(
    api: Api, world: World, body: dict[str, Any], loc: tuple[str, ...]
) -> None:
    claim = record_claim(api, world)

    assert_invalid(post(api, claim["id"], "reviews", body, role="reviewer"), *loc)


# -- corrections -------------------------------------------------------------------------------


def test_a_correction_changes_the_given_fields_and_answers_200(api: Api, world: World) -> None:
    claim = record_claim(api, world, occurred_on="2022-02")

    response = post(
        api,
        claim["id"],
        "corrections",
        {
            "reason": "The summit day is known",
            "occurred_on": "2022-02-04",
            "relation": "defends_verbally",
            "object": "Russia",
            "statement": "China backs Russia's security demands",
            "quantities": [{"value": 1, "unit": "summit"}],
        },
    )

    updated = assert_written(response, 200, 2)
    assert updated["occurred_on"] == "2022-02-04"
    assert updated["relation"] == {"slug": "defends_verbally", "cameo": "052", "quad_class": 1}
    assert updated["statement"] == "China backs Russia's security demands"
    assert updated["quantities"] == [{"value": 1, "unit": "summit", "about": None}]
    assert updated["subject"] == claim["subject"] and updated["object"] == claim["object"]
    assert history_types(api, claim["id"])[-1] == "claim.corrected"


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "nothing given"},
        {
            "reason": "same statement",
            "statement": "China supports Russia's demands on security guarantees",
        },
        {"reason": "same relation", "relation": "051"},
        {"reason": "same object", "object": "russia"},
    ],
    ids=["no-field", "same-statement", "same-relation", "same-object"],
)
def test_a_correction_that_changes_nothing_is_a_409_problem(
    api: Api, world: World, body: dict[str, Any]
) -> None:
    claim = record_claim(api, world)

    assert_problem(post(api, claim["id"], "corrections", body), 409, "nothing-to-correct")
    assert current_version(api, claim["id"]) == 1


def test_a_correction_to_an_unknown_relation_or_actor_is_a_422(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    bad_relation = post(api, claim["id"], "corrections", {"reason": "r", "relation": "hugs"})
    bad_object = post(api, claim["id"], "corrections", {"reason": "r", "object": "Rusia"})

    assert_problem(bad_relation, 422, "unknown-relation")
    assert "russia" in assert_problem(bad_object, 422, "unknown-actor")["candidates"]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"statement": "s"}, ("body", "reason")),
        ({"reason": "r", "occurred_on": "2022-13"}, ("body", "occurred_on")),
        ({"reason": "r", "occurred_on": "2022-02-30"}, ("body", "occurred_on")),
        ({"reason": "r", "occurred_on": "yesterday"}, ("body", "occurred_on")),
        ({"reason": "r", "statement": "s" * 2001}, ("body", "statement")),
        (
            {"reason": "r", "quantities": [{"value": "1e400", "unit": "x"}]},
            ("body", "quantities", 0, "value"),
        ),
        ({"reason": "r", "subject": "russia"}, ("body", "subject")),
    ],
    ids=[
        "no-reason",
        "month-13",
        "february-30",
        "yesterday",
        "long-statement",
        "huge-quantity",
        "subject-is-not-correctable",
    ],
)
def test_an_invalid_correction_is_a_validation_problem(
    api: Api, world: World, body: dict[str, Any], loc: tuple[str, ...]
) -> None:
    claim = record_claim(api, world)

    assert_invalid(post(api, claim["id"], "corrections", body), *loc)


# -- retraction --------------------------------------------------------------------------------


def test_retracting_a_claim_answers_200_and_marks_it_retracted(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    response = post(api, claim["id"], "retraction", {"reason": "Recorded twice"})

    updated = assert_written(response, 200, 2)
    assert updated["status"] == "retracted"
    assert updated["retraction_reason"] == "Recorded twice"
    assert history_types(api, claim["id"])[-1] == "claim.retracted"


def test_every_command_but_links_on_a_retracted_claim_is_a_409(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    dispute_id = open_dispute(api, claim["id"])
    target = record_claim(api, world)
    assert post(api, claim["id"], "retraction", {"reason": "r"}).status_code == 200
    commands = [
        ("appearances", {"source_id": world.source_id, "exact": SECOND_QUOTE}, "contributor"),
        ("evidence", {"stance": "supports", "note": "n"}, "contributor"),
        ("disputes", {"reason": "r"}, "contributor"),
        (f"disputes/{dispute_id}/resolution", {"outcome": "upheld", "note": "n"}, "reviewer"),
        ("reviews", {"verdict": "true", "explanation": "e"}, "reviewer"),
        ("corrections", {"reason": "r", "statement": "Something else"}, "contributor"),
        ("retraction", {"reason": "again"}, "contributor"),
    ]

    for command, body, role in commands:
        assert_problem(post(api, claim["id"], command, body, role=role), 409, "claim-retracted")
    assert current_version(api, claim["id"]) == 3

    link = post(api, claim["id"], "links", {"target_id": target["id"], "relation": "duplicates"})
    assert_written(link, 201, 4)


def test_a_retraction_needs_a_reason(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    assert_invalid(post(api, claim["id"], "retraction", {}), "body", "reason")
    assert_invalid(post(api, claim["id"], "retraction", {"reason": ""}), "body", "reason")


# -- links -------------------------------------------------------------------------------------


def test_linking_claims_answers_201(api: Api, world: World) -> None:
    claim, target = record_claim(api, world), record_claim(api, world)

    response = post(api, claim["id"], "links", {"target_id": target["id"], "relation": "updates"})

    [link] = assert_written(response, 201, 2)["links"]
    assert (link["target_id"], link["relation"]) == (target["id"], "updates")
    assert link["linked_by"] == claim["recorded_by"]
    assert history_types(api, claim["id"])[-1] == "claim.linked"


def test_a_claim_cannot_link_to_itself_or_twice_the_same_way(api: Api, world: World) -> None:
    claim, target = record_claim(api, world), record_claim(api, world)
    body = {"target_id": target["id"], "relation": "supports"}
    assert post(api, claim["id"], "links", body).status_code == 201

    twice = post(api, claim["id"], "links", body)
    itself = post(api, claim["id"], "links", {"target_id": claim["id"], "relation": "supports"})

    assert_problem(twice, 409, "invalid-link")
    assert_problem(itself, 409, "invalid-link")
    other_way = post(api, claim["id"], "links", {**body, "relation": "contradicts"})
    assert other_way.status_code == 201


def test_a_link_to_an_unknown_claim_is_a_422_unknown_reference(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    for target_id in (missing_id(), world.source_id):
        response = post(api, claim["id"], "links", {"target_id": target_id, "relation": "supports"})
        assert_problem(response, 422, "unknown-reference")


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"relation": "supports"}, ("body", "target_id")),
        ({"target_id": "nope", "relation": "supports"}, ("body", "target_id")),
        ({"target_id": "00000000-0000-0000-0000-000000000000"}, ("body", "relation")),
        (
            {"target_id": "00000000-0000-0000-0000-000000000000", "relation": "likes"},
            ("body", "relation"),
        ),
    ],
    ids=["no-target", "bad-target", "no-relation", "bad-relation"],
)
def test_an_invalid_link_is_a_validation_problem(
    api: Api, world: World, body: dict[str, Any], loc: tuple[str, ...]
) -> None:
    claim = record_claim(api, world)

    assert_invalid(post(api, claim["id"], "links", body), *loc)


# -- every command -----------------------------------------------------------------------------

COMMANDS = [
    ("appearances", {"source_id": "{source}", "exact": SECOND_QUOTE}, "contributor"),
    ("evidence", {"stance": "supports", "note": "n"}, "contributor"),
    ("disputes", {"reason": "r"}, "contributor"),
    ("disputes/{dispute}/resolution", {"outcome": "upheld", "note": "n"}, "reviewer"),
    ("reviews", {"verdict": "true", "explanation": "e"}, "reviewer"),
    ("corrections", {"reason": "r", "statement": "s"}, "contributor"),
    ("retraction", {"reason": "r"}, "contributor"),
    ("links", {"target_id": "{claim}", "relation": "supports"}, "contributor"),
]


def _fill(body: dict[str, Any], world: World, claim_id: str) -> dict[str, Any]:
    return {
        k: v.format(source=world.source_id, claim=claim_id) if isinstance(v, str) else v
        for k, v in body.items()
    }


@pytest.mark.parametrize(
    ("command", "body", "role"), COMMANDS, ids=[c[0].split("/")[-1] for c in COMMANDS]
)
def test_a_command_on_an_unknown_claim_is_a_404_problem(
    api: Api, world: World, command: str, body: dict[str, Any], role: str
) -> None:
    target = record_claim(api, world)
    path = command.format(dispute=missing_id())

    response = post(api, missing_id(), path, _fill(body, world, target["id"]), role=role)

    assert_problem(response, 404)


@pytest.mark.parametrize(
    ("command", "body", "role"), COMMANDS, ids=[c[0].split("/")[-1] for c in COMMANDS]
)
def test_a_command_on_a_malformed_claim_id_is_a_422_not_a_500(
    api: Api, world: World, command: str, body: dict[str, Any], role: str
) -> None:
    target = record_claim(api, world)
    path = command.format(dispute=missing_id())

    response = post(api, "claim-1", path, _fill(body, world, target["id"]), role=role)

    assert_invalid(response, "path", "claim_id")


def test_a_contributor_corrects_and_retracts_only_its_own_claims(api: Api, world: World) -> None:
    other = new_principal(api, "contributor")
    api.tokens["other-contributor"] = other["token"]
    claim = record_claim(api, world, role="other-contributor")

    correction = post(api, claim["id"], "corrections", {"reason": "r", "statement": "mine now"})
    retraction = post(api, claim["id"], "retraction", {"reason": "r"})

    assert_problem(correction, 403)
    assert_problem(retraction, 403)
    assert current_version(api, claim["id"]) == 1
    own = post(
        api,
        claim["id"],
        "corrections",
        {"reason": "typo", "statement": "fixed"},
        role="other-contributor",
    )
    assert own.status_code == 200


def test_a_reviewer_retracts_any_claim_but_corrects_only_its_own(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    correction = post(
        api, claim["id"], "corrections", {"reason": "r", "statement": "x"}, role="reviewer"
    )
    retraction = post(api, claim["id"], "retraction", {"reason": "duplicate"}, role="reviewer")

    assert_problem(correction, 403)
    assert retraction.status_code == 200
    assert retraction.json()["status"] == "retracted"


def test_others_may_add_evidence_disputes_appearances_and_links_to_any_claim(
    api: Api, world: World
) -> None:
    other = new_principal(api, "contributor")
    api.tokens["third-contributor"] = other["token"]
    claim, target = record_claim(api, world), record_claim(api, world)

    for command, body, _ in COMMANDS[:3] + COMMANDS[-1:]:
        response = post(
            api, claim["id"], command, _fill(body, world, target["id"]), role="third-contributor"
        )
        assert response.status_code == 201, (command, response.text)
    events = api.get(f"/claims/{claim['id']}/history").json()["items"]
    assert [e["recorded_by"] for e in events[1:]] == [other["id"]] * 4
