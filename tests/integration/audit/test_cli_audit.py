"""`claimtrail verify` exits 0 on an intact log and 1 naming the first bad position;
`claimtrail export --format jsonl` writes one event per line with its leaf hash."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from infra.integrity.keys import load_signer
from infra.integrity.leaves import item_leaf
from infra.integrity.signing import public_pem
from service.cli import app
from tests.integration.audit.conftest import History

runner = CliRunner()


def _run(url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--database-url", url])
    return result.exit_code, result.output


def test_verify_exits_0_on_an_intact_log_and_1_naming_the_first_bad_position(
    history: History, database_url: str
):
    code, out = _run(database_url, "verify")
    assert code == 0, out
    assert "verified" in out and f"{history.head()} events" in out
    position = history.recorded_at(2)
    history.tamper.edit(position, lambda s: s.update(statement="forged"))
    code, out = _run(database_url, "verify")
    assert code == 1, out
    assert f"first bad position: {position}:" in out


def test_verify_checks_signatures_with_a_given_public_key(
    history: History, sqlite_url: str, tmp_path: Path
):
    key = tmp_path / "public.pem"
    key.write_text(public_pem(load_signer(create=False).public_key))
    assert _run(sqlite_url, "verify", "--public-key", str(key))[0] == 0


def test_verify_of_a_server_needs_a_public_key(sqlite_url: str):
    code, out = _run(sqlite_url, "verify", "--url", "http://127.0.0.1:9")
    assert code == 1 and "--public-key" in out


def test_export_writes_one_event_per_line_with_its_leaf(
    history: History, database_url: str, tmp_path: Path
):
    output = tmp_path / "log.jsonl"
    code, out = _run(database_url, "export", "--format", "jsonl", "--output", str(output))
    assert code == 0, out
    items = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [i["position"] for i in items] == list(range(1, history.head() + 1))
    assert all(i["leaf_hash"] == item_leaf(i).hex() for i in items)
    assert {"claim.recorded", "claim.disputed", "reservation.made"} <= {i["type"] for i in items}


def test_export_refuses_an_unknown_format(sqlite_url: str):
    code, out = _run(sqlite_url, "export", "--format", "csv")
    assert code == 2 and "csv" in out
