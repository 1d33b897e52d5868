"""Reviews as webhooks: a `claim.reviewed` is sent when a review is published, never for a draft.

As everywhere else, only published reviews count (README, "Editorial workflow"). A review
saved as a draft is delivered to no endpoint. When it is published (or a review unpublished
before is published again), an endpoint that wants `claim.reviewed` is sent the review then: a
`claim.reviewed` with the review's fields (`state: "published"`) and the publication's
position, version, time and principal, so receivers of `claim.reviewed` get the same body
whether a review was published at once or drafted first. An endpoint that wants
`claim.review_published` but not `claim.reviewed` is sent the publication event itself.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from eventsourcing.utils import get_topic

from domain.claims import Claim
from domain.values import ReviewState
from domain.webhooks import wants
from infra.ledger.application import Ledger
from infra.store.event_types import type_name

REVIEWED, PUBLISHED = type_name(Claim.Reviewed), type_name(Claim.ReviewPublished)


def extra_topics(event_types: list[str]) -> list[str]:
    """The topics `claim.reviewed` stands for beyond its own (publications), if not asked for."""
    if wants(event_types, REVIEWED) and not wants(event_types, PUBLISHED):
        return [get_topic(Claim.ReviewPublished)]
    return []


def as_delivered(ledger: Ledger, event_types: list[str], event: Any) -> Any | None:
    """The event an endpoint with these types is sent for `event`; None for none (a draft)."""
    if isinstance(event, Claim.Reviewed):
        return event if event.state == ReviewState.PUBLISHED.value else None
    if isinstance(event, Claim.ReviewPublished) and wants(event_types, REVIEWED):
        return _published_review(ledger, event)
    return event


def _published_review(ledger: Ledger, publication: Any) -> Any:
    """The review's own event, as published: at the publication's version, time and principal."""
    reviews = (
        e
        for e in ledger.events.get(publication.originator_id, lte=publication.originator_version)
        if isinstance(e, Claim.Reviewed) and e.review_id == publication.review_id
    )
    review: Any = next(reviews)
    return replace(
        review,
        state=ReviewState.PUBLISHED.value,
        originator_version=publication.originator_version,
        timestamp=publication.timestamp,
        meta=publication.meta,
    )
