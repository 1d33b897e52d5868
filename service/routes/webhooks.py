"""Webhooks (admin only): endpoints told about the log's events, and what was delivered to them.

The secret is in the answer to POST /webhooks only (and to a retry of it with the same
Idempotency-Key); every other answer leaves it out.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from domain.values import Role
from domain.webhooks import MAX_EVENT_TYPES, Webhook
from infra.store.event_types import plain
from infra.webhooks import state
from infra.webhooks.urls import MAX_URL
from service.deps import AdminContext, LedgerDep, ReadModelDep, require
from service.pagination import CursorParam, Limit, decode, page
from service.responses import JSON, resource, written

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
Admin = Depends(require(Role.ADMIN))
EventTypes = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=100)]],
    Field(
        min_length=1,
        max_length=MAX_EVENT_TYPES,
        description="public event names (`claim.disputed`), `claim.*` for every event of "
        "claims, or `*` for every event",
    ),
]


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Annotated[str, Field(min_length=1, max_length=MAX_URL, description="http(s)")]
    event_types: EventTypes


class EventTypesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_types: EventTypes


class DisableIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(max_length=1000)] | None = None


class WebhookOut(BaseModel):
    id: UUID
    url: str
    event_types: list[str]
    enabled: bool
    created_at: str
    created_by: UUID
    version: int
    acknowledged_position: int | None = None
    secret: str | None = Field(None, description="only in the answer to POST /webhooks")
    position: int | None = None


class WebhooksOut(BaseModel):
    items: list[WebhookOut]
    next_cursor: str | None


class DeliveryOut(BaseModel):
    position: int
    type: str
    message_id: str
    attempts: int
    status_code: int | None
    error: str | None
    first_attempt_at: str
    last_attempt_at: str
    delivered_at: str | None
    next_attempt_at: str | None


class DeliveriesOut(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None
    acknowledged_position: int | None


def webhook_body(webhook: Webhook) -> dict[str, Any]:
    return {
        "id": str(webhook.id),
        "url": webhook.url,
        "event_types": webhook.event_types,
        "enabled": webhook.enabled,
        "created_at": plain(webhook.created_on),
        "created_by": str(webhook.recorded_by),
        "version": webhook.version,
    }


@router.post("", status_code=201, response_model=WebhookOut)
def register_webhook(given: WebhookIn, ctx: AdminContext, ledger: LedgerDep) -> JSON:
    """Register an endpoint: every event of these types recorded from now on is sent to the
    url, signed (Standard Webhooks) with `secret`, which is shown only in this answer."""
    registered = ledger.webhooks.register(ctx, url=given.url, event_types=given.event_types)
    outcome = registered.outcome
    body = {**webhook_body(outcome.aggregate), "secret": registered.secret}
    return written(outcome, body, status=201, location=f"/webhooks/{outcome.aggregate.id}")


@router.get("", dependencies=[Admin], response_model=WebhooksOut)
def list_webhooks(
    request: Request, ledger: LedgerDep, limit: Limit = 50, cursor: CursorParam = None
) -> JSON:
    """The endpoints in the order they were registered."""
    found, next_key = ledger.webhooks.page(decode(cursor, int) or 0, limit)
    return page(request, [webhook_body(w) for _, w in found], next_key)


@router.get("/{webhook_id}", dependencies=[Admin], response_model=WebhookOut)
def get_webhook(webhook_id: UUID, ledger: LedgerDep, views: ReadModelDep) -> JSON:
    """The endpoint, and `acknowledged_position`: its receiver acknowledged every wanted
    event up to this log position."""
    webhook = ledger.webhooks.get(webhook_id)
    with views.store.transaction(commit=False) as cursor:
        acknowledged = state.acknowledged(cursor, str(webhook_id))
    return resource(
        {**webhook_body(webhook), "acknowledged_position": acknowledged}, webhook.version
    )


@router.post("/{webhook_id}/disable", response_model=WebhookOut)
def disable_webhook(
    webhook_id: UUID,
    ctx: AdminContext,
    ledger: LedgerDep,
    given: Annotated[DisableIn | None, Body()] = None,
) -> JSON:
    """Stop delivering (an endpoint already disabled: 409). Events recorded meanwhile are
    delivered once it is enabled again."""
    outcome = ledger.webhooks.disable(ctx, webhook_id, given.reason if given else None)
    return written(outcome, webhook_body(outcome.aggregate))


@router.post("/{webhook_id}/enable", response_model=WebhookOut)
def enable_webhook(webhook_id: UUID, ctx: AdminContext, ledger: LedgerDep) -> JSON:
    """Deliver again, from where it stopped (an endpoint already enabled: 409)."""
    outcome = ledger.webhooks.enable(ctx, webhook_id)
    return written(outcome, webhook_body(outcome.aggregate))


@router.post("/{webhook_id}/event-types", response_model=WebhookOut)
def change_event_types(
    webhook_id: UUID, given: EventTypesIn, ctx: AdminContext, ledger: LedgerDep
) -> JSON:
    """Deliver these types from now on (the same types again: 409)."""
    outcome = ledger.webhooks.change_event_types(ctx, webhook_id, given.event_types)
    return written(outcome, webhook_body(outcome.aggregate))


@router.get("/{webhook_id}/deliveries", dependencies=[Admin], response_model=DeliveriesOut)
def list_deliveries(
    request: Request,
    webhook_id: UUID,
    ledger: LedgerDep,
    views: ReadModelDep,
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> JSON:
    """Each event tried at the endpoint, in log order: attempts, the last answer (status code
    or error), when delivered, when it is tried next. Events not tried yet are not listed."""
    ledger.webhooks.get(webhook_id)  # 404 if there is no such endpoint
    with views.store.transaction(commit=False) as rows:
        items, next_key = state.deliveries(rows, str(webhook_id), decode(cursor, int) or 0, limit)
        acknowledged = state.acknowledged(rows, str(webhook_id))
    return page(request, items, next_key, acknowledged_position=acknowledged)
