"""Through the public endpoints only, on SQLite and PostgreSQL: after a key rotation an auditor
holding the old key still verifies the served log (the rotation is an event in it, signed by the
old key); a forged event at the tail is listed (not a 500) and named by `verify --url`."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infra.integrity.keys import load_signer
from infra.ledger.application import open_ledger
from service.cli import app
from tests.api.audit.conftest import Audited, _served
from tests.integration.audit.tamper import Tamper

runner = CliRunner()


@pytest.fixture
def rotating(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Audited, str]]:
    """A server signing with a key file of its own (a copy of the session's), which the test
    may rotate; and its database url."""
    path = tmp_path / "keys" / "signing-key.pem"
    path.parent.mkdir()
    load_signer()  # the session's key, made if no test has signed with it yet
    shutil.copy(os.environ["CLAIMTRAIL_SIGNING_KEY_FILE"], path)
    monkeypatch.setenv("CLAIMTRAIL_SIGNING_KEY_FILE", str(path))
    for audited in _served(database_url):
        yield audited, database_url


def _verify(audited: Audited, key: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["verify", "--url", audited.url, "--public-key", str(key)])
    return result.exit_code, result.output


def test_an_auditor_holding_the_old_key_verifies_the_log_after_a_rotation(
    rotating: tuple[Audited, str], tmp_path: Path
):
    audited, url = rotating
    audited.checkpoint()
    old = tmp_path / "old.json"
    old.write_bytes(audited.api.get("/audit/public-key").content)
    old_id = load_signer(create=False).key_id
    result = runner.invoke(app, ["rotate-key", "--database-url", url])
    assert result.exit_code == 0, result.output
    new_id = load_signer(create=False).key_id
    head = audited.write(claims=1)
    latest = audited.checkpoint(min_position=head)
    assert latest.key_id == new_id != old_id
    assert audited.api.get("/audit/public-key").json()["key_id"] == new_id
    rotations = [
        item
        for item in audited.api.get("/audit/log", limit=1000).json()["items"]
        if item["type"] == "keyrotation.made"
    ]
    assert [(r["data"]["old_key_id"], r["data"]["new_key_id"]) for r in rotations] == [
        (old_id, new_id)
    ]
    code, out = _verify(audited, old)
    assert code == 0 and "verified" in out, out
    new = tmp_path / "new.json"
    new.write_bytes(audited.api.get("/audit/public-key").content)
    code, out = _verify(audited, new)
    assert code == 0 and "verified" in out, out


def test_a_forged_event_at_the_tail_is_listed_and_named_by_verify_url(
    fresh: Audited, database_url: str, tmp_path: Path
):
    fresh.checkpoint()
    key = tmp_path / "key.json"
    key.write_bytes(fresh.api.get("/audit/public-key").content)
    ledger = open_ledger(database_url)
    try:
        tamper = Tamper(ledger, database_url)
        gap = tamper.append(1, version_shift=1000)
        unknown = tamper.append(2, topic="os:system")
    finally:
        ledger.close()
    items = fresh.api.get("/audit/log", after=gap - 1).json()["items"]
    assert [(i["position"], i["type"], i["leaf_hash"]) for i in items] == [
        (gap, "principal.registered", None),
        (unknown, "unknown", None),
    ]
    code, out = _verify(fresh, key)
    assert code == 1, out
    assert f"first bad position: {gap}:" in out and "version 1001" in out
    # The audit view stopped at the forged event, and says so on /readyz (signing nothing past).
    deadline, ready = time.monotonic() + 20, {}
    while time.monotonic() < deadline:
        ready = fresh.api.get("/readyz").json()
        if ready["views"]["audit"]["stuck"] is not None:
            break
        time.sleep(0.05)
    stuck = ready["views"]["audit"]["stuck"]
    assert ready["status"] == "degraded" and stuck is not None, ready
    assert stuck["position"] == gap and "version 1001" in stuck["error"]
    assert fresh.api.get("/audit/checkpoint").json()["tree_size"] < gap
