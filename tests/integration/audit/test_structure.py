"""What no hash can check, on SQLite and PostgreSQL: an event written behind the application's
back after the last logged one (a version out of sequence, an unknown type, a state that does
not decode) fails `verify` by name, and the audit view stops before it: nothing at or past it is
logged or signed."""

from __future__ import annotations

from typer.testing import CliRunner

from infra.integrity import checkpoints
from infra.ledger.application import Ledger
from infra.projections.audit_view import AuditView, tree_size
from infra.projections.projector import Projector
from infra.projections.stops import Stop
from service.cli import app
from tests.factories import claim
from tests.integration.audit.conftest import History


def _logged(history: History) -> tuple[int, int, int]:
    """(last logged position, leaves, largest signed tree)."""
    with history.read_model.store.transaction(commit=False) as cursor:
        last = int(cursor.scalar("SELECT MAX(position) FROM {rm_audit_leaves}") or 0)
        latest = checkpoints.latest(cursor)
        return last, tree_size(cursor), latest.tree_size if latest else 0


def _stopped(projector: Projector) -> Stop:
    """Where the audit view stopped when the projector caught up: it stops at an event it
    cannot apply (infra/projections/stops.py) instead of logging it, and goes no further."""
    projector.catch_up()
    stop = projector.stuck().get("audit")
    assert stop is not None, "the audit view did not stop"
    return stop


def _audit_alone(ledger: Ledger) -> Projector:
    """The audit view in a projector of its own (as `claimtrail replay` runs it), on the same
    tables as the history's."""
    projector = Projector(ledger, [AuditView()])
    projector.setup()
    return projector


def test_a_copy_of_the_first_event_appended_with_its_version_raised_fails_verify(
    history: History, database_url: str
):
    forged = history.tamper.append(1, version_shift=1000)
    report = history.verify()
    first = report.first_bad
    assert first is not None and first.position == forged, report.findings
    assert "version 1001" in first.reason and "a gap" in first.reason
    result = CliRunner().invoke(app, ["verify", "--database-url", database_url])
    assert result.exit_code == 1, result.output
    assert f"first bad position: {forged}:" in result.output


def test_the_audit_view_stops_at_the_forged_event_and_signs_nothing_past_it(history: History):
    before = _logged(history)
    forged = history.tamper.append(1, version_shift=1000)
    claim(history.ledger)  # a genuine event after it
    stop = _stopped(_audit_alone(history.ledger))
    assert stop.position == forged
    assert f"the event at position {forged}" in stop.error and "a gap" in stop.error
    assert _stopped(history.read_model.projector).position == forged
    assert _logged(history) == before  # nothing at or past it logged, nothing signed
    assert _stopped(_audit_alone(history.ledger)).position == forged  # and it stays there
    assert _logged(history) == before


def test_events_before_the_forged_one_in_a_later_batch_are_logged_up_to_it(history: History):
    """Batches of one event: everything before the forged event is logged and signed; the
    forged event and everything after it is not."""
    claim(history.ledger)
    head = history.head()
    history.tamper.append(1, version_shift=1000)
    claim(history.ledger)
    projector = Projector(history.ledger, [AuditView()], batch_size=1)
    projector.setup()
    _stopped(projector)
    last, leaves, signed = _logged(history)
    assert last == head and signed == leaves


def test_an_event_of_an_unknown_type_is_named_and_never_logged(history: History):
    forged = history.tamper.append(1, topic="os:system")
    first = history.verify().first_bad
    assert first is not None and first.position == forged
    assert "unknown event type 'os:system'" in first.reason
    assert "unknown event type" in _stopped(_audit_alone(history.ledger)).error


def test_an_unlogged_event_that_does_not_decode_is_named(history: History):
    forged = history.tamper.append(
        history.recorded_at(1), change=lambda state: state.update(forged=True)
    )
    first = history.verify().first_bad
    assert first is not None and first.position == forged
    assert "does not decode" in first.reason and "forged" in first.reason
    assert "does not decode" in _stopped(_audit_alone(history.ledger)).error


def test_the_next_version_appended_behind_the_back_is_no_structural_finding(history: History):
    """The checks refuse what the application could not have written, not every write behind
    its back: a well-formed next event passes them (its leaf is then logged like any other)."""
    history.tamper.append(history.recorded_at(1))
    report = history.verify()
    assert report.ok, report.findings
    _audit_alone(history.ledger).catch_up()
    assert history.verify().ok
