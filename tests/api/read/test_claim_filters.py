"""GET /claims over HTTP: every filter, their combinations, bad input, keyset pages and Link."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest

from domain.vocabulary import resolve_relation
from infra.seeding import SeedClaim
from tests.api.helpers import assert_invalid, assert_problem
from tests.api.read.conftest import (
    ALSO_IN_GUARDIAN,
    DISPUTED,
    RETRACTED,
    REVIEWED_FALSE,
    Seeded,
)
from tests.api.read.support import every_item, every_page, next_link


def listed(world: Seeded, **params: Any) -> set[str]:
    """Seed keys of the claims GET /claims lists with these filters (all pages)."""
    return world.keys(every_item(world.api, "/claims", limit=7, **params))


def seeded(world: Seeded, predicate: Callable[[SeedClaim], bool]) -> set[str]:
    return {key for key, claim in world.claims.items() if predicate(claim)}


def roles(claim: SeedClaim) -> list[str | None]:
    return [claim.subject, claim.object, claim.claimant, *claim.about]


def test_every_claim_is_listed_once_in_the_order_it_was_recorded(world: Seeded) -> None:
    items = every_item(world.api, "/claims", limit=4)

    assert [item["id"] for item in items] == list(world.ids.values())


@pytest.mark.parametrize(
    "actor", ["nato", "china", "us", "genevieve-weiss", "ukraine", "beijing-2022-winter-olympics"]
)
def test_the_actor_filter_matches_the_actor_as_subject_object_claimant_or_about(
    world: Seeded, actor: str
) -> None:
    expected = seeded(world, lambda c: actor in roles(c))

    assert listed(world, actor=actor) == expected
    assert expected  # every actor above appears somewhere


def test_the_actor_filter_finds_an_actor_that_is_only_talked_about(world: Seeded) -> None:
    found = listed(world, actor="nato")

    assert "china-shares-indivisible-security-stance" in found  # nato only in `about`
    assert "russia-demands-security-guarantees" in found  # nato as the object


@pytest.mark.parametrize(
    ("role", "actor"),
    [
        ("subject", "us"),
        ("subject", "vladimir-putin"),
        ("object", "china"),
        ("object", "nato"),
        ("claimant", "yuri-ushakov"),
        ("claimant", "david-shullman"),
    ],
)
def test_the_subject_object_and_claimant_filters_match_only_that_role(
    world: Seeded, role: str, actor: str
) -> None:
    expected = seeded(world, lambda c: getattr(c, role) == actor)

    assert listed(world, **{role: actor}) == expected
    assert expected


@pytest.mark.parametrize(
    ("slug", "code"), [("supports", "051"), ("boycotts", "163"), ("cooperates_economically", "061")]
)
def test_the_relation_filter_takes_a_slug_or_its_cameo_code(
    world: Seeded, slug: str, code: str
) -> None:
    assert listed(world, relation=slug) == seeded(world, lambda c: c.relation == slug)
    assert listed(world, relation=code) == seeded(
        world, lambda c: resolve_relation(c.relation).cameo == code
    )


def test_a_cameo_code_shared_by_two_relations_matches_claims_of_both(world: Seeded) -> None:
    found = listed(world, relation="163")

    assert {"us-diplomatic-boycott-of-games", "uk-diplomatic-boycott-of-games"} < found
    assert any(world.claims[key].relation == "sanctions" for key in found)


@pytest.mark.parametrize(
    ("status", "keys"),
    [
        ("reviewed", {REVIEWED_FALSE}),
        ("disputed", {DISPUTED}),
        ("retracted", {RETRACTED}),
    ],
)
def test_the_status_filter_matches_the_claims_current_status(
    world: Seeded, status: str, keys: set[str]
) -> None:
    assert listed(world, status=status) == keys


def test_claims_never_reviewed_disputed_or_retracted_have_status_recorded(world: Seeded) -> None:
    assert listed(world, status="recorded") == set(world.claims) - {
        REVIEWED_FALSE,
        DISPUTED,
        RETRACTED,
    }


def test_the_verdict_filter_matches_the_newest_review(world: Seeded) -> None:
    assert listed(world, verdict="false") == {REVIEWED_FALSE}
    assert listed(world, verdict="true") == set()


@pytest.mark.parametrize("kind", ["fact", "quote", "opinion", "prediction"])
def test_the_kind_filter(world: Seeded, kind: str) -> None:
    assert listed(world, kind=kind) == seeded(world, lambda c: c.kind.value == kind)


def test_the_source_filter_matches_any_appearance_of_the_claim(world: Seeded) -> None:
    assert listed(world, source_id=world.guardian_id) == {ALSO_IN_GUARDIAN}
    assert listed(world, source_id=world.blog_id) == set(world.claims)


def test_the_tag_filter(world: Seeded) -> None:
    expected = seeded(world, lambda c: "olympics" in c.tags)

    assert listed(world, tag="olympics") == expected
    assert len(expected) == 6


@pytest.mark.parametrize("q", ["quasi-alliance", "QUASI-ALLIANCE", "Quasi-Alliance"])
def test_q_searches_statements_without_regard_to_case(world: Seeded, q: str) -> None:
    expected = seeded(world, lambda c: "quasi-alliance" in c.statement.casefold())

    assert listed(world, q=q) == expected
    assert len(expected) == 2


@pytest.mark.parametrize("q", ["%", "_", "\\", "100%"])
def test_q_treats_like_wildcards_as_plain_characters(world: Seeded, q: str) -> None:
    assert listed(world, q=q) == seeded(world, lambda c: q in c.statement)


@pytest.mark.parametrize(
    ("given", "within"),
    [
        ({"occurred_to": "2021"}, lambda d: d < "2022"),
        ({"occurred_from": "2014", "occurred_to": "2014-12-31"}, lambda d: d.startswith("2014")),
        ({"occurred_from": "2022"}, lambda d: d.startswith("2022")),
        ({"occurred_from": "2022-02", "occurred_to": "2022-02"}, lambda d: d.startswith("2022-02")),
        ({"occurred_from": "2022-02-04", "occurred_to": "2022-02-04"}, lambda d: d == "2022-02-04"),
    ],
)
def test_the_occurred_range_keeps_claims_about_a_time_inside_it(
    world: Seeded, given: dict[str, str], within: Callable[[str], bool]
) -> None:
    expected = seeded(world, lambda c: c.occurred_on is not None and within(c.occurred_on))

    assert listed(world, **given) == expected
    assert expected


def test_claims_with_no_occurred_date_are_left_out_of_any_range(world: Seeded) -> None:
    undated = seeded(world, lambda c: c.occurred_on is None)

    assert undated
    assert not undated & listed(world, occurred_from="0001")


def test_filters_combine_as_and(world: Seeded) -> None:
    expected = seeded(
        world,
        lambda c: (
            "china" in roles(c)
            and c.relation == "supports"
            and c.kind.value == "quote"
            and "ukraine-crisis" in c.tags
        ),
    )

    assert (
        listed(world, actor="china", relation="051", kind="quote", tag="ukraine-crisis") == expected
    )
    assert len(expected) == 2
    assert listed(
        world, subject="russia", object="nato", claimant="genevieve-weiss", q="opposes"
    ) == seeded(
        world,
        lambda c: (
            (c.subject, c.object, c.claimant) == ("russia", "nato", "genevieve-weiss")
            and "opposes" in c.statement.casefold()
        ),
    )
    assert listed(world, actor="ukraine", status="recorded") == set()  # retracted


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("status", "bogus"),
        ("verdict", "maybe"),
        ("kind", "rumour"),
        ("source_id", "not-a-uuid"),
        ("occurred_from", "2022-13"),
        ("occurred_to", "02/2022"),
        ("actor", "Not A Slug"),
    ],
)
def test_a_filter_value_outside_its_domain_is_a_422_problem(
    world: Seeded, name: str, value: str
) -> None:
    response = world.api.get("/claims", **{name: value})

    assert_invalid(response, "query", name)


def test_an_unknown_relation_is_a_422_problem(world: Seeded) -> None:
    assert_problem(world.api.get("/claims", relation="hugs"), 422)
    assert_problem(world.api.get("/claims", relation="999"), 422)


@pytest.mark.parametrize(
    "cursor",
    [
        "!!not base64!!",
        "bm90IGpzb24",
        base64.urlsafe_b64encode(b'{"a": 1}').decode(),
        base64.urlsafe_b64encode(b'"text"').decode(),
        base64.urlsafe_b64encode(b"true").decode(),
    ],
)
def test_a_malformed_cursor_is_a_400_problem(world: Seeded, cursor: str) -> None:
    body = assert_problem(world.api.get("/claims", cursor=cursor), 400)

    assert body["type"].endswith("invalid-cursor")


def test_a_cursor_of_another_list_is_a_400_problem(world: Seeded) -> None:
    timeline = world.api.get("/timeline", limit=1).json()["next_cursor"]

    assert_problem(world.api.get("/claims", cursor=timeline), 400, "invalid-cursor")


@pytest.mark.parametrize("limit", [0, -1, 501, 10**6])
def test_limit_outside_1_to_500_is_a_422_problem(world: Seeded, limit: int) -> None:
    assert_invalid(world.api.get("/claims", limit=limit), "query", "limit")


@pytest.mark.parametrize("limit", [1, 500])
def test_limit_inside_1_to_500_is_accepted(world: Seeded, limit: int) -> None:
    response = world.api.get("/claims", limit=limit)

    assert response.status_code == 200
    assert len(response.json()["items"]) == min(limit, len(world.claims))


def test_the_default_limit_is_50(world: Seeded) -> None:
    body = world.api.get("/claims").json()

    assert len(body["items"]) == len(world.claims) < 50
    assert body["next_cursor"] is None


def test_a_page_with_more_after_it_links_to_the_next_and_the_last_page_does_not(
    world: Seeded,
) -> None:
    first = world.api.get("/claims", limit=10, kind="fact")
    link = next_link(first)
    assert link is not None and first.json()["next_cursor"] is not None
    assert link.startswith("/claims?") and "kind=fact" in link and "limit=10" in link

    last = world.api.client.get(link)

    assert last.status_code == 200
    assert last.json()["next_cursor"] is None
    assert "Link" not in last.headers
    ids = [c["id"] for c in first.json()["items"] + last.json()["items"]]
    assert world.keys([{"id": i} for i in ids]) == seeded(world, lambda c: c.kind.value == "fact")
    assert len(ids) == len(set(ids)) == 14


def test_pages_split_exactly_at_the_limit(world: Seeded) -> None:
    pages = every_page(world.api, "/claims", limit=len(world.claims))

    assert [len(page) for page in pages] == [len(world.claims)]
