"""`verify` recomputes every leaf from the stored events and names the first position that
was edited, deleted, swapped or inserted behind the ledger's back, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from infra.integrity import checkpoints
from infra.integrity.leaves import record_leaf
from infra.integrity.verify import verify_ledger
from infra.projections.store import ViewStore
from tests.factories import claim
from tests.integration.audit.conftest import History


def test_an_untouched_log_verifies(history: History):
    report = history.verify()
    assert report.ok, report.findings
    assert report.events == report.leaves == history.head() > 30
    assert report.checkpoints == 2 and report.pending == 0


def test_an_edited_payload_is_named(history: History):
    position = history.recorded_at(1)
    history.tamper.edit(position, lambda s: s.update(statement="China opposes Russia"))
    first = history.verify().first_bad
    assert first is not None and first.position == position
    assert "changed after it was logged" in first.reason


def test_a_deleted_event_is_named(history: History):
    position = history.recorded_at(2)
    history.tamper.delete(position)
    first = history.verify().first_bad
    assert first is not None and first.position == position


def test_the_last_event_deleted_is_named(history: History):
    position = history.head()
    history.tamper.delete(position)
    first = history.verify().first_bad
    assert first is not None and first.position == position


def test_two_swapped_events_are_named_by_the_first(history: History):
    first_position, second_position = history.recorded_at(1), history.recorded_at(3)
    history.tamper.swap(second_position, first_position)
    first = history.verify().first_bad
    assert first is not None and first.position == first_position


def test_an_event_inserted_behind_the_ledgers_back_is_named(history: History):
    position, events = history.recorded_at(2), history.head()
    history.tamper.insert(position, like=history.recorded_at(0))
    report = history.verify()
    assert report.first_bad is not None and report.first_bad.position == position
    assert report.events == events + 1


def test_an_edit_that_also_rewrites_its_leaf_is_caught_by_the_subtree_hashes(history: History):
    position = _edit_and_rewrite_its_leaf(history, record_leaf)
    first = history.verify().first_bad
    assert first is not None and first.until is not None
    assert first.position <= position <= first.until
    assert first.until - first.position == 1  # the two leaves under the lowest wrong node


def test_an_edit_with_the_audit_tables_rebuilt_is_caught_by_the_signed_checkpoints(
    history: History,
):
    position = history.recorded_at(1)
    history.tamper.edit(position, lambda s: s.update(statement="China opposes Russia"))
    with history.read_model.store.transaction(commit=True) as cursor:
        cursor.execute("DELETE FROM {rm_audit_leaves}")
        cursor.execute("DELETE FROM {rm_audit_nodes}")
        cursor.execute("UPDATE {rm_tracking} SET position = 0 WHERE view = 'audit'")
    history.read_model.projector.catch_up()
    report = history.verify()
    first = report.first_bad
    assert first is not None and first.until is not None
    assert first.position <= position <= first.until
    assert "checkpoint" in first.reason


def test_reencoding_an_events_json_without_changing_it_is_not_an_edit(history: History):
    position = history.recorded_at(1)
    history.tamper.edit(position, lambda s: None)  # json.dumps spaces, not the library's bytes
    assert history.verify().ok


def test_checkpoints_signed_with_another_key_are_refused(history: History):
    stranger = Ed25519PrivateKey.generate().public_key()
    report = verify_ledger(history.ledger, stranger)
    assert not report.ok
    assert "not signed by this key" in report.findings[0].reason


def test_events_the_audit_view_has_not_reached_are_pending_not_bad(history: History):
    claim(history.ledger)
    report = history.verify()
    assert report.ok and report.pending > 0
    assert report.events == report.leaves + report.pending


def test_a_log_verifies_again_after_more_batches(history: History):
    for _ in range(3):
        claim(history.ledger)
        history.read_model.projector.catch_up()
    report = history.verify()
    assert report.ok and report.checkpoints == 5


def test_export_writes_every_event_with_its_leaf(history: History):
    from infra.integrity.audit import AuditLog

    lines = [
        json.dumps(item) for page in AuditLog.of(history.ledger).pages(limit=7) for item in page
    ]
    assert len(lines) == history.head()
    assert all(json.loads(line)["leaf_hash"] for line in lines)


def test_checkpoint_table_is_not_a_view_table(history: History):
    store = ViewStore(history.ledger.recorder)
    assert not any(
        "checkpoints" in s for view in history.read_model.projector.views for s in view.tables
    )
    with store.transaction(commit=False) as cursor:
        assert len(checkpoints.every(cursor)) == 2


def test_verify_reads_the_log_and_the_audit_tables_page_by_page(history: History, monkeypatch):
    from infra.integrity import verify

    monkeypatch.setattr(verify, "PAGE", 4)
    assert history.verify().ok
    position = history.recorded_at(3)
    history.tamper.delete(position)
    first = history.verify().first_bad
    assert first is not None and first.position == position


def test_the_ledger_stores_each_state_as_its_canonical_encoding(history: History):
    """What lets `verify` hash stored bytes as they are (infra/integrity/recompute.py)."""
    from infra.integrity.leaves import payload_json

    records = history.ledger.recorder.select_notifications(1, 1000)
    assert len(records) == history.head()
    assert all(payload_json(r.state) == bytes(r.state) for r in records)


def test_an_edit_rewriting_the_leaf_over_the_raw_bytes_is_still_caught(history: History):
    """A state edited to JSON that is not canonical, with its leaf rewritten as the hash over
    those bytes, does not pass as the leaf: the stored subtree hashes disagree."""
    from infra.integrity.leaves import state_leaf_data
    from infra.integrity.merkle import leaf_hash

    def raw_leaf(record: Any) -> bytes:
        return leaf_hash(
            state_leaf_data(
                record.id,
                record.originator_id,
                record.originator_version,
                record.topic,
                record.state,
                as_stored=True,
            )
        )

    position = _edit_and_rewrite_its_leaf(history, raw_leaf)
    first = history.verify().first_bad
    assert first is not None and first.until is not None
    assert first.position <= position <= first.until


def _edit_and_rewrite_its_leaf(history: History, leaf_of: Callable[[Any], bytes]) -> int:
    """Edit a claim's Recorded event behind the ledger's back and store `leaf_of(record)` as
    its leaf; the position edited."""
    position = history.recorded_at(1)
    history.tamper.edit(position, lambda s: s.update(statement="China opposes Russia"))
    record = history.ledger.recorder.select_notifications(position, 1)[0]
    with history.read_model.store.transaction(commit=True) as cursor:
        cursor.execute(
            "UPDATE {rm_audit_leaves} SET leaf_hash = ? WHERE position = ?",
            (leaf_of(record).hex(), position),
        )
    return position
