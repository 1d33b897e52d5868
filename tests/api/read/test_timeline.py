"""GET /timeline over HTTP: the entry shape, each filter, both axes, both orders, as_of."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from domain.values import PartialDate
from tests.api.helpers import assert_invalid, assert_problem
from tests.api.read.conftest import (
    ALSO_IN_GUARDIAN,
    DISPUTED,
    RETRACTED,
    REVIEWED_FALSE,
    Seeded,
)
from tests.api.read.support import every_item

ENTRY = {
    "position",
    "recorded_at",
    "occurred_on",
    "type",
    "claim_id",
    "source_id",
    "actors",
    "summary",
    "by",
    "by_name",
}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def timeline(world: Seeded, **params: Any) -> list[Any]:
    return every_item(world.api, "/timeline", limit=9, **params)


def at(entry: Any) -> datetime:
    return datetime.fromisoformat(entry["recorded_at"])


def test_every_entry_has_the_documented_shape(world: Seeded) -> None:
    entries = timeline(world)

    assert entries
    for entry in entries:
        assert set(entry) == ENTRY
        assert isinstance(entry["position"], int) and entry["position"] > 0
        assert entry["recorded_at"].endswith("Z") and at(entry).tzinfo is not None
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", entry["type"])
        assert entry["claim_id"] is None or UUID.match(entry["claim_id"])
        assert entry["source_id"] is None or UUID.match(entry["source_id"])
        assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", a) for a in entry["actors"])
        assert isinstance(entry["summary"], str) and 0 < len(entry["summary"]) <= 300
        assert UUID.match(entry["by"])
        if entry["occurred_on"] is not None:
            PartialDate.parse(entry["occurred_on"])


def test_a_recorded_claim_names_its_claim_source_date_and_every_actor_in_it(world: Seeded) -> None:
    key = "xi-putin-met-in-beijing-for-olympics-opening"
    [entry] = timeline(world, claim_id=world.ids[key], type="claim.recorded")

    assert entry["source_id"] == world.blog_id
    assert entry["occurred_on"] == "2022-02-04"
    assert entry["actors"] == [
        "vladimir-putin",
        "xi-jinping",
        "genevieve-weiss",
        "china",
        "russia",
        "beijing-2022-winter-olympics",
    ]
    assert world.claims[key].statement in entry["summary"]


def test_the_recorded_axis_is_position_order_and_desc_reverses_it(world: Seeded) -> None:
    ascending = timeline(world)
    descending = timeline(world, order="desc")

    positions = [e["position"] for e in ascending]
    assert positions == sorted(set(positions))
    assert descending == ascending[::-1]
    assert {
        "source.registered",
        "actor.registered",
        "claim.recorded",
        "claim.reviewed",
        "claim.disputed",
        "claim.retracted",
        "claim.appearance_added",
    } == {e["type"] for e in ascending}


def test_the_actor_filter_keeps_entries_that_involve_the_actor(world: Seeded) -> None:
    entries = timeline(world, actor="nato")

    assert all("nato" in e["actors"] for e in entries)
    assert [e["type"] for e in entries if e["claim_id"] is None] == ["actor.registered"]
    recorded = {e["claim_id"] for e in entries if e["type"] == "claim.recorded"}
    assert recorded == {
        world.ids[k]
        for k, c in world.claims.items()
        if "nato" in [c.subject, c.object, c.claimant, *c.about]
    }


def test_with_keeps_only_entries_that_involve_both_actors(world: Seeded) -> None:
    entries = timeline(world, actor="china", **{"with": "russia"})

    assert entries
    assert all({"china", "russia"} <= set(e["actors"]) for e in entries)
    assert {e["claim_id"] for e in entries} == {
        world.ids[k]
        for k, c in world.claims.items()
        if {"china", "russia"} <= {c.subject, c.object, c.claimant, *c.about}
    }


def test_the_claim_filter_gives_the_claims_history(world: Seeded) -> None:
    claim_id = world.ids[REVIEWED_FALSE]
    history = world.api.get(f"/claims/{claim_id}/history").json()["items"]

    entries = timeline(world, claim_id=claim_id)

    assert [(e["position"], e["type"]) for e in entries] == [
        (h["position"], h["type"]) for h in history
    ]
    assert [e["type"] for e in entries] == ["claim.recorded", "claim.reviewed"]


def test_the_source_filter_keeps_the_source_and_claim_events_quoting_it(world: Seeded) -> None:
    entries = timeline(world, source_id=world.guardian_id)

    assert [(e["type"], e["claim_id"]) for e in entries] == [
        ("source.registered", None),
        ("claim.appearance_added", world.ids[ALSO_IN_GUARDIAN]),
    ]


@pytest.mark.parametrize(
    ("event_type", "key"),
    [
        ("claim.disputed", DISPUTED),
        ("claim.retracted", RETRACTED),
        ("claim.reviewed", REVIEWED_FALSE),
    ],
)
def test_the_type_filter_keeps_one_kind_of_event(world: Seeded, event_type: str, key: str) -> None:
    entries = timeline(world, type=event_type)

    assert [(e["type"], e["claim_id"]) for e in entries] == [(event_type, world.ids[key])]


def test_since_and_until_bound_the_recording_time_inclusively(world: Seeded) -> None:
    everything = timeline(world)
    early, late = everything[len(everything) // 4], everything[3 * len(everything) // 4]

    since = timeline(world, since=early["recorded_at"])
    until = timeline(world, until=late["recorded_at"])
    window = timeline(world, since=early["recorded_at"], until=late["recorded_at"])

    assert since == [e for e in everything if at(e) >= at(early)]
    assert until == [e for e in everything if at(e) <= at(late)]
    assert window == [e for e in everything if at(early) <= at(e) <= at(late)]
    assert early in window and late in window and len(window) < len(everything)


def test_as_of_gives_the_entries_recorded_up_to_that_time(world: Seeded) -> None:
    everything = timeline(world)
    moment = everything[len(everything) // 2]

    as_of = timeline(world, as_of=moment["recorded_at"])

    assert as_of == [e for e in everything if at(e) <= at(moment)]
    assert as_of[-1]["position"] >= moment["position"]
    assert timeline(world, as_of="2000-01-01T00:00:00Z") == []


@pytest.mark.parametrize("hours", [-5, 2, 14])
def test_times_with_any_offset_mean_the_same_instant(world: Seeded, hours: int) -> None:
    everything = timeline(world)
    moment = at(everything[len(everything) // 3])
    elsewhere = moment.astimezone(timezone(timedelta(hours=hours))).isoformat()

    assert timeline(world, since=elsewhere) == timeline(world, since=moment.isoformat())
    assert timeline(world, as_of=elsewhere) == [e for e in everything if at(e) <= moment]


def test_the_occurred_axis_orders_dated_claim_entries_by_the_time_they_are_about(
    world: Seeded,
) -> None:
    entries = timeline(world, axis="occurred")

    dated = [e for e in timeline(world) if e["occurred_on"] is not None]
    assert sorted(e["position"] for e in entries) == sorted(e["position"] for e in dated)
    keys = [(PartialDate.parse(e["occurred_on"]).sort_key, e["position"]) for e in entries]
    assert keys == sorted(keys)
    days = [e["occurred_on"] for e in entries]
    assert (
        days.index("2014-05")
        < days.index("2022")
        < days.index("2022-02")
        < days.index("2022-02-04")
    )
    assert max(i for i, d in enumerate(days) if d == "2014-05") < min(
        i for i, d in enumerate(days) if d == "2022-02-04"
    )


def test_the_occurred_axis_in_desc_order_is_the_reverse(world: Seeded) -> None:
    ascending = timeline(world, axis="occurred")

    assert timeline(world, axis="occurred", order="desc") == ascending[::-1]


def test_the_occurred_axis_combines_with_filters(world: Seeded) -> None:
    entries = timeline(world, axis="occurred", actor="china", type="claim.recorded", order="desc")

    assert entries and all("china" in e["actors"] for e in entries)
    keys = [(PartialDate.parse(e["occurred_on"]).sort_key, e["position"]) for e in entries]
    assert keys == sorted(keys, reverse=True)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("axis", "sideways"),
        ("order", "up"),
        ("type", "Claim.Disputed"),
        ("type", "disputed"),
        ("since", "2022-02-04T00:00:00"),
        ("until", "yesterday"),
        ("as_of", "2022-02-04"),
        ("claim_id", "not-a-uuid"),
        ("actor", "China"),
        ("with", "a b"),
        ("limit", "0"),
    ],
)
def test_a_malformed_filter_is_a_422_problem(world: Seeded, name: str, value: str) -> None:
    assert_invalid(world.api.get("/timeline", **{name: value}), "query", name)


def test_a_malformed_cursor_is_a_400_problem(world: Seeded) -> None:
    assert_problem(world.api.get("/timeline", cursor="@@@"), 400, "invalid-cursor")
    claims_cursor = world.api.get("/claims", limit=1).json()["next_cursor"]
    assert_problem(world.api.get("/timeline", cursor=claims_cursor), 400, "invalid-cursor")
