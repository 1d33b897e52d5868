"""Importing ClaimReview items: each creates or reuses its source, claimant and claim, and adds
its review, all in one transaction (an item is never half-imported). An item's key derives
from its content, so importing the same file twice changes nothing."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.actors import Actor, fold_name
from domain.base import LedgerAggregate
from domain.claims import Claim
from domain.errors import DomainError, UnknownActorError
from domain.reservations import Reservation
from domain.sources import Source, canonical_url
from domain.values import ActorKind, ActorRef, Appearance, ClaimKind, Meta, SourceKind
from domain.vocabulary import resolve_relation
from infra.claimreview.parse import ImportItemError, ParsedReview, claim_reviews, parse
from infra.ledger.actors import NAME, actor_uuid
from infra.ledger.application import Ledger
from infra.ledger.context import Context, Outcome, Pending
from infra.ledger.sources import URL

UNATTRIBUTED = "Unattributed"


@dataclass(frozen=True)
class ItemResult:
    index: int
    status: str  # imported | unchanged | error
    claim_id: UUID | None = None
    review_id: UUID | None = None
    position: int | None = None
    error: str | None = None


def _key(item: dict[str, Any]) -> str:
    canonical = json.dumps(item, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "claimreview:" + hashlib.sha256(canonical.encode()).hexdigest()


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:50].strip("-")
    return slug or "actor-" + hashlib.sha256(name.encode()).hexdigest()[:8]


class ClaimReviewImport:
    """The import use case, over a ledger."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def import_document(self, ctx: Context, document: Any) -> list[ItemResult]:
        """Import every ClaimReview in a document; a bad item is reported, never half-written."""
        results = []
        for index, item in enumerate(claim_reviews(document)):
            try:
                outcome = self.import_claim_review(ctx, parse(item))
            except (ImportItemError, DomainError) as exc:
                results.append(ItemResult(index, "error", error=str(exc)))
                continue
            results.append(
                ItemResult(
                    index,
                    "unchanged" if outcome.replayed else "imported",
                    outcome.aggregate.id,
                    getattr(outcome.event, "review_id", None),
                    outcome.position,
                )
            )
        return results

    def import_claim_review(self, ctx: Context, parsed: ParsedReview) -> Outcome[Claim]:
        key = _key(parsed.original)
        keyed = Meta(ctx.principal_id, ctx.request_id, key, key)
        plain = Meta(ctx.principal_id, ctx.request_id)

        def attempt() -> Outcome[Claim] | Pending[Claim]:
            fresh: list[LedgerAggregate] = []
            source_id = self._import_source(parsed, plain, fresh)
            claimant = self._import_claimant(parsed, plain, fresh)
            claim_id = uuid5(
                NAMESPACE_URL,
                "claimtrail:claimreview-claim:"
                f"{fold_name(parsed.statement)}|{claimant.id}|{source_id}",
            )
            review_id = uuid5(NAMESPACE_URL, key)
            existing = self.ledger.find(Claim, claim_id)
            if existing is not None:
                claim = existing
                if any(r.review_id == review_id for r in claim.reviews):
                    return self._already_imported(claim, review_id)
            else:
                claim = Claim.record(
                    claim_id,
                    meta=plain,
                    statement=parsed.statement,
                    kind=ClaimKind.QUOTE if parsed.claimant else ClaimKind.FACT,
                    subject=claimant,
                    relation=resolve_relation("makes_statement"),
                    object=None,
                    about=[],
                    claimant=claimant if parsed.claimant else None,
                    occurred_on=parsed.claim_date,
                    quantities=[],
                    tags=["claimreview"],
                    appearance=Appearance(source_id, parsed.statement, "", "", None, None, None),
                    **({"language": parsed.language} if parsed.language else {}),
                )
            claim.review(
                review_id,
                verdict=parsed.verdict,
                label=parsed.label,
                explanation=parsed.explanation,
                url=parsed.review_url,
                rating=parsed.rating,
                role=ctx.role,
                meta=keyed,
                original=parsed.original,
            )
            return Pending([claim, *fresh], created=claim.version == 2)

        result: Outcome[Claim] = self.ledger.executor.execute(attempt)
        return result

    # -- helpers -----------------------------------------------------------------------------

    def _already_imported(self, claim: Claim, review_id: UUID) -> Outcome[Claim]:
        """An item's identity is its content, whoever imports it: the first import's outcome."""
        for event in self.ledger.events.get(claim.id):
            if getattr(event, "review_id", None) == review_id:
                version = event.originator_version
                return Outcome(
                    self.ledger.load(Claim, claim.id, version),
                    event,
                    self.ledger.position_of(claim.id, version),
                    replayed=True,
                )
        raise AssertionError("a review the claim has must have its event")  # pragma: no cover

    def _import_source(
        self, parsed: ParsedReview, meta: Meta, fresh: list[LedgerAggregate]
    ) -> UUID:
        url = parsed.appearance_url or parsed.review_url
        if url is None:
            raise ImportItemError("no url for where the claim appeared (nor for the review)")
        existing = self.ledger.sources.find(url)
        if existing is not None:
            return existing.id
        canonical = canonical_url(url)
        source_id = uuid5(NAMESPACE_URL, f"claimtrail:claimreview-source:{canonical}")
        fresh += [
            Source.register(
                source_id,
                url=url,
                title=(parsed.appearance_title or url)[:500],
                meta=meta,
                publisher=None,
                authors=[],
                published_on=parsed.claim_date,
                kind=SourceKind.ARTICLE,
                language=parsed.language,
                cites=[],
            ),
            Reservation.make(kind=URL, value=canonical, holder_id=source_id, meta=meta),
        ]
        return source_id

    def _import_claimant(
        self, parsed: ParsedReview, meta: Meta, fresh: list[LedgerAggregate]
    ) -> ActorRef:
        name = (parsed.claimant or UNATTRIBUTED)[:200]
        try:
            return self.ledger.actors.resolve(name)
        except UnknownActorError:
            pass
        slug = _slug(name)
        if self.ledger.exists(actor_uuid(slug)):
            slug = f"{slug[:54]}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
        kind = (
            ActorKind.PERSON
            if parsed.claimant_is_person
            else (ActorKind.ORGANIZATION if parsed.claimant else ActorKind.OTHER)
        )
        actor = Actor.register(
            actor_id=actor_uuid(slug),
            slug=slug,
            name=name,
            kind=kind,
            aliases=[],
            external_ids={},
            affiliations=[],
            meta=meta,
        )
        fresh += [
            actor,
            *(
                Reservation.make(kind=NAME, value=fold_name(n), holder_id=actor.id, meta=meta)
                for n in {fold_name(x): x for x in actor.names}.values()
            ),
        ]
        return ActorRef(slug, name)
