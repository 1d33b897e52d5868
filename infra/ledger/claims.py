"""Claim use cases: record a claim and every command of its lifecycle.

The commands are written once and run two ways: `ledger.claims` runs each one and answers its
Outcome; `ledger.claim_plans` answers it as a Planned command, which an async endpoint runs with
`await ledger.run_async(planned)` (the attempt on the event loop or a worker thread, the save
awaited from the writer).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from domain.base import LedgerAggregate
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
    Role,
)
from domain.vocabulary import Verdict, resolve_relation
from infra.ids import new_uuid
from infra.languages import language_tag, maybe_language_tag
from infra.ledger.actors import Actors
from infra.ledger.claim_inputs import EvidenceInput, Quote
from infra.ledger.claim_reads import ClaimReads
from infra.ledger.claim_workflow import WorkflowCommands
from infra.ledger.context import Context, Planned
from infra.ledger.core import LedgerCore
from infra.ledger.errors import ReferenceNotFoundError
from infra.ledger.organizations import Organizations
from infra.ledger.sources import Sources

R = TypeVar("R")


def planned(command: Planned[Claim]) -> Planned[Claim]:
    """How `ledger.claim_plans` runs a command: it does not, it hands it back."""
    return command


class Claims(ClaimReads, WorkflowCommands[R], Generic[R]):
    """Record a claim and every command of its lifecycle (and, from ClaimReads, read it; from
    WorkflowCommands, its editorial workflow). `run` turns each planned command into what the
    method answers."""

    def __init__(
        self,
        core: LedgerCore,
        actors: Actors,
        sources: Sources,
        run: Callable[[Planned[Claim]], R],
        organizations: Organizations,
    ) -> None:
        super().__init__(core)
        self.actors, self.sources, self.run = actors, sources, run
        self.organizations = organizations

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
    ) -> R:
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

        named = [subject, *(about or []), *(n for n in (object, claimant) if n is not None)]
        in_memory = self.sources.kept(appearance.source_id) and all(
            self.actors.resolved(n) for n in named
        )
        planned = self.core.creating(Claim, claim_id, ctx, build)
        return self.run(replace(planned, reads=planned.reads or not in_memory))

    def add_appearance(self, ctx: Context, claim_id: UUID, quote: Quote) -> R:
        appearance = self._anchor(quote)
        return self._amend(claim_id, ctx, lambda c: c.add_appearance(appearance, meta=ctx.meta))

    def add_evidence(self, ctx: Context, claim_id: UUID, given: EvidenceInput) -> R:
        evidence = self._evidence(ctx, given)
        return self._amend(
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
    ) -> R:
        attached = self._evidence(ctx, evidence) if evidence is not None else None
        dispute_id = new_uuid()
        return self._amend(
            claim_id,
            ctx,
            lambda c: c.dispute(dispute_id, reason=reason, evidence=attached, meta=ctx.meta),
        )

    def resolve_dispute(
        self, ctx: Context, claim_id: UUID, dispute_id: UUID, *, outcome: DisputeOutcome, note: str
    ) -> R:
        return self._amend(
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
        draft: bool = False,
        organization_id: UUID | None = None,
    ) -> R:
        """A review, published at once unless a `draft`, on behalf of the reviewer's
        organization (`organization_id` picks one of several); a principal of none reviews
        by its global role, as always."""
        review_id = new_uuid()

        def act(claim: Claim) -> None:
            acting = self.organizations.acting_for(ctx, organization_id, Role.REVIEWER)
            role = self.organizations.role_for(ctx, acting)
            claim.review(
                review_id,
                verdict=verdict,
                label=label or verdict.value.replace("_", " ").title(),
                explanation=explanation,
                url=url,
                rating=rating,
                role=role,
                meta=ctx.meta,
                draft=draft,
                organization_id=acting,
            )

        return self._amend(claim_id, ctx, act)

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
    ) -> R:
        resolved = resolve_relation(relation) if relation is not None else None
        obj = self._maybe_actor(object)
        return self._amend(
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

    def retract(self, ctx: Context, claim_id: UUID, *, reason: str) -> R:
        return self._amend(
            claim_id,
            ctx,
            lambda c: c.retract(reason=reason, role=ctx.role, meta=ctx.meta),
        )

    def link(self, ctx: Context, claim_id: UUID, *, target_id: UUID, relation: LinkRelation) -> R:
        if target_id != claim_id and not isinstance(self._maybe_claim(target_id), Claim):
            raise ReferenceNotFoundError(
                f"claim {target_id} does not exist", target_id=str(target_id)
            )
        return self._amend(
            claim_id, ctx, lambda c: c.link(target_id, relation=relation, meta=ctx.meta)
        )

    def _amend(
        self, claim_id: UUID, ctx: Context, act: Callable[[Claim], list[LedgerAggregate] | None]
    ) -> R:
        return self.run(self.core.amending(Claim, claim_id, ctx, act))

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
            new_uuid(),
            given.stance,
            given.note,
            given.source_id,
            quote,
            given.url,
            ctx.principal_id,
            datetime.now(UTC),
        )
