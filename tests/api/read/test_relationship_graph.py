"""GET /relationships/graph (every pair at once) and GET /relationships/{a}/{b}/history (a pair's
stance over time), the reads the web UI's graph and pair chart draw from."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.api.helpers import assert_invalid, assert_problem
from tests.api.read.conftest import DISPUTED, Seeded


def get(world: Seeded, path: str, **params: Any) -> Any:
    response = world.api.get(path, **params)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_graph_holds_every_edge_of_every_actor_with_its_counts(world: Seeded) -> None:
    graph = get(world, "/relationships/graph")
    ids = [node["id"] for node in graph["nodes"]]
    assert {"china", "russia", "nato", "us", "uk", "ukraine"} <= set(ids)
    assert graph["truncated"] is False
    expected = []
    for actor in ids:
        for edge in get(world, "/relationships", actor=actor)["items"]:
            if edge["source"] == actor:  # each edge once, from its source
                expected.append(
                    {
                        k: edge[k]
                        for k in ("source", "target", "relation", "claims", "active_claims")
                    }
                )
    key = lambda e: (e["source"], e["target"], e["relation"]["slug"])  # noqa: E731
    assert sorted(graph["edges"], key=key) == sorted(expected, key=key)
    china = next(n for n in graph["nodes"] if n["id"] == "china")
    assert china["name"] == "China" and china["kind"] == "state"
    assert china["active_claims"] == sum(
        e["active_claims"] for e in graph["edges"] if "china" in (e["source"], e["target"])
    )
    weights = [n["active_claims"] for n in graph["nodes"]]
    assert weights == sorted(weights, reverse=True)


def test_the_graph_keeps_the_busiest_actors_and_only_edges_between_them(world: Seeded) -> None:
    everything = get(world, "/relationships/graph")
    top = get(world, "/relationships/graph", limit=2)
    assert [n["id"] for n in top["nodes"]] == [n["id"] for n in everything["nodes"][:2]]
    kept = {n["id"] for n in top["nodes"]}
    assert top["edges"] and all({e["source"], e["target"]} <= kept for e in top["edges"])
    assert top["truncated"] is True


def test_the_graph_as_of_before_anything_was_recorded_is_empty(world: Seeded) -> None:
    graph = get(world, "/relationships/graph", as_of="2000-01-01T00:00:00Z")
    assert graph == {"nodes": [], "edges": [], "truncated": False}


@pytest.mark.parametrize(
    ("params", "loc"),
    [({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"as_of": "yesterday"}, "as_of")],
)
def test_bad_graph_parameters_are_422_problems(
    world: Seeded, params: dict[str, Any], loc: str
) -> None:
    assert_invalid(world.api.get("/relationships/graph", **params), "query", loc)


def test_the_pair_by_occurred_date_runs_from_the_gas_deal_to_the_summit(world: Seeded) -> None:
    pair = get(world, "/relationships/china/russia")
    history = get(world, "/relationships/china/russia/history")
    assert history["actors"] == pair["actors"] and history["as_of"] is None
    periods = [p["on"] for p in history["occurred"]]
    assert periods[0] == "2014-05" and "2022-02-04" in periods
    assert periods.index("2014-05") < periods.index("2022-02") < periods.index("2022-02-04")
    listed = sorted(i for p in history["occurred"] for i in p["claim_ids"])
    assert listed == pair["claim_ids"]
    last = history["occurred"][-1]["running"]
    assert {k: last[k] for k in ("score", "cooperation", "conflict")} == pair["stance"]


def test_each_recorded_moment_is_the_pair_as_of_that_moment(world: Seeded) -> None:
    history = get(world, "/relationships/china/russia/history")
    points = history["recorded"]
    assert len(points) >= 2
    assert [p["at"] for p in points] == sorted(p["at"] for p in points)
    for point in points:
        then = get(world, "/relationships/china/russia", as_of=point["at"])
        assert {k: point[k] for k in ("score", "cooperation", "conflict")} == then["stance"]
        assert point["claims"] == sum(e["active_claims"] for e in then["edges"])
    now = get(world, "/relationships/china/russia")["stance"]
    assert {k: points[-1][k] for k in ("score", "cooperation", "conflict")} == now
    # The dispute on the quasi-alliance claim halved its weight: cooperation fell at that moment.
    cooperation = [p["cooperation"] for p in points]
    assert any(b < a for a, b in itertools.pairwise(cooperation)), DISPUTED


def test_history_as_of_stops_at_that_moment_and_reads_the_claims_valid_then(world: Seeded) -> None:
    points = get(world, "/relationships/china/russia/history")["recorded"]
    middle = points[len(points) // 2]["at"]
    history = get(world, "/relationships/china/russia/history", as_of=middle)
    assert history["as_of"] == middle
    assert history["recorded"] == [p for p in points if p["at"] <= middle]
    then = get(world, "/relationships/china/russia", as_of=middle)
    assert sorted(i for p in history["occurred"] for i in p["claim_ids"]) == then["claim_ids"]


def test_history_of_an_unknown_actor_is_a_404_and_a_bad_as_of_a_422(world: Seeded) -> None:
    assert_problem(world.api.get("/relationships/china/atlantis/history"), 404)
    assert_invalid(
        world.api.get("/relationships/china/russia/history", as_of="soon"), "query", "as_of"
    )
