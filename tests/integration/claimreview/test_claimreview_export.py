"""Only published reviews are exported as ClaimReview: never a draft, never an unpublished one."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.errors import NotFoundError
from domain.values import Role
from domain.vocabulary import Verdict
from infra.claimreview.export import claim_review, export_claim_reviews
from infra.ledger.application import Ledger
from tests import factories

BASE = "https://claimtrail.example"


def _review(ledger: Ledger, claim_id: UUID, verdict: Verdict, *, draft: bool = False) -> UUID:
    outcome = ledger.claims.review(
        factories.context(Role.REVIEWER),
        claim_id,
        verdict=verdict,
        label=None,
        explanation=f"{verdict.value}, as checked",
        draft=draft,
    )
    review_id: UUID = outcome.event.review_id  # type: ignore[attr-defined]
    return review_id


def _exported(ledger: Ledger) -> dict[str, str]:
    """claimReviewed -> the rating exported for it."""
    return {
        r["claimReviewed"]: r["reviewRating"]["alternateName"]
        for r in export_claim_reviews(ledger, BASE)
    }


def test_drafts_and_unpublished_reviews_are_not_exported(ledger: Ledger) -> None:
    drafted = factories.claim(ledger, statement="Only a draft")
    unpublished = factories.claim(ledger, statement="Published, then taken back")
    published = factories.claim(ledger, statement="Published")
    _review(ledger, drafted.id, Verdict.FALSE, draft=True)
    taken_back = _review(ledger, unpublished.id, Verdict.FALSE)
    ledger.claims.unpublish_review(
        factories.context(Role.REVIEWER), unpublished.id, taken_back, "premature"
    )
    _review(ledger, published.id, Verdict.TRUE)

    assert _exported(ledger) == {"Published": "True"}
    for claim in (drafted, unpublished):
        with pytest.raises(NotFoundError):
            claim_review(ledger, ledger.claims.get(claim.id), BASE)


def test_a_newer_draft_leaves_the_published_review_exported(ledger: Ledger) -> None:
    claim = factories.claim(ledger, statement="Checked twice")
    _review(ledger, claim.id, Verdict.MOSTLY_TRUE)
    _review(ledger, claim.id, Verdict.FALSE, draft=True)

    assert _exported(ledger) == {"Checked twice": "Mostly True"}


def test_a_draft_once_published_is_exported_with_the_day_it_was_published(
    ledger: Ledger,
) -> None:
    claim = factories.claim(ledger, statement="Drafted first")
    review_id = _review(ledger, claim.id, Verdict.MISLEADING, draft=True)
    outcome = ledger.claims.publish_review(factories.context(Role.REVIEWER), claim.id, review_id)

    [exported] = export_claim_reviews(ledger, BASE)

    assert exported["reviewRating"]["alternateName"] == "Misleading"
    assert exported["datePublished"] == outcome.event.timestamp.date().isoformat()
