"""Reading a claim: now, at a version, as of a moment; its history with log positions."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.claims import Claim
from infra.ledger.core import LedgerCore
from infra.ledger.errors import AggregateMissingError
from infra.store.positions import event_positions


class ClaimReads:
    def __init__(self, core: LedgerCore) -> None:
        self.core = core

    def get(
        self, claim_id: UUID, *, version: int | None = None, as_of: datetime | None = None
    ) -> Claim:
        if as_of is None:
            return self.core.load(Claim, claim_id, version)
        claim: Any = None
        for event in self.core.events.get(claim_id, lte=version):
            assert isinstance(event, Claim.Event)
            if event.timestamp > as_of:
                break
            claim = event.mutate(claim)
        if not isinstance(claim, Claim):
            raise AggregateMissingError(f"claim {claim_id} did not exist at {as_of.isoformat()}")
        return claim

    def history(self, claim_id: UUID) -> list[tuple[int, Any]]:
        """[(position, event)] of one claim, oldest first."""
        self.core.load(Claim, claim_id)
        positions = self.positions(claim_id)
        return [(positions[e.originator_version], e) for e in self.core.events.get(claim_id)]

    # -- helpers -----------------------------------------------------------------------------

    def positions(self, aggregate_id: UUID) -> dict[int, int]:
        return event_positions(self.core.recorder, aggregate_id)

    def _maybe_claim(self, claim_id: UUID) -> Claim | None:
        try:
            return self.core.load(Claim, claim_id)
        except AggregateMissingError:
            return None
