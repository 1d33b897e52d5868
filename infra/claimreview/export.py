"""schema.org ClaimReview JSON-LD for a claim's latest review."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.claims import Claim
from domain.errors import NotFoundError
from domain.values import ActorRef
from infra.store.event_types import plain

if TYPE_CHECKING:  # the Ledger composes this module's callers
    from infra.ledger.application import Ledger


def _author(ref: ActorRef | None, ledger: Ledger) -> dict[str, Any] | None:
    if ref is None:
        return None
    actor = ledger.get_actor(ref.id)
    kind = "Person" if actor.kind.value == "person" else "Organization"
    author: dict[str, Any] = {"@type": kind, "name": actor.name}
    if qid := actor.external_ids.get("wikidata"):
        author["sameAs"] = f"https://www.wikidata.org/wiki/{qid}"
    return author


def claim_review(ledger: Ledger, claim: Claim, base_url: str) -> dict[str, Any]:
    review = claim.verdict
    if review is None:
        raise NotFoundError("the claim has no review yet")
    sources = [ledger.get_source(a.source_id) for a in claim.appearances]
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": review.label}
    if review.rating is not None:
        rating |= {
            "ratingValue": plain(review.rating.value),
            "bestRating": plain(review.rating.best),
            "worstRating": plain(review.rating.worst),
        }
    item: dict[str, Any] = {
        "@type": "Claim",
        "appearance": [
            {"@type": "CreativeWork", "url": s.url, "headline": s.title} for s in sources
        ],
    }
    if author := _author(claim.claimant, ledger):
        item["author"] = author
    published = [s.published_on for s in sources if s.published_on is not None]
    if published:
        item["datePublished"] = str(min(published))
    original = review.original or {}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review.url or f"{base_url}/claims/{claim.id}",
        "claimReviewed": claim.statement,
        "itemReviewed": item,
        "reviewRating": rating,
        "reviewBody": review.explanation,
        # An imported review keeps its fact-checker and date; ours name the reviewer.
        "author": original.get("author") or _reviewer(ledger, review.reviewed_by),
        "datePublished": _text(original.get("datePublished"))
        or review.reviewed_at.date().isoformat(),
    }


def _reviewer(ledger: Ledger, principal_id: UUID) -> dict[str, str]:
    try:
        return {"@type": "Person", "name": ledger.get_principal(principal_id).name}
    except NotFoundError:  # a review written by a principal that no longer resolves
        return {"@type": "Organization", "name": "claimtrail"}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
