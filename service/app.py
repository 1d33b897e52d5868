"""The composition root: `create_app(settings)` builds everything; nothing is built at import."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from infra.ledger.application import open_ledger
from infra.projections.read_model import ReadModel, run_in_thread, wakeup_for
from infra.projections.similar_lookups import SimilarLookups
from infra.webhooks import dispatcher as webhooks
from infra.webhooks import state as webhook_state
from infra.webhooks.secrets import load_sealer
from service import collector, errors, metrics, openapi
from service.limits import BodySizeLimit
from service.responses import JSON
from service.routes import (
    actors,
    audit,
    claim_commands,
    claim_workflow,
    claims,
    health,
    imports,
    organizations,
    people,
    principals,
    relationships,
    similar,
    sources,
    timeline,
    web,
)
from service.routes import webhooks as webhooks_routes
from service.settings import Settings

log = logging.getLogger("claimtrail")

DESCRIPTION = """An event-sourced claims ledger for fact-checkers.

Every write is an immutable event. Writes answer with `position`, the global log position of the
last event written. Errors are `application/problem+json` (RFC 9457). Authenticate with
`Authorization: Bearer <token>`."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ledger = open_ledger(settings.database_url)
        token = ledger.principals.bootstrap_admin()
        if token is not None and settings.print_admin_token:
            # Shown once, ever: only its hash is stored.
            print(
                f"\nclaimtrail: created the first admin principal. Its token (shown once):\n"
                f"  {token}\n",
                flush=True,
            )
        if settings.group_commit:
            ledger.group_commits()
        ledger.principals.keep_principals(settings.auth_poll_seconds)
        read_model = ReadModel(ledger, batch_size=settings.projection_batch or None)
        read_model.projector.backoff = settings.view_backoff()
        ledger.webhooks.use(
            load_sealer(settings.webhook_key_file), allow_private=settings.webhook_allow_private
        )
        webhook_state.create(read_model.store)
        app.state.ledger, app.state.read_model = ledger, read_model
        app.state.similar_lookups = lookups = SimilarLookups(read_model).start()
        projector = delivering = None
        if settings.projections == "inprocess":
            wakeup = wakeup_for(ledger, settings.database_url)
            projector = run_in_thread(read_model, wakeup)
            # Webhooks are delivered where the projections run, never in a request.
            dispatcher = webhooks.Dispatcher(ledger, read_model.store, settings.delivery_config())
            delivering = webhooks.run_in_thread(dispatcher)
        try:
            with collector.tuned_for_serving():
                yield
        finally:
            if delivering is not None:
                webhooks.stop_thread(delivering, dispatcher)
            if projector is not None:
                thread, stop = projector
                stop.set()
                thread.join(timeout=10)
                wakeup.close()
            lookups.stop()
            ledger.stop_group_commits()
            ledger.principals.forget_principals()
            ledger.close()

    app = FastAPI(
        title="claimtrail",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        default_response_class=JSON,
    )
    app.state.settings, app.state.metrics = settings, metrics.Metrics()
    errors.install(app)
    # Routes are matched in this order, router by router: the busiest writes first.
    for module in (
        claims,
        claim_commands,
        claim_workflow,
        principals,
        webhooks_routes,
        organizations,
        people,
        sources,
        actors,
        similar,
        imports,
        timeline,
        relationships,
        health,
        web,
    ):
        app.include_router(module.router)
    app.include_router(audit.router)
    app.include_router(metrics.router)
    app.router.routes.insert(0, claims.RecordClaim())  # POST /claims without FastAPI's dependencies
    app.add_middleware(metrics.Measure)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        # Outermost, so refusals (413, NUL) carry CORS headers too. Tokens travel in a
        # header, never in cookies: credentials stay off.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "Idempotency-Key",
                "Last-Event-ID",
                "X-Request-Id",
            ],
            expose_headers=["ETag", "Location", "Link", "Idempotent-Replayed", "Retry-After"],
        )
    openapi.install(app)
    return app
