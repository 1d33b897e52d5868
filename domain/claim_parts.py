"""What a claim accumulates: evidence, disputes, reviews and links (frozen value objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.values import Appearance, DisputeOutcome, LinkRelation, Rating, ReviewState, Stance
from domain.vocabulary import Verdict


@dataclass(frozen=True)
class Evidence:
    evidence_id: UUID
    stance: Stance
    note: str
    source_id: UUID | None
    quote: Appearance | None
    url: str | None
    added_by: UUID
    added_at: datetime


@dataclass(frozen=True)
class Dispute:
    dispute_id: UUID
    reason: str
    evidence: Evidence | None
    opened_by: UUID
    opened_at: datetime
    outcome: DisputeOutcome | None = None
    resolution_note: str | None = None
    resolved_by: UUID | None = None
    resolved_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.outcome is None


@dataclass(frozen=True)
class Review:
    review_id: UUID
    verdict: Verdict
    label: str
    explanation: str
    url: str | None
    rating: Rating | None
    reviewed_by: UUID
    reviewed_at: datetime
    original: dict[str, Any] | None = None
    state: str = ReviewState.PUBLISHED.value  # a ReviewState's value
    published_at: datetime | None = None  # when last published
    published_by: UUID | None = None
    published_seq: int | None = None  # the claim version that last published it: orders them
    unpublished_reason: str | None = None
    unpublished_at: datetime | None = None
    unpublished_by: UUID | None = None
    organization_id: UUID | None = None  # the author when the reviewer acted for one

    @property
    def is_published(self) -> bool:
        return self.state == ReviewState.PUBLISHED.value


@dataclass(frozen=True)
class Link:
    target_id: UUID
    relation: LinkRelation
    linked_by: UUID
    linked_at: datetime
