"""Plain functions for the read-side tests: a history with every kind of command, digests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from uuid import UUID

from domain.values import DisputeOutcome, LinkRelation, PartialDate, Role, Stance
from domain.vocabulary import Verdict
from infra.ledger.application import Ledger
from infra.ledger.claim_inputs import EvidenceInput, Quote
from infra.ledger.context import Context
from infra.projections.read_model import all_views
from infra.projections.rebuild import digest, rebuild
from infra.projections.store import ViewStore
from tests import factories

SEED = Path(__file__).parents[3] / "seeds" / "xi-putin-summit-2022.yaml"
OTHER_QUOTE = "this 21st-century quasi-alliance"


@dataclass(frozen=True)
class History:
    """What `write_every_kind_of_command` made."""

    subject: str
    object: str
    claims: list[UUID]


def write_every_kind_of_command(ledger: Ledger) -> History:
    """Record, appearance, evidence, dispute + resolution, review, correction, retraction, link,
    an open dispute, a negated claim and an actor alias, on fresh actors and claims; a principal
    with a display name, then another; the editorial workflow (assign, unassign, progress,
    drafts, publish, unpublish); an organization with members and a review made for it."""
    author, reviewer = factories.context(), factories.context(Role.REVIEWER)
    subject = factories.actor(ledger, author, aliases=[factories.unique("Middle Kingdom")]).slug
    target = factories.actor(ledger, author).slug
    third = factories.actor(ledger, author).slug
    source = factories.source(ledger, author)
    quote = Quote(source.id, factories.QUOTE)

    def record(**fields: object) -> UUID:
        return factories.claim(
            ledger, author, subject=subject, object=target, appearance=quote, **fields
        ).id

    first = record(occurred_on=PartialDate.parse("2014-05"), tags=["energy"])
    second = record(relation="signs_agreement", occurred_on=PartialDate.parse("2022-02-04"))
    retracted = record(relation="threatens")
    disputed = record(relation="cooperates_economically", about=[third])
    negated = record(relation="cooperates_militarily", negated=True)
    ledger.claims.add_appearance(
        author, first, Quote(factories.source(ledger, author).id, OTHER_QUOTE)
    )
    ledger.claims.add_evidence(
        author, first, EvidenceInput(Stance.SUPPORTS, "the contract", source_id=source.id)
    )
    dispute = ledger.claims.dispute(author, first, reason="the date is wrong").event
    ledger.claims.resolve_dispute(
        reviewer,
        first,
        dispute.dispute_id,
        outcome=DisputeOutcome.REJECTED,
        note="the date is right",
    )
    ledger.claims.review(
        reviewer, first, verdict=Verdict.MOSTLY_TRUE, label=None, explanation="as reported"
    )
    ledger.claims.review(
        reviewer, second, verdict=Verdict.FALSE, label=None, explanation="no such agreement"
    )
    ledger.claims.correct(
        author, second, reason="wording", statement="They signed a deal", object=third
    )
    ledger.claims.retract(author, retracted, reason="misread the source")
    ledger.claims.link(author, retracted, target_id=first, relation=LinkRelation.CONTRADICTS)
    ledger.claims.dispute(author, disputed, reason="no source for the numbers")
    ledger.actors.add_alias(author, target, f"{target} alias")
    admin = factories.context(Role.ADMIN)
    editor = ledger.principals.create(
        admin, name=factories.unique("editor"), role=Role.REVIEWER, display_name="Ана Петрова"
    )
    ledger.principals.set_display_name(admin, editor.outcome.aggregate.id, "安娜")
    _work_through_the_workflow(ledger, reviewer, editor.outcome.aggregate.id, first, disputed)
    ledger.claims.assign(reviewer, negated, editor.outcome.aggregate.id)
    ledger.claims.unassign(reviewer, negated)
    _organization_commands(ledger, admin, editor.outcome.aggregate.id, negated)
    return History(subject, target, [first, second, retracted, disputed, negated])


def _work_through_the_workflow(
    ledger: Ledger, reviewer: Context, editor: UUID, reviewed: UUID, disputed: UUID
) -> None:
    """Assignment, progress, a draft left a draft, a draft published and the review before it
    unpublished: the workflow's states and the reviews' states all reach the views."""
    ledger.claims.assign(reviewer, disputed, editor)
    ledger.claims.mark_in_progress(reviewer, disputed)
    ledger.claims.review(
        reviewer, disputed, verdict=Verdict.MIXED, label=None, explanation="so far", draft=True
    )
    ledger.claims.assign(reviewer, reviewed, editor)
    ledger.claims.mark_in_progress(reviewer, reviewed)
    earlier = ledger.claims.get(reviewed).reviews[0].review_id
    draft = ledger.claims.review(
        reviewer, reviewed, verdict=Verdict.FALSE, label=None, explanation="new", draft=True
    )
    ledger.claims.publish_review(reviewer, reviewed, draft.event.review_id)  # type: ignore[attr-defined]
    ledger.claims.unpublish_review(reviewer, reviewed, earlier, "superseded")


def _organization_commands(ledger: Ledger, admin: Context, editor_id: UUID, claim_id: UUID) -> None:
    """An organization, its members (one re-roled, one removed), a review made for it and a
    draft for it that its reviewer publishes."""
    desk = ledger.organizations.create(admin, name=factories.unique("Desk")).aggregate
    ledger.organizations.add_member(admin, desk.id, editor_id, Role.CONTRIBUTOR)
    ledger.organizations.change_role(admin, desk.id, editor_id, Role.REVIEWER)
    intern = ledger.principals.create(admin, name=factories.unique("intern"), role=Role.READER)
    intern_id = intern.outcome.aggregate.id
    ledger.organizations.add_member(admin, desk.id, intern_id, Role.CONTRIBUTOR)
    ledger.organizations.remove_member(admin, desk.id, intern_id)
    acting = factories.context(Role.READER, editor_id, organizations=(desk.id,))
    ledger.claims.review(
        acting, claim_id, verdict=Verdict.MISLEADING, label=None, explanation="for the desk"
    )
    draft = ledger.claims.review(
        acting, claim_id, verdict=Verdict.FALSE, label=None, explanation="draft", draft=True
    )
    ledger.claims.publish_review(acting, claim_id, draft.event.review_id)  # type: ignore[attr-defined]


def digests(store: ViewStore) -> dict[str, str]:
    return {view.name: digest(store, view) for view in all_views()}


def rebuilt_digests(ledger: Ledger, until: datetime | None = None) -> dict[str, str]:
    """Digests of every view rebuilt from position 0 into fresh `rb_` tables."""
    return digests(rebuild(ledger, all_views(), until=until))
