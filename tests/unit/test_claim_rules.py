"""The rules around retraction, who may amend a claim, and links."""

from collections.abc import Callable
from uuid import UUID, uuid4

import pytest

from domain.claims import Claim
from domain.errors import ClaimRetractedError, InvalidLinkError, NotPermittedError
from domain.values import ClaimStatus, DisputeOutcome, LinkRelation, Role, Stance
from tests.unit.helpers import appearance, meta, open_dispute, record_claim, review


def test_a_retracted_claim_is_retracted_whatever_else_happened():
    recorder = uuid4()
    claim = record_claim(recorder)
    review(claim)
    open_dispute(claim)
    claim.retract(reason="the quote was fabricated", role=Role.CONTRIBUTOR, meta=meta(recorder))
    assert claim.status is ClaimStatus.RETRACTED
    assert claim.is_retracted
    assert claim.retraction_reason == "the quote was fabricated"


def retracted_claim() -> tuple[Claim, UUID]:
    claim = record_claim()
    dispute_id = open_dispute(claim)
    claim.retract(reason="r", role=Role.ADMIN, meta=meta())
    return claim, dispute_id


COMMANDS: dict[str, Callable[[Claim, UUID], None]] = {
    "add_appearance": lambda c, _d: c.add_appearance(appearance(), meta=meta()),
    "add_evidence": lambda c, _d: c.add_evidence(
        uuid4(), stance=Stance.REFUTES, note="n", source_id=None, quote=None, url=None, meta=meta()
    ),
    "dispute": lambda c, _d: c.dispute(uuid4(), reason="r", evidence=None, meta=meta()),
    "resolve_dispute": lambda c, d: c.resolve_dispute(
        d, outcome=DisputeOutcome.UPHELD, note="n", meta=meta()
    ),
    "review": lambda c, _d: review(c),
    "correct": lambda c, _d: c.correct(
        reason="r", role=Role.ADMIN, meta=meta(), statement="other words"
    ),
    "retract": lambda c, _d: c.retract(reason="again", role=Role.ADMIN, meta=meta()),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_retracted_claim_refuses_every_command_but_link(command):
    claim, dispute_id = retracted_claim()
    version = claim.version
    with pytest.raises(ClaimRetractedError):
        COMMANDS[command](claim, dispute_id)
    assert claim.version == version


def test_a_retracted_claim_can_still_be_linked():
    claim, _ = retracted_claim()
    target = uuid4()
    claim.link(target, relation=LinkRelation.DUPLICATES, meta=meta())
    assert [(k.target_id, k.relation) for k in claim.links] == [(target, LinkRelation.DUPLICATES)]
    assert claim.status is ClaimStatus.RETRACTED


def test_a_contributor_corrects_and_retracts_only_claims_they_recorded():
    claim = record_claim()
    other = meta()
    with pytest.raises(NotPermittedError):
        claim.correct(reason="r", role=Role.CONTRIBUTOR, meta=other, statement="x")
    with pytest.raises(NotPermittedError):
        claim.retract(reason="r", role=Role.CONTRIBUTOR, meta=other)
    assert claim.version == 1


def test_a_recorder_corrects_and_retracts_their_own_claim():
    recorder = uuid4()
    claim = record_claim(recorder)
    claim.correct(reason="r", role=Role.CONTRIBUTOR, meta=meta(recorder), statement="x")
    claim.retract(reason="r", role=Role.CONTRIBUTOR, meta=meta(recorder))
    assert (claim.statement, claim.status) == ("x", ClaimStatus.RETRACTED)


def test_a_reviewer_retracts_any_claim_but_corrects_only_their_own():
    claim = record_claim()
    with pytest.raises(NotPermittedError):
        claim.correct(reason="r", role=Role.REVIEWER, meta=meta(), statement="x")
    claim.retract(reason="fabricated", role=Role.REVIEWER, meta=meta())
    assert claim.status is ClaimStatus.RETRACTED
    reviewer = uuid4()
    own = record_claim(reviewer)
    own.correct(reason="r", role=Role.REVIEWER, meta=meta(reviewer), statement="x")
    assert own.statement == "x"


def test_no_role_corrects_someone_elses_claim_but_an_admin_retracts_any():
    claim = record_claim()
    with pytest.raises(NotPermittedError):
        claim.correct(reason="r", role=Role.ADMIN, meta=meta(), statement="x")
    claim.retract(reason="r", role=Role.ADMIN, meta=meta())
    assert claim.status is ClaimStatus.RETRACTED


def test_permission_is_checked_before_the_correction_itself():
    claim = record_claim()
    with pytest.raises(NotPermittedError):
        claim.correct(reason="r", role=Role.CONTRIBUTOR, meta=meta())


def test_a_claim_links_to_other_claims_once_per_relation():
    claim = record_claim()
    target, linker = uuid4(), uuid4()
    claim.link(target, relation=LinkRelation.CONTRADICTS, meta=meta(linker))
    claim.link(target, relation=LinkRelation.UPDATES, meta=meta())
    assert [k.relation for k in claim.links] == [LinkRelation.CONTRADICTS, LinkRelation.UPDATES]
    assert claim.links[0].linked_by == linker
    with pytest.raises(InvalidLinkError):
        claim.link(target, relation=LinkRelation.CONTRADICTS, meta=meta())


def test_a_claim_cannot_link_to_itself():
    claim = record_claim()
    with pytest.raises(InvalidLinkError):
        claim.link(claim.id, relation=LinkRelation.SUPPORTS, meta=meta())
    assert claim.links == []
