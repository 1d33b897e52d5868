"""The claimtrail Application: every use case, composed from one module per aggregate."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.claims import Claim
from infra.claimreview.export import claim_review
from infra.claimreview.importer import ImportCommands
from infra.integrity import guard
from infra.ledger.principals import PrincipalCommands
from infra.store.database import DEFAULT_URL, environment, setup_lock


class Ledger(ImportCommands, PrincipalCommands):
    """Commands (load -> act -> save) and queries over the event store."""

    # eventsourcing names every Application subclass after its class unless the class itself
    # sets a name: this one names the tables (PostgreSQL `claimtrail_events`) and the log.
    name = "claimtrail"

    def export_claim_reviews(self, base_url: str) -> list[dict[str, Any]]:
        """ClaimReview JSON-LD of every reviewed claim, in the order first reviewed."""
        seen: dict[UUID, None] = {}
        start = 0
        while batch := self.recorder.select_notifications(
            start=start, limit=500, topics=[get_topic(Claim.Reviewed)], inclusive_of_start=False
        ):
            seen.update({UUID(str(n.originator_id)): None for n in batch})
            start = batch[-1].id
        return [claim_review(self, self.get_claim(claim_id), base_url) for claim_id in seen]


def open_ledger(database_url: str = DEFAULT_URL) -> Ledger:
    """A ledger on the database the url names (tables are created if missing)."""
    with setup_lock(database_url):
        ledger = Ledger(env=environment(database_url))
        guard.prepare(ledger.recorder)  # append-only events on PostgreSQL; the checkpoints table
    return ledger
