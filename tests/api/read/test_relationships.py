"""GET /relationships: directed edges with CAMEO codes and quad classes, a pair's stance, the
effect of reviews, retractions and disputes, and as_of (equal to a rebuild until that time)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from domain.vocabulary import RELATIONS, quad_class
from infra.ledger.application import open_ledger
from infra.projections.rebuild import rebuild
from infra.projections.relationships_view import RelationshipsView, edge_rows, edges, stance
from tests.api.helpers import assert_invalid, assert_problem
from tests.api.read.conftest import RETRACTED, REVIEWED_FALSE, Seeded


def pair(world: Seeded, a: str, b: str, **params: Any) -> Any:
    response = world.api.get(f"/relationships/{a}/{b}", **params)
    assert response.status_code == 200, response.text
    return response.json()


def edge(body: Any, source: str, target: str, slug: str) -> Any:
    [found] = [
        e
        for e in body["edges"]
        if (e["source"], e["target"], e["relation"]["slug"]) == (source, target, slug)
    ]
    return found


def seeded_edges(world: Seeded, a: str, b: str) -> dict[tuple[str, str, str], int]:
    """(source, target, slug) -> number of claims, from the seed file (negated claims: none)."""
    counts: dict[tuple[str, str, str], int] = {}
    for claim in world.claims.values():
        if {claim.subject, claim.object} == {a, b} and not claim.negated:
            key = (claim.subject, claim.object or "", claim.relation)
            counts[key] = counts.get(key, 0) + 1
    return counts


def test_china_and_russia_are_linked_by_several_cooperative_edges(world: Seeded) -> None:
    body = pair(world, "china", "russia")

    assert body["actors"] == [{"id": "china", "name": "China"}, {"id": "russia", "name": "Russia"}]
    found = {(e["source"], e["target"], e["relation"]["slug"]): e["claims"] for e in body["edges"]}
    assert found == seeded_edges(world, "china", "russia")
    assert {
        "supports",
        "signs_agreement",
        "cooperates_economically",
        "provides_aid",
        "cooperates_diplomatically",
    } <= {slug for _, _, slug in found}
    assert body["stance"]["score"] > 0 and body["stance"]["cooperation"] > 0
    assert body["stance"]["conflict"] == 0


def test_edges_carry_cameo_codes_as_strings_and_their_quad_class(world: Seeded) -> None:
    for e in pair(world, "china", "russia")["edges"]:
        relation = e["relation"]
        assert isinstance(relation["cameo"], str) and len(relation["cameo"]) == 3
        assert relation["cameo"] == RELATIONS[relation["slug"]][0]
        assert relation["quad_class"] == quad_class(relation["cameo"]) in (1, 2)


def test_a_negated_claim_forms_no_edge(world: Seeded) -> None:
    slugs = {e["relation"]["slug"] for e in pair(world, "china", "russia")["edges"]}

    assert "cooperates_militarily" not in slugs
    assert world.ids["no-military-commitment"] not in pair(world, "china", "russia")["claim_ids"]


def test_an_edge_counts_its_claims_verdicts_and_dates(world: Seeded) -> None:
    aid = edge(pair(world, "russia", "china"), "china", "russia", "provides_aid")

    assert (aid["claims"], aid["active_claims"]) == (1, 1)
    assert aid["verdicts"] == {"unreviewed": 1}
    assert aid["first_occurred_on"] == aid["last_occurred_on"] == "2014-05"
    assert aid["first_recorded_at"].endswith("Z") and aid["claim_ids"] == [
        world.ids[world.key_where("china", "provides_aid", "russia")]
    ]


def test_the_relationships_of_the_us_include_its_boycott_of_the_games(world: Seeded) -> None:
    response = world.api.get("/relationships", actor="us")

    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert all("us" in (e["source"], e["target"]) for e in items)
    [boycott] = [e for e in items if e["target"] == "beijing-2022-winter-olympics"]
    assert boycott["relation"] == {"slug": "boycotts", "cameo": "163", "quad_class": 4}
    assert (boycott["source"], boycott["claims"], boycott["active_claims"]) == ("us", 1, 1)
    assert {(e["target"], e["relation"]["slug"]) for e in items} >= {
        ("china", "opposes"),
        ("russia", "opposes"),
    }


def test_russia_and_nato_stand_in_conflict(world: Seeded) -> None:
    body = pair(world, "russia", "nato")

    assert {e["relation"]["slug"] for e in body["edges"]} == {"demands", "opposes"}
    assert body["stance"]["score"] < 0
    assert body["stance"]["conflict"] > 0 == body["stance"]["cooperation"]


def test_a_claim_reviewed_false_or_retracted_stays_an_edge_but_is_not_active(world: Seeded) -> None:
    boycott = edge(
        pair(world, "uk", "beijing-2022-winter-olympics"),
        "uk",
        "beijing-2022-winter-olympics",
        "boycotts",
    )
    threat = edge(pair(world, "russia", "ukraine"), "russia", "ukraine", "threatens")

    assert (boycott["claims"], boycott["active_claims"], boycott["verdicts"]) == (
        1,
        0,
        {"false": 1},
    )
    assert (threat["claims"], threat["active_claims"]) == (1, 0)
    assert boycott["claim_ids"] == [world.ids[REVIEWED_FALSE]]
    assert threat["claim_ids"] == [world.ids[RETRACTED]]
    assert pair(world, "russia", "ukraine")["stance"] == {
        "score": 0.0,
        "cooperation": 0.0,
        "conflict": 0.0,
    }


@pytest.mark.parametrize(
    "path",
    [
        "/relationships/china/atlantis",
        "/relationships/atlantis/china",
        "/relationships?actor=atlantis",
    ],
)
def test_an_unknown_actor_is_a_404_problem(world: Seeded, path: str) -> None:
    assert_problem(world.api.client.get(path), 404)


def test_a_missing_or_malformed_actor_is_a_422_problem(world: Seeded) -> None:
    assert_invalid(world.api.get("/relationships"), "query", "actor")
    assert_invalid(world.api.get("/relationships", actor="Not A Slug"), "query", "actor")
    assert_invalid(
        world.api.get("/relationships", actor="china", as_of="yesterday"), "query", "as_of"
    )


# -- changes, read with min_position ---------------------------------------------------------


def test_a_false_review_takes_the_claim_out_of_active_claims_at_once(fresh: Seeded) -> None:
    claim_id = fresh.ids[fresh.key_where("vladimir-putin", "visits", "china")]
    before = edge(pair(fresh, "vladimir-putin", "china"), "vladimir-putin", "china", "visits")

    review = fresh.api.post(
        f"/claims/{claim_id}/reviews",
        {"verdict": "false", "explanation": "he did not"},
        role="reviewer",
    )
    assert review.status_code == 201, review.text
    after = edge(
        pair(fresh, "vladimir-putin", "china", min_position=review.json()["position"]),
        "vladimir-putin",
        "china",
        "visits",
    )

    assert (before["active_claims"], before["verdicts"]) == (1, {"unreviewed": 1})
    assert (after["claims"], after["active_claims"], after["verdicts"]) == (1, 0, {"false": 1})


def test_a_retraction_takes_the_claim_out_of_active_claims_at_once(fresh: Seeded) -> None:
    claim_id = fresh.ids[fresh.key_where("china", "provides_aid", "russia")]
    before = pair(fresh, "china", "russia")

    retraction = fresh.api.post(
        f"/claims/{claim_id}/retraction", {"reason": "wrong year"}, role="reviewer"
    )
    assert retraction.status_code == 200, retraction.text
    after = pair(fresh, "china", "russia", min_position=retraction.json()["position"])

    assert edge(after, "china", "russia", "provides_aid")["active_claims"] == 0
    assert edge(before, "china", "russia", "provides_aid")["active_claims"] == 1
    # Material cooperation (quad class 2) of an unreviewed claim weighed 2 x 0.6.
    assert after["stance"]["cooperation"] == pytest.approx(before["stance"]["cooperation"] - 1.2)


def test_an_open_dispute_halves_a_claims_weight_and_resolving_it_restores_it(fresh: Seeded) -> None:
    meetings = pair(fresh, "vladimir-putin", "xi-jinping")
    claim_id = meetings["claim_ids"][0]
    assert meetings["stance"] == {"score": 1.0, "cooperation": 1.2, "conflict": 0.0}

    dispute = fresh.api.post(f"/claims/{claim_id}/disputes", {"reason": "they did not meet"})
    assert dispute.status_code == 201, dispute.text
    disputed = pair(fresh, "vladimir-putin", "xi-jinping", min_position=dispute.json()["position"])
    resolution = fresh.api.post(
        f"/claims/{claim_id}/disputes/{dispute.json()['dispute_id']}/resolution",
        {"outcome": "rejected", "note": "they did"},
        role="reviewer",
    )
    assert resolution.status_code == 200, resolution.text
    resolved = pair(
        fresh, "vladimir-putin", "xi-jinping", min_position=resolution.json()["position"]
    )

    assert disputed["stance"] == {"score": 1.0, "cooperation": 0.9, "conflict": 0.0}
    assert resolved["stance"] == meetings["stance"]


# -- as_of -----------------------------------------------------------------------------------


def rebuilt_as_of(world: Seeded, moment: datetime, a: str, b: str | None) -> Any:
    """Edges (and stance) of a clean rebuild of the relationships view up to `moment`."""
    ledger = open_ledger(world.url)
    try:
        store = rebuild(ledger, [RelationshipsView()], prefix="rb_", until=moment)
        with store.transaction(commit=False) as cursor:
            rows = edge_rows(cursor, a, b, None)
    finally:
        ledger.close()
    body: Any = {"edges": edges(rows)}
    if b is not None:
        body |= {"stance": stance(rows), "claim_ids": sorted({r["claim_id"] for r in rows})}
    return orjson.loads(orjson.dumps(body))


def test_as_of_shows_a_pair_as_it_stood_then_and_equals_a_rebuild_until_then(fresh: Seeded) -> None:
    support = fresh.ids[fresh.key_where("china", "signs_agreement", "russia")]
    aid = fresh.ids[fresh.key_where("china", "provides_aid", "russia")]
    trade = fresh.ids[fresh.key_where("china", "cooperates_economically", "russia")]
    untouched = pair(fresh, "china", "russia")
    moments = [datetime.now(UTC)]
    writes = [
        ("reviews", support, {"verdict": "false", "explanation": "no"}),
        ("disputes", aid, {"reason": "which year?"}),
        ("retraction", trade, {"reason": "misread"}),
    ]
    for command, claim_id, body in writes:
        response = fresh.api.post(f"/claims/{claim_id}/{command}", body, role="reviewer")
        assert response.status_code in (200, 201), response.text
        moments.append(datetime.now(UTC))
    now = pair(fresh, "china", "russia", min_position=response.json()["position"])

    then = [pair(fresh, "china", "russia", as_of=m.isoformat()) for m in moments]

    assert {k: then[0][k] for k in ("edges", "stance")} == {
        k: untouched[k] for k in ("edges", "stance")
    }
    assert then[-1] == now
    assert len({orjson.dumps(t["stance"]) for t in then}) == len(then)  # each write shows
    for moment, body in zip(moments, then, strict=True):
        expected = rebuilt_as_of(fresh, moment, "china", "russia")
        assert {k: body[k] for k in ("edges", "stance", "claim_ids")} == expected


def test_as_of_on_an_actors_relationships_equals_a_rebuild_until_then(fresh: Seeded) -> None:
    claim_id = fresh.ids[fresh.key_where("us", "boycotts", "beijing-2022-winter-olympics")]
    before = datetime.now(UTC)
    review = fresh.api.post(
        f"/claims/{claim_id}/reviews",
        {"verdict": "mostly_true", "explanation": "diplomatic only"},
        role="reviewer",
    )
    assert review.status_code == 201, review.text
    fresh.api.get("/relationships", actor="us", min_position=review.json()["position"])

    old = fresh.api.get("/relationships", actor="us", as_of=before.isoformat()).json()
    new = fresh.api.get("/relationships", actor="us").json()

    assert old["items"] == rebuilt_as_of(fresh, before, "us", None)["edges"]
    assert old["items"] != new["items"]
    assert (
        fresh.api.get("/relationships", actor="us", as_of="2000-01-01T00:00:00Z").json()["items"]
        == []
    )
