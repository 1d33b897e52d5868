"""schema.org ClaimReview JSON-LD for a claim's latest published review (drafts and unpublished
reviews are never exported)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.claims import Claim
from domain.errors import NotFoundError
from domain.values import ActorRef
from infra.ledger.application import Ledger
from infra.store.event_types import plain


def _author(ref: ActorRef | None, ledger: Ledger) -> dict[str, Any] | None:
    if ref is None:
        return None
    actor = ledger.actors.get(ref.id)
    kind = "Person" if actor.kind.value == "person" else "Organization"
    author: dict[str, Any] = {"@type": kind, "name": actor.name}
    if qid := actor.external_ids.get("wikidata"):
        author["sameAs"] = f"https://www.wikidata.org/wiki/{qid}"
    return author


def claim_review(ledger: Ledger, claim: Claim, base_url: str) -> dict[str, Any]:
    review = claim.verdict  # the review published last
    if review is None:
        raise NotFoundError("the claim has no published review")
    sources = [ledger.sources.get(a.source_id) for a in claim.appearances]
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
    language = {"inLanguage": claim.language} if claim.language else {}
    authorship = (
        {"author": original["author"]}
        if original.get("author")  # an imported review keeps its fact-checker
        else _authorship(ledger, review.reviewed_by, review.organization_id)
    )
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review.url or f"{base_url}/claims/{claim.id}",
        "claimReviewed": claim.statement,
        "itemReviewed": item,
        "reviewRating": rating,
        "reviewBody": review.explanation,
        **authorship,
        "datePublished": _text(original.get("datePublished"))
        or (review.published_at or review.reviewed_at).date().isoformat(),
        **language,
    }


def _authorship(ledger: Ledger, reviewer_id: UUID, organization_id: UUID | None) -> dict[str, Any]:
    """A review made for an organization is the organization's: `author` is the Organization,
    the reviewer is named as `contributor` (a Person). Consumers of fact-checks (Google's
    ClaimReview markup, the Fact Check Tools API's `claimReviewAuthor`/`publisher`) read `author`
    as the fact-checking organization, so it must be the organization alone; schema.org's
    `creator` is defined as the same as `author` (two authors would be ambiguous) and
    `Organization.member` lists members rather than who wrote this review, while `contributor`
    names the writer without changing the author. A review for no organization names its
    reviewer as `author`, as before organizations existed."""
    reviewer = _reviewer(ledger, reviewer_id)
    if organization_id is None:
        return {"author": reviewer}
    organization = ledger.organizations.get(organization_id)
    author = {
        "@type": "Organization",
        "name": organization.name,
        "identifier": str(organization.id),
    }
    return {"author": author, "contributor": reviewer}


def _reviewer(ledger: Ledger, principal_id: UUID) -> dict[str, str]:
    try:
        return {"@type": "Person", "name": ledger.principals.get(principal_id).display_name}
    except NotFoundError:  # a review written by a principal that no longer resolves
        return {"@type": "Organization", "name": "claimtrail"}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def export_claim_reviews(ledger: Ledger, base_url: str) -> list[dict[str, Any]]:
    """ClaimReview JSON-LD of every claim with a published review, in the order first
    reviewed (a claim whose reviews are all drafts or unpublished is left out)."""
    seen: dict[UUID, None] = {}
    start = 0
    while batch := ledger.recorder.select_notifications(
        start=start, limit=500, topics=[get_topic(Claim.Reviewed)], inclusive_of_start=False
    ):
        seen.update({UUID(str(n.originator_id)): None for n in batch})
        start = batch[-1].id
    claims = [ledger.claims.get(claim_id) for claim_id in seen]
    return [claim_review(ledger, claim, base_url) for claim in claims if claim.verdict is not None]
