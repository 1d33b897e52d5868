"""Plain helpers for the domain tests: a Meta, an Appearance and a recorded Claim in one call."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from domain.claims import Claim
from domain.values import ActorRef, Appearance, ClaimKind, Meta, Role
from domain.vocabulary import Verdict, resolve_relation

SEED_TEXT = (Path(__file__).parents[2] / "seeds" / "xi-putin-summit-2022.txt").read_text(
    encoding="utf-8"
)
QUOTE = "Beijing supports Russia's demands on security guarantees"


def meta(
    principal_id: UUID | None = None, *, key: str | None = None, request_hash: str | None = None
) -> Meta:
    return Meta(principal_id or uuid4(), f"req-{uuid4().hex[:8]}", key, request_hash)


def appearance(exact: str = QUOTE) -> Appearance:
    return Appearance(uuid4(), exact, "", "", None, None, None)


def record_claim(
    recorder: UUID | None = None, *, key: str | None = None, **overrides: Any
) -> Claim:
    """China -supports-> Russia, recorded by `recorder` (a fresh principal by default)."""
    fields: dict[str, Any] = {
        "statement": "China supports Russia's security demands",
        "kind": ClaimKind.QUOTE,
        "subject": ActorRef("china", "China"),
        "relation": resolve_relation("supports"),
        "object": ActorRef("russia", "Russia"),
        "about": [],
        "claimant": None,
        "occurred_on": None,
        "quantities": [],
        "tags": [],
        "appearance": appearance(),
        **overrides,
    }
    return Claim.record(uuid4(), meta=meta(recorder, key=key), **fields)


def review(claim: Claim, verdict: Verdict = Verdict.MOSTLY_TRUE, **fields: Any) -> None:
    """A review by a fresh reviewer (label, explanation, url and rating may be given)."""
    given = {"label": verdict.value, "explanation": "checked", "url": None, "rating": None}
    claim.review(uuid4(), verdict=verdict, role=Role.REVIEWER, meta=meta(), **{**given, **fields})


def open_dispute(claim: Claim) -> UUID:
    """Opens a dispute by a fresh principal and returns its id."""
    dispute_id = uuid4()
    claim.dispute(dispute_id, reason="the aide never said it", evidence=None, meta=meta())
    return dispute_id


def replay(aggregate: Any) -> Any:
    """The aggregate rebuilt from the events it has collected (collecting them)."""
    rebuilt = None
    for event in aggregate.collect_events():
        rebuilt = event.mutate(rebuilt)
    return rebuilt
