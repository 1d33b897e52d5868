"""Similar claims over HTTP, on SQLite and PostgreSQL: `similar` in the answer to POST /claims
and GET /claims/{id}/similar, against the seed article's claims."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.helpers import assert_invalid, assert_problem, missing_id
from tests.api.read.conftest import Seeded, start


@pytest.fixture(scope="module")
def seeded(module_url: str) -> Iterator[Seeded]:
    """The seed article's ledger, served, with "Moscow" an alias of Russia."""
    for seeded in start(module_url):
        response = seeded.api.post("/actors/russia/aliases", {"alias": "Moscow"})
        assert response.status_code == 200, response.text
        yield seeded


def settled(seeded: Seeded, body: Any) -> Any:
    """Wait until the views have the write whose answer is `body`."""
    response = seeded.api.get("/claims", min_position=body["position"], limit=1)
    assert response.status_code == 200, response.text
    return body


def similar(seeded: Seeded, claim_id: str, **params: Any) -> list[dict[str, Any]]:
    response = seeded.api.get(f"/claims/{claim_id}/similar", **params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_a_paraphrase_through_aliases_is_reported_when_recorded(seeded: Seeded) -> None:
    first = settled(seeded, seeded.record("China supports Russia"))

    second = seeded.record("Bejing backs Moscow")

    assert second["similar"][0] == {"id": first["id"], "score": 1.0}
    assert all(item["id"] != second["id"] for item in second["similar"])
    assert [item["score"] for item in second["similar"]] == sorted(
        (item["score"] for item in second["similar"]), reverse=True
    )


def test_similar_claims_of_a_claim_are_listed_best_first_without_itself(seeded: Seeded) -> None:
    first = settled(seeded, seeded.record("Moscow is backed by Beijing"))
    second = settled(seeded, seeded.record("China supported Russia"))

    items = similar(seeded, second["id"], min_position=second["position"])

    assert {"id": first["id"], "score": 1.0} in items
    assert second["id"] not in {item["id"] for item in items}
    keys = [(-item["score"]) for item in items]
    assert keys == sorted(keys)
    assert similar(seeded, second["id"]) == items  # deterministic


def test_seed_claims_are_distinct_and_a_lower_min_score_finds_their_neighbours(
    seeded: Seeded,
) -> None:
    """The seed's 31 claims are 31 assertions: none reaches the default 0.7 with another
    (the closest pair, two readings of the gas deal, scores 0.667). 'Beijing stands by Russia's
    security concerns' and 'Beijing supports Russia's security demands' meet at 0.533."""
    seed_ids = set(seeded.ids.values())
    for claim_id in seed_ids:
        assert not seed_ids & {item["id"] for item in similar(seeded, claim_id)}
    stands = seeded.ids["beijing-stands-by-russia-security-concerns"]
    supports = seeded.ids["beijing-supports-russian-security-demands"]

    items = similar(seeded, stands, min_score=0.5, limit=50)

    assert {"id": supports, "score": 0.533} in items


def test_unrelated_claims_are_not_similar(seeded: Seeded) -> None:
    bipolar = seeded.record(
        "The world may be heading towards bi-polarisation",
        subject="china",
        relation="makes_statement",
        object=None,
    )
    olympics = settled(
        seeded,
        seeded.record(
            "Vladimir Putin will attend the Winter Olympics opening ceremony in Beijing",
            subject="vladimir-putin",
            relation="visits",
            object="china",
        ),
    )

    assert bipolar["id"] not in {i["id"] for i in similar(seeded, olympics["id"])}
    assert olympics["id"] not in {i["id"] for i in similar(seeded, bipolar["id"])}
    unrelated = seeded.record(
        "Western countries have imposed unilateral sanctions on oil exports",
        subject="western-countries",
        relation="sanctions",
        object=None,
    )
    assert olympics["id"] not in {i["id"] for i in unrelated["similar"]}


def test_a_retracted_claim_is_no_longer_listed(seeded: Seeded) -> None:
    target = settled(seeded, seeded.record("Beijing backs Russia on grain corridors"))
    twin = settled(seeded, seeded.record("China supports Russia on grain corridors"))
    assert target["id"] in {i["id"] for i in similar(seeded, twin["id"])}

    retracted = seeded.api.post(f"/claims/{target['id']}/retraction", {"reason": "duplicate"})
    assert retracted.status_code == 200, retracted.text

    items = similar(seeded, twin["id"], min_position=retracted.json()["position"])
    assert target["id"] not in {i["id"] for i in items}


def test_min_score_and_limit_narrow_the_list(seeded: Seeded) -> None:
    supports = seeded.ids["beijing-supports-russian-security-demands"]
    loose = similar(seeded, supports, min_score=0.05, limit=50)

    assert similar(seeded, supports, min_score=0.05, limit=1) == loose[:1]
    assert all(item["score"] >= 0.9 for item in similar(seeded, supports, min_score=0.9))


def test_bad_inputs_are_problems(seeded: Seeded) -> None:
    assert_problem(seeded.api.get(f"/claims/{missing_id()}/similar"), 404)
    assert_invalid(seeded.api.get("/claims/not-a-uuid/similar"), "path", "claim_id")
    supports = seeded.ids["beijing-supports-russian-security-demands"]
    assert_invalid(seeded.api.get(f"/claims/{supports}/similar", min_score=2), "query", "min_score")
    assert_invalid(seeded.api.get(f"/claims/{supports}/similar", limit=0), "query", "limit")
    assert_invalid(seeded.api.get(f"/claims/{supports}/similar", limit=51), "query", "limit")
