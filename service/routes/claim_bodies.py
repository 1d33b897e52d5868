"""A claim's JSON as the API answers it: the body the claims view stores
(infra/projections/claim_json.py) with each review's organization named, `organization:
{id, name}` beside `organization_id` (null for a review of no organization), so a reader
without an account learns who reviewed. Names are read from the ledger (remembered: no event
renames an organization), so the stored bodies and the views' digests keep their shape."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.claims import Claim
from infra.ledger.application import Ledger
from infra.ledger.context import Outcome
from infra.projections.claim_json import claim_body
from service.responses import JSON, written


def with_organizations(ledger: Ledger, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    reviews = [review for body in bodies for review in body["reviews"]]
    ids = {UUID(r["organization_id"]) for r in reviews if r["organization_id"]}
    names = ledger.organizations.names(ids) if ids else {}
    for review in reviews:
        held = review["organization_id"]
        name = names.get(UUID(held)) if held else None
        review["organization"] = None if name is None else {"id": held, "name": name}
    return bodies


def claim_json(ledger: Ledger, claim: Claim) -> dict[str, Any]:
    return with_organizations(ledger, [claim_body(claim)])[0]


def claim_answer(ledger: Ledger, outcome: Outcome[Claim], status: int = 200, **ids: str) -> JSON:
    """A claim command's answer: the claim's body, the ids the command made, its ETag."""
    return written(outcome, {**claim_json(ledger, outcome.aggregate), **ids}, status=status)
