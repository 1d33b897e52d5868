"""`claimtrail project`: the views a worker keeps (--views), its processes, and bad options."""

from __future__ import annotations

import re
import signal
from pathlib import Path

from typer.testing import CliRunner

from infra.ledger.application import open_ledger
from infra.projections.read_model import ReadModel
from service.cli import app
from tests.integration.read.worker import Writer, running_worker, wait_until

runner = CliRunner()


def _project(database_url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["project", *args, "--database-url", database_url])
    # rich draws usage errors in a box: its borders may cut the message into lines
    return result.exit_code, " ".join(re.sub("[│╭╮╰╯─]", " ", result.output).split())


def test_an_unknown_view_is_refused_naming_the_views(sqlite_url: str) -> None:
    code, out = _project(sqlite_url, "--views", "claims,nosuch")
    assert code == 2
    assert "no such view: nosuch" in out
    assert "claims, actors, timeline, relationships, people, similar, audit" in out


def test_an_empty_list_of_views_is_refused(sqlite_url: str) -> None:
    code, out = _project(sqlite_url, "--views", " , ")
    assert code == 2
    assert "no view named" in out


def test_a_negative_number_of_processes_is_refused(sqlite_url: str) -> None:
    code, out = _project(sqlite_url, "--processes", "-1")
    assert code == 2
    assert "--processes" in out


def test_a_worker_keeps_only_the_views_it_is_given(database_url: str, tmp_path: Path) -> None:
    """The others are left to another worker (on SQLite, --processes is one process)."""
    ledger, log = open_ledger(database_url), tmp_path / "worker.log"
    try:
        Writer(ledger).write(5)
        head = ledger.recorder.max_notification_id()
        args = ("--views", "timeline, audit", "--processes", "1")
        with running_worker(database_url, log, *args) as worker:
            read_model = ReadModel(ledger)
            wait_until(
                lambda: (
                    read_model.position(["timeline", "audit"]) == head or worker.poll() is not None
                ),
                "the worker to keep its two views",
                timeout=60,
            )
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=30) == 0, log.read_text()
        positions = read_model.positions()
        assert positions.pop("timeline") == positions.pop("audit") == head
        assert set(positions.values()) == {0}, positions
    finally:
        ledger.close()


def test_processes_on_sqlite_are_one_process(sqlite_url: str, tmp_path: Path) -> None:
    ledger, log = open_ledger(sqlite_url), tmp_path / "worker.log"
    try:
        Writer(ledger).write(3)
        head = ledger.recorder.max_notification_id()
        with running_worker(sqlite_url, log, "--processes", "2") as worker:
            read_model = ReadModel(ledger)
            wait_until(
                lambda: read_model.position() == head or worker.poll() is not None,
                "the worker to catch up",
                timeout=60,
            )
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=30) == 0, log.read_text()
        assert "processes:" not in log.read_text()
        assert "views at position" in log.read_text()
    finally:
        ledger.close()
