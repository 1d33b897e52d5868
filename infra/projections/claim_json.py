"""The claim as JSON: the one representation served by the API and stored in the read views."""

from __future__ import annotations

from typing import Any

from domain.claim_parts import Dispute, Evidence, Review
from domain.claims import Claim
from infra.store.event_types import plain, uuid_text


def _evidence(e: Evidence) -> dict[str, Any]:
    return {
        "id": uuid_text(e.evidence_id),
        "stance": e.stance.value,
        "note": e.note,
        "source_id": plain(e.source_id),
        "quote": plain(e.quote),
        "url": e.url,
        "added_by": uuid_text(e.added_by),
        "added_at": plain(e.added_at),
    }


def _dispute(d: Dispute) -> dict[str, Any]:
    return {
        "id": uuid_text(d.dispute_id),
        "status": d.outcome.value if d.outcome else "open",
        "reason": d.reason,
        "evidence": _evidence(d.evidence) if d.evidence else None,
        "opened_by": uuid_text(d.opened_by),
        "opened_at": plain(d.opened_at),
        "resolution_note": d.resolution_note,
        "resolved_by": plain(d.resolved_by),
        "resolved_at": plain(d.resolved_at),
    }


def _review(r: Review) -> dict[str, Any]:
    return {
        "id": uuid_text(r.review_id),
        "verdict": r.verdict.value,
        "label": r.label,
        "explanation": r.explanation,
        "url": r.url,
        "rating": plain(r.rating),
        "reviewed_by": uuid_text(r.reviewed_by),
        "reviewed_at": plain(r.reviewed_at),
        "original": r.original,
        "state": r.state,
        "published_at": plain(r.published_at),
        "published_by": plain(r.published_by),
        "unpublished_reason": r.unpublished_reason,
        "unpublished_at": plain(r.unpublished_at),
        "unpublished_by": plain(r.unpublished_by),
        "organization_id": uuid_text(r.organization_id) if r.organization_id else None,
    }


def claim_body(claim: Claim) -> dict[str, Any]:
    verdict = claim.verdict
    return {
        "id": uuid_text(claim.id),
        "version": claim.version,
        "status": claim.status.value,
        "verdict": verdict.verdict.value if verdict else None,
        "statement": claim.statement,
        "kind": claim.kind.value,
        "negated": claim.negated,
        "language": claim.language,
        "subject": plain(claim.subject),
        "relation": plain(claim.relation),
        "object": plain(claim.object),
        "about": plain(claim.about),
        "claimant": plain(claim.claimant),
        "occurred_on": plain(claim.occurred_on),
        "quantities": plain(claim.quantities),
        "tags": claim.tags,
        "appearances": plain(claim.appearances),
        "evidence": [_evidence(e) for e in claim.evidence],
        "disputes": [_dispute(d) for d in claim.disputes],
        "reviews": [_review(r) for r in claim.reviews],
        "links": plain(claim.links),
        "retraction_reason": claim.retraction_reason,
        "assignee": plain(claim.assignee),
        "workflow": claim.workflow.value,
        "recorded_at": plain(claim.created_on),
        "recorded_by": uuid_text(claim.recorded_by),
        "updated_at": plain(claim.modified_on),
    }
