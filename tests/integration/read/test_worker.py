"""The `claimtrail project` worker survives SIGKILL: restarted, its views equal a rebuild."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import psycopg
import pytest

from infra.ledger.application import Ledger, open_ledger
from infra.projections.read_model import ReadModel
from infra.store.database import libpq_url
from tests.integration.read.history import digests, rebuilt_digests
from tests.integration.read.worker import Writer, running_worker, wait_until

pytestmark = pytest.mark.slow


def _stop(process: subprocess.Popen[bytes], log: Path) -> None:
    """SIGTERM: the worker finishes its batch and exits cleanly."""
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0, log.read_text()


def test_a_worker_killed_during_catch_up_and_restarted_ends_equal_to_a_rebuild(
    ledger: Ledger, read_model: ReadModel, database_url: str, tmp_path: Path
) -> None:
    log, writer = tmp_path / "worker.log", Writer(ledger)
    writer.write(260)  # 520+ events: more than one batch of 500 to catch up on

    with running_worker(database_url, log) as first:
        for _ in range(2000):  # write while it catches up; kill it once a batch is in
            if read_model.position() > 0 or first.poll() is not None:
                break
            writer.write()
        wait_until(
            lambda: read_model.position() > 0 or first.poll() is not None,
            "the worker's first batch",
        )
        assert first.poll() is None, log.read_text()
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=10) == -signal.SIGKILL

    writer.write(30)  # nobody projects these until the restart
    with running_worker(database_url, log) as second:
        writer.write(30)
        head = read_model.head()
        wait_until(
            lambda: read_model.position() == head or second.poll() is not None,
            "the restarted worker to reach the head",
        )
        _stop(second, log)

    assert read_model.position() == read_model.head()
    assert digests(read_model.store) == rebuilt_digests(ledger)


@pytest.mark.postgres
def test_a_worker_killed_inside_a_batch_leaves_no_part_of_it_behind(
    postgres_url: str, tmp_path: Path
) -> None:
    ledger = open_ledger(postgres_url)
    try:
        _killed_inside_a_batch(ledger, postgres_url, tmp_path / "worker.log")
    finally:
        ledger.close()


def _killed_inside_a_batch(ledger: Ledger, url: str, log: Path) -> None:
    read_model, writer = ReadModel(ledger), Writer(ledger)
    edges = f'"{read_model.store.schema}"."rm_edges"'
    with running_worker(url, log) as first:
        wait_until(
            lambda: read_model.position() == read_model.head() > 0, "the worker to follow the log"
        )
        before = digests(read_model.store), read_model.position()
        with psycopg.connect(libpq_url(url)) as blocker:
            # The relationships view comes last: the worker claims the batch and writes the
            # claims, actors and timeline rows, then waits here, inside its transaction.
            blocker.execute(f"LOCK TABLE {edges} IN EXCLUSIVE MODE")
            writer.write(40)
            wait_until(lambda: _waiting_on(url, edges), "the worker to block inside its batch")
            first.send_signal(signal.SIGKILL)
            assert first.wait(timeout=10) == -signal.SIGKILL
            blocker.rollback()
        wait_until(lambda: not _busy(url, edges), "the killed worker's transaction to end")
    assert (digests(read_model.store), read_model.position()) == before

    with running_worker(url, log) as second:
        head = read_model.head()
        wait_until(
            lambda: read_model.position() == head or second.poll() is not None,
            "the restarted worker to reach the head",
        )
        _stop(second, log)
    assert digests(read_model.store) == rebuilt_digests(ledger)


def _waiting_on(url: str, table: str) -> bool:
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = to_regclass(%s)",
            (table,),
        ).fetchone()
    return bool(row and row[0])


def _busy(url: str, table: str) -> bool:
    """Some other session still holds or waits for a lock on the table."""
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks WHERE relation = to_regclass(%s)"
            " AND pid <> pg_backend_pid()",
            (table,),
        ).fetchone()
    return bool(row and row[0])
