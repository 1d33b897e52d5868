"""The claim's JSON: its own serializers give byte for byte what the generic `plain()` gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import uuid4

import orjson

from domain.claim_parts import Evidence
from domain.claims import Claim
from domain.values import (
    ActorRef,
    Appearance,
    DisputeOutcome,
    LinkRelation,
    PartialDate,
    Quantity,
    Rating,
    Role,
    Stance,
)
from domain.vocabulary import Verdict
from infra.projections.claim_json import claim_body
from infra.projections.timeline_view import sortable_time
from infra.store.event_types import date_text, plain, time_text
from tests.unit.helpers import appearance, meta, open_dispute, record_claim, review


def _with_every_part() -> Claim:
    claim = record_claim(
        about=[ActorRef("ukraine", "Ukraine"), ActorRef("nato", "NATO")],
        claimant=ActorRef("kremlin", "Kremlin"),
        occurred_on=PartialDate(2022, 2),
        quantities=[Quantity(Decimal("400000000000"), "USD"), Quantity(Decimal("2.5"), "%", "x")],
        tags=["summit", "security"],
        language="zh-Hans",
    )
    claim.add_appearance(appearance("another quote"), meta=meta())
    quote = appearance("a quoted passage")
    claim.add_evidence(
        uuid4(), stance=Stance.REFUTES, note="n", source_id=quote.source_id, quote=quote,
        url="https://example.org", meta=meta(),
    )  # fmt: skip
    evidence = Evidence(uuid4(), Stance.CONTEXT, "e", None, None, None, uuid4(), datetime.now(UTC))
    claim.dispute(uuid4(), reason="r", evidence=evidence, meta=meta())
    open_dispute(claim)
    claim.resolve_dispute(
        claim.disputes[0].dispute_id, outcome=DisputeOutcome.UPHELD, note="ok", meta=meta()
    )
    review(claim, Verdict.MIXED, rating=Rating(Decimal("3"), Decimal("5"), Decimal("1")))
    claim.review(
        uuid4(), verdict=Verdict.FALSE, label="false", explanation="x", url=None,
        rating=Rating(Decimal("0.5"), Decimal("1"), Decimal("0")), role=Role.REVIEWER,
        meta=meta(), original={"@type": "ClaimReview", "n": [1, 2.5]}, draft=True,
        organization_id=uuid4(),
    )  # fmt: skip
    claim.unpublish_review(claim.reviews[0].review_id, reason="wrong", role=Role.ADMIN, meta=meta())
    claim.publish_review(claim.reviews[1].review_id, role=Role.ADMIN, meta=meta())
    claim.link(uuid4(), relation=LinkRelation.CONTRADICTS, meta=meta())
    claim.assign(uuid4(), assignee_role=Role.REVIEWER, meta=meta())
    return claim


def _by_plain(claim: Claim) -> dict[str, Any]:
    """The body as it was built before the serializers: `plain()` on every value object."""
    verdict = claim.verdict
    evidence = [_evidence(e) for e in claim.evidence]
    disputes = [
        {
            "id": plain(d.dispute_id),
            "status": d.outcome.value if d.outcome else "open",
            "reason": d.reason,
            "evidence": _evidence(d.evidence) if d.evidence else None,
            "opened_by": plain(d.opened_by),
            "opened_at": plain(d.opened_at),
            "resolution_note": d.resolution_note,
            "resolved_by": plain(d.resolved_by),
            "resolved_at": plain(d.resolved_at),
        }
        for d in claim.disputes
    ]
    reviews = [
        {
            "id": plain(r.review_id),
            "verdict": r.verdict.value,
            **{k: plain(getattr(r, k)) for k in ("label", "explanation", "url", "rating")},
            "reviewed_by": plain(r.reviewed_by),
            "reviewed_at": plain(r.reviewed_at),
            "original": r.original,
            **{
                k: plain(getattr(r, k))
                for k in (
                    "state",
                    "published_at",
                    "published_by",
                    "unpublished_reason",
                    "unpublished_at",
                    "unpublished_by",
                    "organization_id",
                )
            },
        }
        for r in claim.reviews
    ]
    return {
        "id": plain(claim.id),
        "version": claim.version,
        "status": claim.status.value,
        "verdict": verdict.verdict.value if verdict else None,
        **{k: plain(getattr(claim, k)) for k in ("statement", "kind", "negated", "language")},
        **{
            k: plain(getattr(claim, k))
            for k in (
                "subject",
                "relation",
                "object",
                "about",
                "claimant",
                "occurred_on",
                "quantities",
                "tags",
                "appearances",
            )
        },
        "evidence": evidence,
        "disputes": disputes,
        "reviews": reviews,
        **{k: plain(getattr(claim, k)) for k in ("links", "retraction_reason", "assignee")},
        "workflow": claim.workflow.value,
        "recorded_at": plain(claim.created_on),
        "recorded_by": plain(claim.recorded_by),
        "updated_at": plain(claim.modified_on),
    }


def _evidence(e: Evidence) -> dict[str, Any]:
    return {
        "id": plain(e.evidence_id),
        "stance": e.stance.value,
        **{k: plain(getattr(e, k)) for k in ("note", "source_id", "quote", "url")},
        "added_by": plain(e.added_by),
        "added_at": plain(e.added_at),
    }


def test_a_claim_with_every_part_has_the_body_plain_gives_it_byte_for_byte():
    claim = _with_every_part()
    assert claim.evidence and claim.links and claim.quantities and claim.assignee
    assert orjson.dumps(claim_body(claim)) == orjson.dumps(_by_plain(claim))


def test_a_fresh_claim_has_the_body_plain_gives_it_byte_for_byte():
    claim = record_claim(occurred_on=PartialDate(2014), negated=True)
    assert orjson.dumps(claim_body(claim)) == orjson.dumps(_by_plain(claim))


def test_a_body_left_with_its_value_objects_gives_orjson_the_same_json():
    with_text = Appearance(uuid4(), 'Ünïcode "quoted"\n', "before", "after", 3, 30, "ab" * 32)
    fresh = record_claim(occurred_on=PartialDate(2014), negated=True, appearance=with_text)
    for claim in (_with_every_part(), fresh):
        assert orjson.dumps(claim_body(claim, raw=True)) == orjson.dumps(claim_body(claim))


def test_times_and_dates_are_written_as_plain_and_str_write_them():
    moments = [
        datetime(2026, 12, 7, 8, 40, 12, 123456, tzinfo=UTC),
        datetime(2026, 12, 7, 8, 40, 12, tzinfo=UTC),
        datetime(2026, 12, 7, 9, 40, 12, 5, tzinfo=timezone(timedelta(hours=1))),
        datetime(2026, 12, 7, 8, 40, 12, 5),
    ]
    for moment in moments * 2:  # the second time from memory
        assert time_text(moment) == moment.isoformat().replace("+00:00", "Z") == plain(moment)
    # An instant equal to a remembered UTC one, in another zone, keeps its own offset.
    assert time_text(moments[0].astimezone(timezone(timedelta(hours=2)))).endswith("+02:00")
    assert sortable_time(moments[0]) == "2026-12-07T08:40:12.123456Z"
    assert sortable_time(moments[1]) == "2026-12-07T08:40:12.000000Z"
    assert sortable_time(moments[2]) == "2026-12-07T08:40:12.000005Z"
    for date in (PartialDate(2014), PartialDate(2022, 2), PartialDate(7, 3, 9)):
        assert date_text(date) == str(date) == plain(date)
