"""Prometheus metrics: requests by route template, the log head, view lag and stops, group
commits."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from infra.ledger.group_commit import GroupCommitter
from service.deps import LedgerDep, ReadModelDep

router = APIRouter(tags=["operations"])


class Metrics:
    """One registry per app (several apps in one process must not share counters)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "claimtrail_http_requests",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "claimtrail_http_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5),
        )
        self.head = Gauge(
            "claimtrail_log_position",
            "position of the last event in the log",
            registry=self.registry,
        )
        self.lag = Gauge(
            "claimtrail_view_lag_events",
            "events a view has still to process",
            ["view"],
            registry=self.registry,
        )
        self.stuck = Gauge(
            "claimtrail_view_stuck_position",
            "position of the event a view is stopped at (it cannot apply it); 0: not stopped",
            ["view"],
            registry=self.registry,
        )
        self.batches = Gauge(
            "claimtrail_group_commit_batches", "shared transactions so far", registry=self.registry
        )
        self.grouped = Gauge(
            "claimtrail_group_commit_commands",
            "commands saved through group commit so far",
            registry=self.registry,
        )
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def children(self, method: str, route: str, status: int) -> tuple[Any, Any]:
        """The request counter and latency histogram of these labels, kept: `labels()` takes
        a lock and builds its key on every call."""
        key = (method, route, status)
        found = self._children.get(key)
        if found is None:
            found = (
                self.requests.labels(method, route, str(status)),
                self.latency.labels(method, route),
            )
            if len(self._children) < 1000:  # methods are the client's to choose
                self._children[key] = found
        return found


class Measure:
    """Counts and times every request (a plain ASGI middleware: a `BaseHTTPMiddleware` costs
    a task group and a memory stream per request)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = [500]

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            metrics: Metrics = scope["app"].state.metrics
            route = str(getattr(scope.get("route"), "path", "unmatched"))
            counter, timer = metrics.children(scope["method"], route, status[0])
            counter.inc()
            timer.observe(time.perf_counter() - began)


@router.get(
    "/metrics", response_class=Response, responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}}
)
def metrics(request: Request, ledger: LedgerDep, read_model: ReadModelDep) -> Response:
    """Prometheus text exposition."""
    state: Metrics = request.app.state.metrics
    head = read_model.head()
    state.head.set(head)
    stuck = read_model.projector.stuck()
    for view, position in read_model.projector.positions().items():
        state.lag.labels(view).set(max(0, head - position))
        state.stuck.labels(view).set(stuck[view].position if view in stuck else 0)
    if isinstance(ledger.executor, GroupCommitter):
        state.batches.set(ledger.executor.batches)
        state.grouped.set(ledger.executor.grouped)
    return Response(generate_latest(state.registry), media_type=CONTENT_TYPE_LATEST)
