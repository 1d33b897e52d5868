"""Webhook use cases: register an endpoint, disable and enable it, change its event types.

The secret is made here, sealed into the Registered event, and handed back in clear only to
the one who registered it (and to a retry of that same request with its Idempotency-Key).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.base import LedgerAggregate
from domain.webhooks import Webhook, event_type_list
from infra.ledger.context import Context, Outcome
from infra.ledger.core import LedgerCore
from infra.webhooks.secrets import Sealer, load_sealer, new_secret
from infra.webhooks.types import check_event_types
from infra.webhooks.urls import check_url


@dataclass(frozen=True)
class Registration:
    outcome: Outcome[Webhook]
    secret: str


class Webhooks:
    def __init__(self, core: LedgerCore) -> None:
        self.core = core
        self._sealer: Sealer | None = None
        self.allow_private = False  # CLAIMTRAIL_WEBHOOK_ALLOW_PRIVATE, set by the service

    @property
    def sealer(self) -> Sealer:
        """The server's webhook key ($CLAIMTRAIL_WEBHOOK_KEY_FILE), read on first use."""
        if self._sealer is None:
            self._sealer = load_sealer()
        return self._sealer

    def use(self, sealer: Sealer, *, allow_private: bool) -> None:
        self._sealer, self.allow_private = sealer, allow_private

    def register(self, ctx: Context, *, url: str, event_types: list[str]) -> Registration:
        check_url(url, allow_private=self.allow_private)
        check_event_types(event_type_list(event_types))
        webhook_id = ctx.keyed_id("webhook")
        secret = new_secret()

        def build() -> list[LedgerAggregate]:
            sealed = self.sealer.seal(secret, webhook_id)
            return [
                Webhook.register(
                    webhook_id,
                    url=url,
                    event_types=event_types,
                    sealed_secret=sealed,
                    meta=ctx.meta,
                )
            ]

        outcome = self.core.create(Webhook, webhook_id, ctx, build)
        if outcome.replayed:  # the same request again: the same answer, its secret included
            return Registration(outcome, self.secret(outcome.aggregate))
        return Registration(outcome, secret)

    def disable(self, ctx: Context, webhook_id: UUID, reason: str | None) -> Outcome[Webhook]:
        return self.core.amend(
            Webhook, webhook_id, ctx, lambda w: w.disable(meta=ctx.meta, reason=reason)
        )

    def enable(self, ctx: Context, webhook_id: UUID) -> Outcome[Webhook]:
        return self.core.amend(Webhook, webhook_id, ctx, lambda w: w.enable(meta=ctx.meta))

    def change_event_types(
        self, ctx: Context, webhook_id: UUID, event_types: list[str]
    ) -> Outcome[Webhook]:
        check_event_types(event_type_list(event_types))
        return self.core.amend(
            Webhook,
            webhook_id,
            ctx,
            lambda w: w.change_event_types(event_types, meta=ctx.meta),
        )

    def get(self, webhook_id: UUID) -> Webhook:
        return self.core.load(Webhook, webhook_id)

    def secret(self, webhook: Webhook) -> str:
        return self.sealer.open(webhook.sealed_secret, webhook.id)

    def page(self, after: int, limit: int) -> tuple[list[tuple[int, Webhook]], int | None]:
        """Endpoints in the order they were registered, with the position of their
        registration: a keyset page after position `after`."""
        notes = self.core.recorder.select_notifications(
            start=after,
            limit=limit + 1,
            topics=[get_topic(Webhook.Registered)],
            inclusive_of_start=False,
        )
        found = [(n.id, self.get(UUID(str(n.originator_id)))) for n in notes[:limit]]
        return found, notes[limit - 1].id if len(notes) > limit else None
