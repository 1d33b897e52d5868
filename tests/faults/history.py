"""A log to project, written fast: claims between a handful of actors, each with evidence, a
resolved dispute, two reviews and a correction, saved many claims per transaction."""

from __future__ import annotations

from uuid import uuid4

from domain.claims import Claim
from domain.values import ClaimKind, DisputeOutcome, Role, Stance
from domain.vocabulary import Verdict, resolve_relation
from infra.ledger.application import open_ledger
from tests import factories

RELATIONS = ["supports", "opposes", "meets", "cooperates_economically", "threatens"]
VERDICTS = [Verdict.TRUE, Verdict.MIXED, Verdict.FALSE, Verdict.MISLEADING]
EVENTS_PER_CLAIM = 8


def write_history(database_url: str, claims: int, per_save: int = 50) -> int:
    """Write `claims` claims (EVENTS_PER_CLAIM events each); the head of the log afterwards."""
    ledger = open_ledger(database_url)
    try:
        ctx = factories.context(Role.CONTRIBUTOR)
        meta, reviewer = ctx.meta, factories.context(Role.REVIEWER).meta
        actors = [
            ledger.actors.resolve(factories.actor(ledger, ctx, slug=f"actor-{i}").slug)
            for i in range(8)
        ]
        appearance = ledger.sources.anchor(
            factories.source(ledger, ctx).id, factories.QUOTE, "", ""
        )
        for first in range(0, claims, per_save):
            batch = []
            for i in range(first, min(first + per_save, claims)):
                claim = Claim.record(
                    uuid4(),
                    meta=meta,
                    statement=f"Claim number {i}",
                    kind=ClaimKind.QUOTE,
                    subject=actors[i % 8],
                    relation=resolve_relation(RELATIONS[i % 5]),
                    object=actors[(i * 3 + 1) % 8],
                    about=[],
                    claimant=None,
                    occurred_on=None,
                    quantities=[],
                    tags=[f"t{i % 5}"],
                    appearance=appearance,
                    negated=False,
                )
                for stance in (Stance.SUPPORTS, Stance.REFUTES):
                    claim.add_evidence(
                        uuid4(),
                        stance=stance,
                        note=f"evidence on {i}",
                        source_id=None,
                        quote=None,
                        url=None,
                        meta=meta,
                    )
                dispute = uuid4()
                claim.dispute(dispute, reason=f"doubt {i}", evidence=None, meta=meta)
                claim.resolve_dispute(
                    dispute, outcome=DisputeOutcome.REJECTED, note="checked", meta=reviewer
                )
                for n in range(2):
                    claim.review(
                        uuid4(),
                        verdict=VERDICTS[(i + n) % 4],
                        label=f"label {n}",
                        explanation=f"review {n} of {i}",
                        url=None,
                        rating=None,
                        role=Role.REVIEWER,
                        meta=reviewer,
                    )
                claim.correct(
                    reason="typo", role=Role.CONTRIBUTOR, meta=meta, statement=f"Claim no. {i}"
                )
                batch.append(claim)
            ledger.save(*batch)
        return ledger.recorder.max_notification_id() or 0
    finally:
        ledger.close()
