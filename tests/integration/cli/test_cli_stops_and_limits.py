"""The command line with an event a view cannot apply (replay reports it, the worker carries
on with the other views) and with inputs beyond the limits (issue 16)."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from infra.ledger.application import Ledger
from infra.projections.read_model import ReadModel
from infra.projections.stops import Backoff
from service.cli import app
from tests import factories
from tests.integration.read.poison import nested, plant_review, replace_state
from tests.integration.read.worker import running_worker, wait_until

runner = CliRunner()
FIXTURES = Path(__file__).parents[2] / "fixtures" / "claimreview"


def _run(database_url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--database-url", database_url])
    return result.exit_code, result.output


def _poison(ledger: Ledger) -> tuple[int, int]:
    """A claim, a planted event no claims view can encode, a claim after it: (planted, head)."""
    planted = plant_review(ledger, factories.claim(ledger).id, {"extra": nested(300)})
    factories.claim(ledger)
    return planted, ledger.recorder.max_notification_id() or 0


def test_replay_reports_the_view_a_rebuild_stopped_and_does_not_hang(
    ledger: Ledger, database_url: str
) -> None:
    """It used to hang: a failing batch was tried again whole, forever. A hang never returns,
    so what answers it is that `replay` returns at all, naming the stop. The bound on its
    wall-clock time (60 s) is gone: it could not tell a hang from a loaded machine (on
    PostgreSQL the rebuild starts forkserver processes that import the application). Rich
    wraps the report at 80 columns: the output is read with its line breaks folded."""
    planted, _ = _poison(ledger)

    code, out = _run(database_url, "replay")

    flat = " ".join(out.split())
    assert code == 1, out
    assert f"view claims is stopped at position {planted}:" in flat
    assert "Recursion limit" in flat

    code, out = _run(database_url, "replay", "--swap")
    assert code == 1 and "now live" not in out


def _repaired(ledger: Ledger) -> tuple[ReadModel, int, int]:
    """The README's repair path ("Repairing after a bad event"): a planted event the claims
    view stopped at, which the audit view had logged and signed, edited in place."""
    planted, head = _poison(ledger)
    read_model = ReadModel(ledger)
    read_model.projector.backoff = Backoff(first=0.05, cap=0.05)
    read_model.projector.catch_up()
    assert read_model.projector.stuck()["claims"].position == planted
    replace_state(ledger, planted, {"extra": nested(3)})  # the edit, past the triggers
    return read_model, planted, head


def test_once_the_event_is_repaired_the_view_carries_on_and_verify_names_the_edit(
    ledger: Ledger, database_url: str
) -> None:
    read_model, planted, head = _repaired(ledger)
    time.sleep(0.06)  # the back-off

    read_model.projector.catch_up()

    assert read_model.projector.stuck() == {}
    assert set(read_model.projector.positions().values()) == {head}
    code, out = _run(database_url, "verify")
    assert code == 1 and f"first bad position: {planted}:" in " ".join(out.split()), out
    code, out = _run(database_url, "replay")  # the audit view logged the planted bytes
    assert code == 1 and "1 view(s) differ" in " ".join(out.split()), out


def test_replay_swap_after_a_repair_puts_every_view_at_the_head_at_once(
    ledger: Ledger, database_url: str
) -> None:
    read_model, _, head = _repaired(ledger)

    code, out = _run(database_url, "replay", "--swap")

    assert code == 0 and "now live" in out, out
    assert read_model.projector.stuck() == {}  # the stops were swapped out with the views
    assert set(read_model.projector.positions().values()) == {head}
    # The rebuilt leaves hash the edited event: only the signed checkpoints still show the
    # edit, as a range of positions.
    code, out = _run(database_url, "verify")
    flat = " ".join(out.split())
    assert code == 1 and "first bad position: 1 (or up to" in flat and "checkpoint" in flat, out


def test_the_worker_stops_the_view_at_the_event_and_projects_the_others(
    ledger: Ledger, database_url: str, tmp_path: Path
) -> None:
    planted, head = _poison(ledger)
    read_model = ReadModel(ledger)
    log = tmp_path / "worker.log"

    with running_worker(database_url, log) as worker:
        wait_until(
            lambda: (
                set(read_model.projector.positions().values()) == {head, planted - 1}
                or worker.poll() is not None
            ),
            "the views other than claims at the head",
        )
        assert worker.poll() is None, log.read_text()
        factories.claim(ledger)  # and the worker follows the log on
        wait_until(lambda: read_model.projector.positions()["actors"] > head, "the next events")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=10) == 0, log.read_text()

    assert read_model.projector.positions()["claims"] == planted - 1
    assert read_model.projector.stuck()["claims"].position == planted
    text = log.read_text()
    assert f"view claims stopped at position {planted}" in text
    assert text.count("stopped at position") <= 3  # one line per attempt (1 s, then 2 s)


def _write(tmp_path: Path, name: str, document: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path


def test_import_reports_items_beyond_the_limits_and_files_too_deep_to_read(
    sqlite_url: str, tmp_path: Path
) -> None:
    item = json.loads((FIXTURES / "politifact-style.json").read_text())
    deep = _write(tmp_path, "deep.json", [dict(item, extra=nested(300))])
    infinite = dict(item, url="https://factcheck.example.org/x")
    infinite["reviewRating"] = {"ratingValue": "Infinity", "bestRating": "Infinity"}
    rating = _write(tmp_path, "rating.json", infinite)
    unreadable = tmp_path / "unreadable.json"
    unreadable.write_text("[" * 100_000 + "]" * 100_000)

    code, out = _run(sqlite_url, "import", "claimreview", str(deep), str(rating), str(unreadable))

    assert code == 1, out
    flat = " ".join(out.split())
    assert "deeper than 32 levels" in flat
    assert "ratingValue" in flat and "not a finite number" in flat
    assert "unreadable.json: not JSON" in flat
    assert "imported 0, unchanged 0, errors 3" in flat
