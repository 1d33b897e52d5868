"""The editorial workflow in the claims view: assignee and workflow state as filters and in the
claim's JSON, and a rebuild equal to it (SQLite and PostgreSQL)."""

from __future__ import annotations

from infra.ledger.application import Ledger
from infra.projections.claims_view import ClaimFilter
from infra.projections.read_model import ReadModel
from tests.integration.read.history import digests, rebuilt_digests, write_every_kind_of_command


def _ids(views: ReadModel, **values: str) -> list[str]:
    items, _ = views.claims(ClaimFilter(values), 0, 500)
    return [c["id"] for c in items]


def test_the_claims_view_answers_assignee_and_workflow_as_the_claims_say(
    ledger: Ledger, read_model: ReadModel
) -> None:
    history = write_every_kind_of_command(ledger)
    first, second, retracted, disputed, negated = (str(c) for c in history.claims)

    read_model.projector.catch_up()

    in_progress = _ids(read_model, workflow="in_progress")
    reviewed = _ids(read_model, workflow="reviewed")
    unassigned = _ids(read_model, workflow="unassigned")
    assert disputed in in_progress and first in reviewed and second in reviewed
    assert negated in reviewed  # unassigned again, then reviewed for an organization
    assert retracted in unassigned
    editor = ledger.claims.get(history.claims[3]).assignee
    assert _ids(read_model, assignee=str(editor)) == [first, disputed]
    body = read_model.claims(ClaimFilter({"assignee": str(editor)}), 0, 10)[0][0]
    assert (body["assignee"], body["workflow"]) == (str(editor), "reviewed")
    assert [r["state"] for r in body["reviews"]] == ["unpublished", "published"]
    assert body["verdict"] == "false"
    assert digests(read_model.store) == rebuilt_digests(ledger)
