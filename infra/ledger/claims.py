"""Claim use cases: record a claim and every command of its lifecycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from domain.claims import Claim, Evidence
from domain.values import (
    ActorRef,
    Appearance,
    ClaimKind,
    DisputeOutcome,
    LinkRelation,
    PartialDate,
    Quantity,
    Rating,
    Stance,
)
from domain.vocabulary import Verdict, resolve_relation
from infra.ledger.actors import ActorCommands
from infra.ledger.core import Context, Outcome
from infra.ledger.errors import AggregateMissingError, ReferenceNotFoundError
from infra.ledger.sources import SourceCommands
from infra.store.positions import event_positions


@dataclass(frozen=True)
class Quote:
    """A quote as a request gives it: a source and the words, with optional context."""

    source_id: UUID
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class EvidenceInput:
    stance: Stance
    note: str
    source_id: UUID | None = None
    exact: str | None = None
    prefix: str = ""
    suffix: str = ""
    url: str | None = None


class ClaimCommands(ActorCommands, SourceCommands):
    def record_claim(
        self,
        ctx: Context,
        *,
        statement: str,
        kind: ClaimKind,
        subject: str,
        relation: str,
        appearance: Quote,
        object: str | None = None,  # noqa: A002
        about: list[str] | None = None,
        claimant: str | None = None,
        occurred_on: PartialDate | None = None,
        quantities: list[Quantity] | None = None,
        tags: list[str] | None = None,
        negated: bool = False,
    ) -> Outcome[Claim]:
        claim_id = ctx.keyed_id("claim")

        def build() -> list[Any]:
            return [
                Claim.record(
                    claim_id,
                    meta=ctx.meta,
                    statement=statement,
                    kind=kind,
                    subject=self.resolve_actor(subject),
                    relation=resolve_relation(relation),
                    object=self._maybe_actor(object),
                    about=[self.resolve_actor(a) for a in about or []],
                    claimant=self._maybe_actor(claimant),
                    occurred_on=occurred_on,
                    quantities=list(quantities or []),
                    tags=list(tags or []),
                    appearance=self._anchor(appearance),
                    negated=negated,
                )
            ]

        return self.create(Claim, claim_id, ctx, build)

    def add_appearance(self, ctx: Context, claim_id: UUID, quote: Quote) -> Outcome[Claim]:
        appearance = self._anchor(quote)
        return self.amend(
            Claim, claim_id, ctx, lambda c: c.add_appearance(appearance, meta=ctx.meta)
        )

    def add_evidence(self, ctx: Context, claim_id: UUID, given: EvidenceInput) -> Outcome[Claim]:
        evidence = self._evidence(ctx, given)
        return self.amend(
            Claim,
            claim_id,
            ctx,
            lambda c: c.add_evidence(
                evidence.evidence_id,
                stance=evidence.stance,
                note=evidence.note,
                source_id=evidence.source_id,
                quote=evidence.quote,
                url=evidence.url,
                meta=ctx.meta,
            ),
        )

    def dispute_claim(
        self, ctx: Context, claim_id: UUID, *, reason: str, evidence: EvidenceInput | None = None
    ) -> Outcome[Claim]:
        attached = self._evidence(ctx, evidence) if evidence is not None else None
        dispute_id = uuid4()
        return self.amend(
            Claim,
            claim_id,
            ctx,
            lambda c: c.dispute(dispute_id, reason=reason, evidence=attached, meta=ctx.meta),
        )

    def resolve_dispute(
        self, ctx: Context, claim_id: UUID, dispute_id: UUID, *, outcome: DisputeOutcome, note: str
    ) -> Outcome[Claim]:
        return self.amend(
            Claim,
            claim_id,
            ctx,
            lambda c: c.resolve_dispute(dispute_id, outcome=outcome, note=note, meta=ctx.meta),
        )

    def review_claim(
        self,
        ctx: Context,
        claim_id: UUID,
        *,
        verdict: Verdict,
        label: str | None,
        explanation: str,
        url: str | None = None,
        rating: Rating | None = None,
    ) -> Outcome[Claim]:
        review_id = uuid4()
        return self.amend(
            Claim,
            claim_id,
            ctx,
            lambda c: c.review(
                review_id,
                verdict=verdict,
                label=label or verdict.value.replace("_", " ").title(),
                explanation=explanation,
                url=url,
                rating=rating,
                meta=ctx.meta,
            ),
        )

    def correct_claim(
        self,
        ctx: Context,
        claim_id: UUID,
        *,
        reason: str,
        statement: str | None = None,
        occurred_on: PartialDate | None = None,
        relation: str | None = None,
        object: str | None = None,  # noqa: A002
        quantities: list[Quantity] | None = None,
    ) -> Outcome[Claim]:
        resolved = resolve_relation(relation) if relation is not None else None
        obj = self._maybe_actor(object)
        return self.amend(
            Claim,
            claim_id,
            ctx,
            lambda c: c.correct(
                reason=reason,
                role=ctx.role,
                meta=ctx.meta,
                statement=statement,
                occurred_on=occurred_on,
                relation=resolved,
                object=obj,
                quantities=quantities,
            ),
        )

    def retract_claim(self, ctx: Context, claim_id: UUID, *, reason: str) -> Outcome[Claim]:
        return self.amend(
            Claim, claim_id, ctx, lambda c: c.retract(reason=reason, role=ctx.role, meta=ctx.meta)
        )

    def link_claim(
        self, ctx: Context, claim_id: UUID, *, target_id: UUID, relation: LinkRelation
    ) -> Outcome[Claim]:
        if target_id != claim_id and not isinstance(self._maybe_claim(target_id), Claim):
            raise ReferenceNotFoundError(
                f"claim {target_id} does not exist", target_id=str(target_id)
            )
        return self.amend(
            Claim, claim_id, ctx, lambda c: c.link(target_id, relation=relation, meta=ctx.meta)
        )

    # -- queries -----------------------------------------------------------------------------

    def get_claim(
        self, claim_id: UUID, *, version: int | None = None, as_of: datetime | None = None
    ) -> Claim:
        if as_of is None:
            return self.load(Claim, claim_id, version)
        claim: Any = None
        for event in self.events.get(claim_id, lte=version):
            assert isinstance(event, Claim.Event)
            if event.timestamp > as_of:
                break
            claim = event.mutate(claim)
        if not isinstance(claim, Claim):
            raise AggregateMissingError(f"claim {claim_id} did not exist at {as_of.isoformat()}")
        return claim

    def claim_history(self, claim_id: UUID) -> list[tuple[int, Any]]:
        """[(position, event)] of one claim, oldest first."""
        self.load(Claim, claim_id)
        positions = self.positions(claim_id)
        return [(positions[e.originator_version], e) for e in self.events.get(claim_id)]

    # -- helpers -----------------------------------------------------------------------------

    def positions(self, aggregate_id: UUID) -> dict[int, int]:
        return event_positions(self.recorder, aggregate_id)

    def _maybe_actor(self, name: str | None) -> ActorRef | None:
        return self.resolve_actor(name) if name is not None else None

    def _maybe_claim(self, claim_id: UUID) -> Claim | None:
        try:
            return self.load(Claim, claim_id)
        except AggregateMissingError:
            return None

    def _anchor(self, quote: Quote) -> Appearance:
        return self.anchor(quote.source_id, quote.exact, quote.prefix, quote.suffix)

    def _evidence(self, ctx: Context, given: EvidenceInput) -> Evidence:
        quote = None
        if given.source_id is not None:
            if given.exact is not None:
                quote = self.anchor(given.source_id, given.exact, given.prefix, given.suffix)
            else:
                self.referenced_source(given.source_id)
        return Evidence(
            uuid4(),
            given.stance,
            given.note,
            given.source_id,
            quote,
            given.url,
            ctx.principal_id,
            datetime.now(UTC),
        )
