"""`claimtrail verify --url`: an auditor holding only the public key checks a running server,
and catches an event changed in the server's database."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from infra.integrity.keys import load_signer
from infra.integrity.remote import verify_server
from infra.integrity.signing import public_pem
from infra.ledger.application import open_ledger
from service.cli import app
from tests.api.audit.conftest import Audited
from tests.integration.audit.tamper import Tamper

runner = CliRunner()


def _key_file(tmp_path: Path) -> Path:
    """The public key the auditor was given out of band."""
    path = tmp_path / "claimtrail.pub.pem"
    path.write_text(public_pem(load_signer(create=False).public_key))
    return path


def _verify(audited: Audited, key: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["verify", "--url", audited.url, "--public-key", str(key), *args])
    return result.exit_code, result.output


def test_a_served_log_verifies_with_the_public_key_alone(fresh: Audited):
    fresh.checkpoint()  # the views have caught up
    with httpx.Client(base_url=fresh.url) as client:
        report = verify_server(client, load_signer(create=False).public_key)
        signed = client.get("/audit/checkpoints", params={"limit": 1000}).json()["items"]
    assert report.ok, report.findings
    assert report.events == report.leaves == fresh.head
    assert report.proofs == 4 and report.checkpoints == len(signed) >= 1


def test_the_cli_verifies_a_server_and_that_it_extends_an_earlier_checkpoint(
    fresh: Audited, tmp_path: Path
):
    key = _key_file(tmp_path)
    earlier = tmp_path / "checkpoint.json"
    earlier.write_text(json.dumps(fresh.checkpoint().as_dict()))
    fresh.checkpoint(min_position=fresh.write(claims=2))
    code, out = _verify(fresh, key, "--previous", str(earlier))
    assert code == 0, out
    assert "verified" in out and " checkpoints (roots and signatures)" in out and "4 proofs" in out


def test_a_forged_earlier_checkpoint_is_refused(fresh: Audited, tmp_path: Path):
    forged = fresh.checkpoint().as_dict() | {"root_hash": "00" * 32}
    earlier = tmp_path / "checkpoint.json"
    earlier.write_text(json.dumps(forged))
    code, out = _verify(fresh, _key_file(tmp_path), "--previous", str(earlier))
    assert code == 1 and "not signed by this key" in out


def test_a_server_signing_with_another_key_fails(fresh: Audited, tmp_path: Path):
    stranger = tmp_path / "stranger.pem"
    stranger.write_text(public_pem(Ed25519PrivateKey.generate().public_key()))
    fresh.checkpoint()
    code, out = _verify(fresh, stranger)
    assert code == 1 and "not signed by this key" in out


def test_an_event_changed_in_the_servers_database_is_named(
    fresh: Audited, database_url: str, tmp_path: Path
):
    fresh.checkpoint()
    items = fresh.api.get("/audit/log", limit=1000).json()["items"]
    position = next(i["position"] for i in items if i["type"] == "claim.recorded")
    ledger = open_ledger(database_url)
    try:
        Tamper(ledger, database_url).edit(position, lambda s: s.update(statement="forged"))
    finally:
        ledger.close()
    with httpx.Client(base_url=fresh.url) as client:
        report = verify_server(client, load_signer(create=False).public_key)
    assert report.first_bad is not None and report.first_bad.position == position
    code, out = _verify(fresh, _key_file(tmp_path))
    assert code == 1 and f"first bad position: {position}:" in out


def test_an_unreachable_server_fails_cleanly(tmp_path: Path):
    result = runner.invoke(
        app, ["verify", "--url", "http://127.0.0.1:9", "--public-key", str(_key_file(tmp_path))]
    )
    assert result.exit_code == 1 and "error" in result.output
