"""Claim use cases: record a claim and every command of its lifecycle."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from domain.claim_parts import Evidence
from domain.claims import Claim
from domain.values import (
    ActorRef,
    Appearance,
    ClaimKind,
    DisputeOutcome,
    LinkRelation,
    PartialDate,
    Quantity,
    Rating,
)
from domain.vocabulary import Verdict, resolve_relation
from infra.languages import language_tag, maybe_language_tag
from infra.ledger.actors import Actors
from infra.ledger.claim_inputs import EvidenceInput, Quote
from infra.ledger.claim_reads import ClaimReads
from infra.ledger.context import Context, Outcome
from infra.ledger.core import LedgerCore
from infra.ledger.errors import ReferenceNotFoundError
from infra.ledger.sources import Sources


class Claims(ClaimReads):
    """Record a claim and every command of its lifecycle (and, from ClaimReads, read it)."""

    def __init__(self, core: LedgerCore, actors: Actors, sources: Sources) -> None:
        super().__init__(core)
        self.actors, self.sources = actors, sources

    def record(
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
        language: str | None = None,
    ) -> Outcome[Claim]:
        """`language` (a valid BCP-47 tag) defaults to the quoted source's."""
        claim_id = ctx.keyed_id("claim")

        def build() -> list[Any]:
            return [
                Claim.record(
                    claim_id,
                    meta=ctx.meta,
                    statement=statement,
                    kind=kind,
                    subject=self.actors.resolve(subject),
                    relation=resolve_relation(relation),
                    object=self._maybe_actor(object),
                    about=[self.actors.resolve(a) for a in about or []],
                    claimant=self._maybe_actor(claimant),
                    occurred_on=occurred_on,
                    quantities=list(quantities or []),
                    tags=list(tags or []),
                    appearance=self._anchor(appearance),
                    negated=negated,
                    **self._language(language, appearance),
                )
            ]

        return self.core.create(Claim, claim_id, ctx, build)

    def add_appearance(self, ctx: Context, claim_id: UUID, quote: Quote) -> Outcome[Claim]:
        appearance = self._anchor(quote)
        return self.core.amend(
            Claim, claim_id, ctx, lambda c: c.add_appearance(appearance, meta=ctx.meta)
        )

    def add_evidence(self, ctx: Context, claim_id: UUID, given: EvidenceInput) -> Outcome[Claim]:
        evidence = self._evidence(ctx, given)
        return self.core.amend(
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

    def dispute(
        self, ctx: Context, claim_id: UUID, *, reason: str, evidence: EvidenceInput | None = None
    ) -> Outcome[Claim]:
        attached = self._evidence(ctx, evidence) if evidence is not None else None
        dispute_id = uuid4()
        return self.core.amend(
            Claim,
            claim_id,
            ctx,
            lambda c: c.dispute(dispute_id, reason=reason, evidence=attached, meta=ctx.meta),
        )

    def resolve_dispute(
        self, ctx: Context, claim_id: UUID, dispute_id: UUID, *, outcome: DisputeOutcome, note: str
    ) -> Outcome[Claim]:
        return self.core.amend(
            Claim,
            claim_id,
            ctx,
            lambda c: c.resolve_dispute(dispute_id, outcome=outcome, note=note, meta=ctx.meta),
        )

    def review(
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
        return self.core.amend(
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

    def correct(
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
        return self.core.amend(
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

    def retract(self, ctx: Context, claim_id: UUID, *, reason: str) -> Outcome[Claim]:
        return self.core.amend(
            Claim, claim_id, ctx, lambda c: c.retract(reason=reason, role=ctx.role, meta=ctx.meta)
        )

    def link(
        self, ctx: Context, claim_id: UUID, *, target_id: UUID, relation: LinkRelation
    ) -> Outcome[Claim]:
        if target_id != claim_id and not isinstance(self._maybe_claim(target_id), Claim):
            raise ReferenceNotFoundError(
                f"claim {target_id} does not exist", target_id=str(target_id)
            )
        return self.core.amend(
            Claim, claim_id, ctx, lambda c: c.link(target_id, relation=relation, meta=ctx.meta)
        )

    def _maybe_actor(self, name: str | None) -> ActorRef | None:
        return self.actors.resolve(name) if name is not None else None

    def _language(self, given: str | None, quote: Quote) -> dict[str, str]:
        """The claim's language: the one given, else its source's (a valid tag), else none."""
        if given is not None:
            return {"language": language_tag(given)}
        language = maybe_language_tag(self.sources.get(quote.source_id).language)
        return {"language": language} if language else {}

    def _anchor(self, quote: Quote) -> Appearance:
        return self.sources.anchor(quote.source_id, quote.exact, quote.prefix, quote.suffix)

    def _evidence(self, ctx: Context, given: EvidenceInput) -> Evidence:
        quote = None
        if given.source_id is not None:
            if given.exact is not None:
                quote = self.sources.anchor(
                    given.source_id, given.exact, given.prefix, given.suffix
                )
            else:
                self.sources.referenced(given.source_id)
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
