"""Each read with `min_position` waits for the views its handler reads, and for no other: a
view stopped at an event (or slow) must not hold up reads it takes no part in."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, get_args

from fastapi import routing
from fastapi.dependencies.models import Dependant

import service.routes
from infra.projections.read_model import ViewName, all_views
from service.deps import Freshness

WAITS = {
    "GET /claims": ("claims",),
    "GET /claims/{claim_id}/similar": ("similar",),  # the claim itself from the log
    "GET /timeline": ("timeline", "people"),  # `by_name` from the people view
    "GET /people": ("people",),
    "GET /people/{principal_id}": ("people",),
    "GET /actors": ("actors",),
    "GET /sources/{source_id}/candidates": ("actors",),
    "GET /relationships": ("relationships",),  # the actor named from the log
    "GET /relationships/graph": ("relationships", "actors"),  # nodes' names and kinds
    "GET /relationships/{a}/{b}": ("relationships",),
    "GET /relationships/{a}/{b}/history": ("relationships",),
    "GET /audit/log": ("audit",),
    "GET /audit/checkpoint": ("audit",),
    "GET /audit/checkpoints": ("audit",),
    "GET /audit/proofs/inclusion": ("audit",),
    "GET /audit/proofs/consistency": ("audit",),
}


def _freshness(dependant: Dependant) -> Freshness | None:
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, Freshness):
            return dependency.call
        found = _freshness(dependency)
        if found is not None:
            return found
    return None


def _routes() -> list[Any]:
    routes = []
    for module in pkgutil.iter_modules(service.routes.__path__):
        router = getattr(importlib.import_module(f"service.routes.{module.name}"), "router", None)
        if router is not None:
            routes += [r for r in router.routes if isinstance(r, routing.APIRoute)]
    return routes


def test_each_read_with_min_position_waits_for_exactly_the_views_it_reads() -> None:
    waits = {}
    for route in _routes():
        freshness = _freshness(route.dependant)
        if freshness is not None:
            for method in route.methods:
                waits[f"{method} {route.path}"] = freshness.views

    assert waits == WAITS


def test_the_names_a_route_may_wait_for_are_the_views() -> None:
    assert set(get_args(ViewName)) == {view.name for view in all_views()}
