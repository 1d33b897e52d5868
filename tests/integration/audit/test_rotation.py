"""Key rotation, on SQLite and PostgreSQL: `claimtrail rotate-key` records an event signed with
the old key, later checkpoints are signed with the new one, and `verify` follows the chain from
whichever key the auditor holds; a checkpoint signed with a retired or unknown key, or a rotation
the current key did not sign, fails."""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from domain.signing_keys import KeyRotation, rotation_statement
from infra.integrity import checkpoints
from infra.integrity.keys import load_signer
from infra.integrity.rotation import stored_rotations
from infra.integrity.signing import Signer, b64_raw, key_id, verify_checkpoint
from infra.integrity.verify import verify_ledger
from service.cli import app
from tests.factories import claim
from tests.integration.audit.conftest import History

runner = CliRunner()


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the session's signing key that this test may rotate away."""
    path = tmp_path / "keys" / "signing-key.pem"
    path.parent.mkdir()
    load_signer()  # the session's key, made if no test has signed with it yet
    shutil.copy(os.environ["CLAIMTRAIL_SIGNING_KEY_FILE"], path)
    monkeypatch.setenv("CLAIMTRAIL_SIGNING_KEY_FILE", str(path))
    return path


def _rotate(url: str) -> tuple[int, str]:
    result = runner.invoke(app, ["rotate-key", "--database-url", url])
    return result.exit_code, result.output


def _signed(history: History) -> list[checkpoints.Checkpoint]:
    with history.read_model.store.transaction(commit=False) as cursor:
        return checkpoints.every(cursor)


def _replace_latest(history: History, signer: Signer) -> int:
    """The latest checkpoint re-signed by `signer` (as a server holding that key would)."""
    latest = _signed(history)[-1]
    with history.read_model.store.transaction(commit=True) as cursor:
        cursor.execute(
            "DELETE FROM {rm_audit_checkpoints} WHERE tree_size = ?", (latest.tree_size,)
        )
        checkpoints.insert(cursor, signer.sign(latest.tree_size, latest.root_hash))
    return latest.tree_size


def test_a_rotation_is_an_event_signed_by_the_old_key_and_later_trees_by_the_new(
    history: History, key_file: Path, database_url: str
):
    old = load_signer(create=False)
    code, out = _rotate(database_url)
    assert code == 0, out
    new = load_signer(create=False)
    assert new.key_id != old.key_id and f"{new.key_id}" in out
    assert Path(f"{key_file}.{old.key_id}").exists()  # the old key, kept by its id
    [rotation] = stored_rotations(history.ledger)
    old.public_key.verify(
        base64.b64decode(rotation.signature),
        rotation_statement(old.key_id, new.key_id, b64_raw(new.public_key)),
    )
    history.read_model.projector.catch_up()
    claim(history.ledger)
    history.read_model.projector.catch_up()
    signed = _signed(history)
    before = [c for c in signed if c.key_id == old.key_id]
    after = [c for c in signed if c.key_id == new.key_id]
    assert len(before) == 2 and len(after) == 2 and before + after == signed
    assert all(verify_checkpoint(c, new.public_key) for c in after)
    for held in (old.public_key, new.public_key):  # the auditor's key, old or new
        report = verify_ledger(history.ledger, held)
        assert report.ok, report.findings
    stranger = Ed25519PrivateKey.generate().public_key()
    assert not verify_ledger(history.ledger, stranger).ok


def test_a_checkpoint_signed_with_the_retired_key_fails(history: History, key_file: Path):
    old = load_signer(create=False)
    assert _rotate(history.tamper.url)[0] == 0
    claim(history.ledger)
    history.read_model.projector.catch_up()
    size = _replace_latest(history, old)
    first = verify_ledger(history.ledger, old.public_key).first_bad
    assert first is not None
    assert f"tree size {size} is signed with the retired key {old.key_id}" in first.reason


def test_a_checkpoint_signed_with_an_unknown_key_fails(history: History, key_file: Path):
    assert _rotate(history.tamper.url)[0] == 0
    history.read_model.projector.catch_up()
    stranger = Signer(Ed25519PrivateKey.generate())
    size = _replace_latest(history, stranger)
    first = verify_ledger(history.ledger, load_signer(create=False).public_key).first_bad
    assert first is not None and f"tree size {size} is not signed by this key" in first.reason
    assert f"it names key {stranger.key_id}, unknown" in first.reason


def test_two_rotations_verify_from_each_key_of_the_chain(history: History, key_file: Path):
    held = [load_signer(create=False).public_key]
    for _ in range(2):
        assert _rotate(history.tamper.url)[0] == 0
        claim(history.ledger)
        history.read_model.projector.catch_up()
        held.append(load_signer(create=False).public_key)
    assert len({key_id(k) for k in held}) == 3
    assert {c.key_id for c in _signed(history)} == {key_id(k) for k in held}
    for key in held:
        report = verify_ledger(history.ledger, key)
        assert report.ok, report.findings


def test_a_projector_behind_the_rotation_signs_the_trees_before_it_with_the_old_key(
    history: History, key_file: Path
):
    old = load_signer(create=False)
    claim(history.ledger)  # not projected before the rotation
    assert _rotate(history.tamper.url)[0] == 0
    history.read_model.projector.catch_up()
    signed = _signed(history)
    [rotation] = stored_rotations(history.ledger)
    assert {c.key_id for c in signed} == {old.key_id, load_signer(create=False).key_id}
    assert verify_ledger(history.ledger, old.public_key).ok
    assert rotation.position == history.head()


def test_rotating_a_key_the_log_has_retired_is_refused_and_writes_nothing(
    history: History, key_file: Path
):
    retired = key_file.read_bytes()
    assert _rotate(history.tamper.url)[0] == 0
    head = history.head()
    key_file.write_bytes(retired)  # an operator restores the old key file by mistake
    code, out = _rotate(history.tamper.url)
    assert code == 1 and "not the log's current signing key" in out
    assert history.head() == head


def test_a_rotation_the_current_key_did_not_sign_stops_the_audit_view_and_fails_verify(
    history: History,
):
    current = load_signer(create=False)
    forger, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    statement = rotation_statement(
        current.key_id, key_id(new.public_key()), b64_raw(new.public_key())
    )
    history.ledger.save(
        KeyRotation.make(
            old_key_id=current.key_id,
            old_public_key=b64_raw(current.public_key),
            new_key_id=key_id(new.public_key()),
            new_public_key=b64_raw(new.public_key()),
            signature=base64.b64encode(forger.sign(statement)).decode(),
            meta=history.ledger.principals.system_context().meta,
        )
    )
    position = history.head()
    first = verify_ledger(history.ledger, current.public_key).first_bad
    assert first is not None and first.position == position
    assert "is not signed by the key it retires" in first.reason
    projector = history.read_model.projector
    projector.catch_up()
    stop = projector.stuck()["audit"]
    assert stop.position == position and "is not signed by the key it retires" in stop.error
