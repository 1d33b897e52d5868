"""`claimtrail project --processes N` on PostgreSQL: one process per group of views, each
following the log; they end equal to a rebuild, stop with the worker (even when it is killed),
and a group process that dies stops the worker with exit code 1."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.ledger.application import Ledger, open_ledger
from infra.projections.read_model import ReadModel
from tests.integration.read.history import digests, rebuilt_digests
from tests.integration.read.worker import Writer, running_worker, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

SMALL_BATCHES = {"CLAIMTRAIL_PROJECTION_BATCH": "50"}  # many batches per group


@pytest.fixture
def pg_ledger(postgres_url: str) -> Iterator[Ledger]:
    opened = open_ledger(postgres_url)
    yield opened
    opened.close()


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (the forkserver and the group processes), from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        parents[int(stat.parent.name)] = int(fields[1])
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        children = {child for child, of in parents.items() if of == parent}
        found |= children
        todo.extend(children)
    return found


def alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if Path(f"/proc/{pid}").exists() and not _zombie(pid)}


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def _following(
    read_model: ReadModel, worker: subprocess.Popen[bytes], log: Path
) -> tuple[set[int], set[int]]:
    """Wait for the worker to reach the head; the processes below it, and of them the group
    processes (two, under a forkserver)."""
    _at_head(read_model, worker, log)
    below = descendants(worker.pid)  # the forkserver, its resource tracker, two groups
    groups = {pid for child in below for pid in descendants(child)}
    assert len(groups) == 2, (below, groups)  # the forkserver's children
    return below, groups


def test_two_processes_catch_up_follow_and_end_equal_to_a_rebuild(
    pg_ledger: Ledger, postgres_url: str, tmp_path: Path
) -> None:
    ledger = pg_ledger
    read_model, writer, log = ReadModel(ledger), Writer(ledger), tmp_path / "worker.log"
    writer.write(150)  # 300+ events: several batches of 50 for each group
    with running_worker(postgres_url, log, "--processes", "2", env=SMALL_BATCHES) as worker:
        below, groups = _following(read_model, worker, log)
        writer.write(40)  # followed live, by both groups
        _following(read_model, worker, log)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0, log.read_text()
    text = log.read_text()
    assert "2 processes: claims, similar, actors, people; timeline, relationships, audit" in text
    assert not alive(groups)  # joined before the worker exits
    # the forkserver and its resource tracker exit once they see the worker gone
    wait_until(lambda: not alive(below), "multiprocessing's helper processes to exit")
    assert digests(read_model.store) == rebuilt_digests(ledger)


def test_a_killed_worker_takes_its_group_processes_with_it(
    pg_ledger: Ledger, postgres_url: str, tmp_path: Path
) -> None:
    ledger = pg_ledger
    read_model, writer, log = ReadModel(ledger), Writer(ledger), tmp_path / "worker.log"
    writer.write(20)
    with running_worker(postgres_url, log, "--processes", "2") as first:
        below, _ = _following(read_model, first, log)
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=10) == -signal.SIGKILL
        # No orphan keeps projecting: each sees the end of the pipe the worker held.
        wait_until(lambda: not alive(below), "the group processes to exit", timeout=30)

    writer.write(20)  # nobody projects these until the restart (in one process)
    with running_worker(postgres_url, log) as second:
        _at_head(read_model, second, log)
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0, log.read_text()
    assert digests(read_model.store) == rebuilt_digests(ledger)


def _at_head(read_model: ReadModel, worker: subprocess.Popen[bytes], log: Path) -> None:
    """Wait for the worker's views to reach the log's head (failing if the worker exits)."""
    head = read_model.head()
    wait_until(
        lambda: read_model.position() == head or worker.poll() is not None,
        "the worker to reach the head",
        timeout=60,
    )
    assert worker.poll() is None, log.read_text()


def test_a_group_process_that_dies_stops_the_worker_with_exit_code_1(
    pg_ledger: Ledger, postgres_url: str, tmp_path: Path
) -> None:
    ledger = pg_ledger
    read_model, log = ReadModel(ledger), tmp_path / "worker.log"
    Writer(ledger).write(5)
    with running_worker(postgres_url, log, "--processes", "2") as worker:
        below, groups = _following(read_model, worker, log)
        group = min(groups)
        subprocess.run(["kill", "-KILL", str(group)], check=True)
        assert worker.wait(timeout=30) == 1, log.read_text()
        wait_until(lambda: not alive(below), "the other group process to exit", timeout=30)
    assert "exited with code -9" in " ".join(log.read_text().split())
