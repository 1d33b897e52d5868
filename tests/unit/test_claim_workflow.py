"""The editorial workflow: assignment, progress, drafts, publishing and unpublishing reviews."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID, uuid4

import pytest

from domain.claims import Claim
from domain.errors import (
    AlreadyAssignedError,
    AlreadyInProgressError,
    AssigneeCannotReviewError,
    ClaimRetractedError,
    NotAssignedError,
    NotPermittedError,
    ReviewAlreadyPublishedError,
    ReviewNotFoundError,
    ReviewNotPublishedError,
)
from domain.values import ClaimStatus, Role, WorkflowState
from domain.vocabulary import Verdict
from tests.unit.helpers import meta, open_dispute, record_claim, replay, review


def draft(claim: Claim, verdict: Verdict = Verdict.FALSE) -> UUID:
    review_id = uuid4()
    claim.review(
        review_id,
        verdict=verdict,
        label=verdict.value,
        explanation="not checked yet",
        url=None,
        rating=None,
        role=Role.REVIEWER,
        meta=meta(),
        draft=True,
    )
    return review_id


def assigned(assignee: UUID | None = None) -> tuple[Claim, UUID]:
    claim = record_claim()
    who = assignee or uuid4()
    claim.assign(who, assignee_role=Role.REVIEWER, meta=meta())
    return claim, who


# -- assignment and progress ------------------------------------------------------------------


def test_a_new_claim_is_unassigned():
    claim = record_claim()

    assert claim.assignee is None
    assert claim.workflow is WorkflowState.UNASSIGNED


def test_assigning_a_claim_names_its_assignee():
    claim, who = assigned()

    assert claim.assignee == who
    assert claim.workflow is WorkflowState.ASSIGNED


@pytest.mark.parametrize("role", [Role.READER, Role.CONTRIBUTOR])
def test_a_claim_is_never_assigned_to_someone_who_cannot_review(role: Role):
    claim = record_claim()

    with pytest.raises(AssigneeCannotReviewError):
        claim.assign(uuid4(), assignee_role=role, meta=meta())
    assert claim.version == 1


def test_an_admin_may_be_assigned():
    claim = record_claim()

    claim.assign(uuid4(), assignee_role=Role.ADMIN, meta=meta())

    assert claim.workflow is WorkflowState.ASSIGNED


def test_assigning_to_the_current_assignee_is_a_conflict():
    claim, who = assigned()

    with pytest.raises(AlreadyAssignedError):
        claim.assign(who, assignee_role=Role.REVIEWER, meta=meta())


def test_reassigning_starts_the_work_afresh():
    claim, _ = assigned()
    claim.mark_in_progress(role=Role.REVIEWER, meta=meta())
    other = uuid4()

    claim.assign(other, assignee_role=Role.REVIEWER, meta=meta())

    assert claim.assignee == other
    assert claim.workflow is WorkflowState.ASSIGNED


def test_unassigning_leaves_the_claim_unassigned():
    claim, _ = assigned()
    claim.mark_in_progress(role=Role.REVIEWER, meta=meta())

    claim.unassign(meta=meta())

    assert claim.assignee is None
    assert claim.workflow is WorkflowState.UNASSIGNED


def test_unassigning_an_unassigned_claim_is_a_conflict():
    with pytest.raises(NotAssignedError):
        record_claim().unassign(meta=meta())


def test_the_assignee_marks_the_claim_in_progress():
    who = uuid4()
    claim, _ = assigned(who)

    claim.mark_in_progress(role=Role.REVIEWER, meta=meta(who))

    assert claim.workflow is WorkflowState.IN_PROGRESS


def test_only_the_assignee_or_a_reviewer_marks_a_claim_in_progress():
    claim, _ = assigned()

    with pytest.raises(NotPermittedError):
        claim.mark_in_progress(role=Role.CONTRIBUTOR, meta=meta())
    claim.mark_in_progress(role=Role.ADMIN, meta=meta())

    assert claim.in_progress


def test_marking_in_progress_twice_is_a_conflict():
    claim, _ = assigned()
    claim.mark_in_progress(role=Role.REVIEWER, meta=meta())

    with pytest.raises(AlreadyInProgressError):
        claim.mark_in_progress(role=Role.REVIEWER, meta=meta())


def test_an_unassigned_claim_cannot_be_marked_in_progress():
    with pytest.raises(NotAssignedError):
        record_claim().mark_in_progress(role=Role.REVIEWER, meta=meta())


def test_publishing_a_review_ends_the_work_in_progress():
    claim, _ = assigned()
    claim.mark_in_progress(role=Role.REVIEWER, meta=meta())
    review_id = draft(claim)
    assert claim.workflow is WorkflowState.IN_PROGRESS

    claim.publish_review(review_id, role=Role.REVIEWER, meta=meta())

    assert claim.workflow is WorkflowState.REVIEWED
    claim.mark_in_progress(role=Role.REVIEWER, meta=meta())  # a second look
    assert claim.workflow is WorkflowState.IN_PROGRESS


# -- drafts and publishing ------------------------------------------------------------------


def test_a_draft_review_counts_nowhere():
    claim = record_claim()

    review_id = draft(claim)

    assert [r.state for r in claim.reviews] == ["draft"]
    assert claim.find_review(review_id).published_at is None
    assert claim.verdict is None
    assert claim.status is ClaimStatus.RECORDED
    assert claim.workflow is WorkflowState.UNASSIGNED


def test_a_review_written_without_a_state_is_published_at_once():
    claim = record_claim()

    review(claim, Verdict.TRUE)

    assert claim.reviews[0].state == "published"
    assert claim.reviews[0].published_at == claim.reviews[0].reviewed_at
    assert claim.verdict is not None and claim.verdict.verdict is Verdict.TRUE
    assert claim.status is ClaimStatus.REVIEWED and claim.workflow is WorkflowState.REVIEWED


def test_publishing_a_draft_makes_it_the_verdict():
    claim = record_claim()
    review_id = draft(claim, Verdict.MIXED)
    publisher = uuid4()

    claim.publish_review(review_id, role=Role.REVIEWER, meta=meta(publisher))

    published = claim.find_review(review_id)
    assert published.state == "published" and published.published_by == publisher
    assert claim.verdict == published
    assert claim.status is ClaimStatus.REVIEWED


def test_the_review_published_last_is_the_verdict_whatever_order_they_were_written_in():
    claim = record_claim()
    older = draft(claim, Verdict.FALSE)
    review(claim, Verdict.TRUE)

    claim.publish_review(older, role=Role.REVIEWER, meta=meta())

    assert claim.verdict is not None and claim.verdict.verdict is Verdict.FALSE


def test_publishing_a_published_review_is_a_conflict():
    claim = record_claim()
    review(claim)

    with pytest.raises(ReviewAlreadyPublishedError):
        claim.publish_review(claim.reviews[0].review_id, role=Role.REVIEWER, meta=meta())


def test_publishing_an_unknown_review_is_not_found():
    with pytest.raises(ReviewNotFoundError):
        record_claim().publish_review(uuid4(), role=Role.REVIEWER, meta=meta())


@pytest.mark.parametrize("role", [Role.READER, Role.CONTRIBUTOR])
def test_only_reviewers_publish_or_unpublish(role: Role):
    claim = record_claim()
    review_id = draft(claim)

    with pytest.raises(NotPermittedError):
        claim.publish_review(review_id, role=role, meta=meta())
    with pytest.raises(NotPermittedError):
        claim.review(
            uuid4(),
            verdict=Verdict.TRUE,
            label="True",
            explanation="e",
            url=None,
            rating=None,
            role=role,
            meta=meta(),
        )


def test_unpublishing_keeps_the_review_with_its_reason_and_the_verdict_falls_back():
    claim = record_claim()
    review(claim, Verdict.TRUE)
    review(claim, Verdict.FALSE)
    latest = claim.reviews[1].review_id

    claim.unpublish_review(latest, reason="wrong source", role=Role.REVIEWER, meta=meta())

    unpublished = claim.find_review(latest)
    assert unpublished.state == "unpublished"
    assert unpublished.unpublished_reason == "wrong source"
    assert len(claim.reviews) == 2
    assert claim.verdict is not None and claim.verdict.verdict is Verdict.TRUE


def test_unpublishing_the_only_published_review_leaves_the_claim_unreviewed():
    claim, _ = assigned()
    review(claim)

    claim.unpublish_review(
        claim.reviews[0].review_id, reason="premature", role=Role.REVIEWER, meta=meta()
    )

    assert claim.verdict is None
    assert claim.status is ClaimStatus.RECORDED
    assert claim.workflow is WorkflowState.ASSIGNED


def test_an_unpublished_review_may_be_published_again():
    claim = record_claim()
    review(claim)
    review_id = claim.reviews[0].review_id
    claim.unpublish_review(review_id, reason="r", role=Role.REVIEWER, meta=meta())

    claim.publish_review(review_id, role=Role.REVIEWER, meta=meta())

    assert claim.verdict is not None and claim.verdict.review_id == review_id


def test_unpublishing_a_draft_or_an_unpublished_review_is_a_conflict():
    claim = record_claim()
    review_id = draft(claim)

    with pytest.raises(ReviewNotPublishedError):
        claim.unpublish_review(review_id, reason="r", role=Role.REVIEWER, meta=meta())
    claim.publish_review(review_id, role=Role.REVIEWER, meta=meta())
    claim.unpublish_review(review_id, reason="r", role=Role.REVIEWER, meta=meta())
    with pytest.raises(ReviewNotPublishedError):
        claim.unpublish_review(review_id, reason="again", role=Role.REVIEWER, meta=meta())


def test_a_draft_does_not_close_an_open_dispute_status():
    claim = record_claim()
    open_dispute(claim)

    draft(claim)

    assert claim.status is ClaimStatus.DISPUTED


# -- retraction and replay ---------------------------------------------------------------------


WORKFLOW_COMMANDS: dict[str, Callable[[Claim, UUID], None]] = {
    "assign": lambda c, _r: c.assign(uuid4(), assignee_role=Role.REVIEWER, meta=meta()),
    "unassign": lambda c, _r: c.unassign(meta=meta()),
    "mark_in_progress": lambda c, _r: c.mark_in_progress(role=Role.REVIEWER, meta=meta()),
    "publish_review": lambda c, r: c.publish_review(r, role=Role.REVIEWER, meta=meta()),
    "unpublish_review": lambda c, r: c.unpublish_review(
        r, reason="r", role=Role.REVIEWER, meta=meta()
    ),
}


@pytest.mark.parametrize("command", list(WORKFLOW_COMMANDS))
def test_a_retracted_claim_refuses_every_workflow_command(command: str):
    claim, _ = assigned()
    review_id = draft(claim)
    claim.retract(reason="r", role=Role.ADMIN, meta=meta())
    version = claim.version

    with pytest.raises(ClaimRetractedError):
        WORKFLOW_COMMANDS[command](claim, review_id)
    assert claim.version == version


def test_replaying_the_events_rebuilds_the_workflow_and_review_states():
    claim, who = assigned()
    claim.mark_in_progress(role=Role.REVIEWER, meta=meta(who))
    first = draft(claim)
    review(claim, Verdict.TRUE)
    claim.publish_review(first, role=Role.REVIEWER, meta=meta())
    claim.unpublish_review(first, reason="r", role=Role.REVIEWER, meta=meta())
    expected = (claim.assignee, claim.workflow, claim.reviews, claim.verdict)

    rebuilt = replay(claim)

    assert (rebuilt.assignee, rebuilt.workflow, rebuilt.reviews, rebuilt.verdict) == expected
    assert rebuilt.verdict.verdict is Verdict.TRUE
