"""The audit view: a pure projection of the log (a rebuild reproduces it, the checkpoints stay),
its stored tree answers the same proofs as a tree in memory, and a rolled-back batch leaves no
trace in it."""

from __future__ import annotations

from typing import Any

from infra.integrity import checkpoints, merkle
from infra.integrity.leaves import record_leaf
from infra.ledger.application import Ledger
from infra.projections.audit_view import AuditView, StoredTree
from infra.projections.projector import Change, Projector
from infra.projections.rebuild import digest, rebuild
from infra.projections.store import Cursor
from tests.factories import claim
from tests.integration.audit.conftest import History


def _memory_tree(ledger: Ledger) -> merkle.MerkleTree:
    records = ledger.recorder.select_notifications(start=1, limit=10_000)
    return merkle.MerkleTree(record_leaf(r) for r in records)


def test_the_stored_tree_answers_the_proofs_of_a_tree_in_memory(history: History):
    memory = _memory_tree(history.ledger)
    size = len(memory)
    with history.read_model.store.transaction(commit=False) as cursor:
        stored = StoredTree(cursor)
        for n in (1, 2, 7, 16, size - 1, size):
            assert merkle.root(stored, n) == memory.root(n)
            for m in range(0, n, 3):
                proof = stored.prefetched(lambda t: merkle.inclusion_proof(t, m, n))  # noqa: B023
                assert proof == memory.inclusion_proof(m, n)
            assert merkle.consistency_proof(stored, n // 2, n) == memory.consistency_proof(
                n // 2, n
            )


def test_each_checkpoint_signs_the_root_of_the_tree_it_names(history: History):
    memory = _memory_tree(history.ledger)
    with history.read_model.store.transaction(commit=False) as cursor:
        signed = checkpoints.every(cursor)
    assert [c.tree_size for c in signed][-1] == len(memory)
    assert all(c.root_hash == memory.root(c.tree_size).hex() for c in signed)


def test_a_rebuild_reproduces_the_leaves_and_leaves_the_checkpoints_alone(history: History):
    view = AuditView()
    rebuilt = rebuild(history.ledger, [view])
    assert digest(rebuilt, view) == digest(history.read_model.store, view)
    with history.read_model.store.transaction(commit=False) as cursor:
        assert len(checkpoints.every(cursor)) == 2


class FailOnce:
    """A view that fails the first batch containing `position` (its rows roll back)."""

    name, tables = "fail-once", []

    def __init__(self, position: int) -> None:
        self.position, self.failed = position, False

    def apply(self, cursor: Cursor, change: Change) -> Any:
        if change.position == self.position and not self.failed:
            self.failed = True
            raise RuntimeError("this batch fails")


def test_a_rolled_back_batch_leaves_no_trace_in_the_tree(ledger: Ledger):
    for _ in range(4):
        claim(ledger)
    head = ledger.recorder.max_notification_id() or 0
    audit = AuditView()
    projector = Projector(ledger, [audit, FailOnce(head - 3)], batch_size=head // 2 + 1)
    projector.setup()
    # The failed batch rolls back whole; then each view applies it alone (the projector's way
    # to find a view that cannot apply an event), and this one no longer fails.
    projector.catch_up()
    assert projector.stuck() == {}
    memory = _memory_tree(ledger)
    with projector.store.transaction(commit=False) as cursor:
        assert merkle.root(StoredTree(cursor), head) == memory.root()
        latest = checkpoints.latest(cursor)
    assert latest is not None and latest.root_hash == memory.root().hex()


def test_replay_swap_twice_keeps_the_audit_tables_whole(history: History, database_url: str):
    from typer.testing import CliRunner

    from service.cli import app

    for _ in range(2):
        result = CliRunner().invoke(app, ["replay", "--swap", "--database-url", database_url])
        assert result.exit_code == 0, result.output
    claim(history.ledger)
    history.read_model.projector.catch_up()
    report = history.verify()
    assert report.ok and report.pending == 0 and report.checkpoints == 3
