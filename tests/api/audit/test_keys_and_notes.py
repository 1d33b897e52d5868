"""The public key in every form `verify` takes, the kept checkpoints (GET /audit/checkpoints),
and the checkpoint as a C2SP signed note, checked here by a parser written from the spec alone
(c2sp.org/signed-note, c2sp.org/tlog-checkpoint), not by the application's code."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from itertools import combinations
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from typer.testing import CliRunner

from infra.integrity.merkle import verify_consistency
from infra.integrity.signing import verify_checkpoint
from service.cli import app
from tests.api.audit.conftest import Audited
from tests.api.helpers import assert_invalid

runner = CliRunner()


def _verify_url(audited: Audited, key: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["verify", "--url", audited.url, "--public-key", str(key)])
    return result.exit_code, result.output


# -- the public key ---------------------------------------------------------------------------


def test_the_public_key_is_served_as_pem_on_accept(audited: Audited):
    document = audited.api.get("/audit/public-key").json()
    pem = audited.api.client.get("/audit/public-key", headers={"Accept": "application/x-pem-file"})
    assert pem.status_code == 200 and pem.headers["content-type"] == "application/x-pem-file"
    assert pem.text == document["pem"] and pem.text.startswith("-----BEGIN PUBLIC KEY-----")
    for accept in ("application/json", "*/*", "application/json, application/x-pem-file"):
        response = audited.api.client.get("/audit/public-key", headers={"Accept": accept})
        assert response.headers["content-type"].startswith("application/json"), accept


def test_verify_takes_the_key_as_the_json_document_a_pem_file_or_raw_base64(
    fresh: Audited, tmp_path: Path
):
    fresh.checkpoint()
    document = fresh.api.get("/audit/public-key")
    pem = fresh.api.client.get("/audit/public-key", headers={"Accept": "application/x-pem-file"})
    forms = {
        "key.json": document.content,  # the body of GET /audit/public-key, saved as it is
        "key.pem": pem.content,
        "key.b64": document.json()["public_key"].encode() + b"\n",
    }
    for name, content in forms.items():
        (tmp_path / name).write_bytes(content)
        code, out = _verify_url(fresh, tmp_path / name)
        assert code == 0 and "verified" in out, (name, out)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "not a public key"),
        (b"hello", "not a public key"),
        (base64.b64encode(b"x" * 31), "not a public key"),
        (b'{"key_id": "abc"}', "document of GET /audit/public-key"),
        (b'{"public_key": "not base64!"}', "document of GET /audit/public-key"),
        (b"[1, 2]", "not a public key"),
        (b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "no readable"),
        (b"\xff\xfe\x00", "not a public key"),
    ],
)
def test_anything_else_is_a_one_line_error(
    sqlite_url: str, tmp_path: Path, content: bytes, says: str
):
    key = tmp_path / "key"
    key.write_bytes(content)
    for where in (["--url", "http://127.0.0.1:9"], ["--database-url", sqlite_url]):
        result = runner.invoke(app, ["verify", *where, "--public-key", str(key)])
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: --public-key"), result.output
        assert says in lines[0]


def test_a_missing_key_file_is_a_one_line_error(sqlite_url: str, tmp_path: Path):
    result = runner.invoke(
        app, ["verify", "--database-url", sqlite_url, "--public-key", str(tmp_path / "nope")]
    )
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "No such file" in result.output


# -- every checkpoint kept ----------------------------------------------------------------------


def _every_checkpoint(audited: Audited, limit: int) -> list[dict]:
    items, after = [], 0
    while after is not None:
        response = audited.api.get("/audit/checkpoints", after=after, limit=limit)
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        after = response.json()["next_after"]
    return items


def test_every_checkpoint_is_kept_paged_and_consistent_with_every_other(fresh: Audited):
    for _ in range(3):
        fresh.checkpoint(min_position=fresh.write(claims=1))
    items = _every_checkpoint(fresh, limit=2)
    assert items == _every_checkpoint(fresh, limit=1000)
    sizes = [c["tree_size"] for c in items]
    assert len(sizes) >= 4 and sizes == sorted(set(sizes))
    assert items[-1] == fresh.api.get("/audit/checkpoint").json()
    key = fresh.public_key()
    from infra.integrity.signing import Checkpoint

    assert all(verify_checkpoint(Checkpoint.from_dict(c), key) for c in items)
    for first, second in combinations(items, 2):
        proof = fresh.api.get(
            "/audit/proofs/consistency", first=first["tree_size"], second=second["tree_size"]
        ).json()
        assert verify_consistency(
            first["tree_size"],
            second["tree_size"],
            bytes.fromhex(first["root_hash"]),
            bytes.fromhex(second["root_hash"]),
            [bytes.fromhex(p) for p in proof["path"]],
        ), (first["tree_size"], second["tree_size"])


def test_checkpoints_after_the_last_are_an_empty_page(audited: Audited):
    last = audited.checkpoint().tree_size
    body = audited.api.get("/audit/checkpoints", after=last).json()
    assert body == {"items": [], "next_after": None}


@pytest.mark.parametrize(
    "params",
    [{"after": "-1"}, {"after": "x"}, {"limit": "0"}, {"limit": "1001"}, {"after": "1e400"}],
)
def test_bad_checkpoint_pages_are_422(audited: Audited, params: dict[str, str]):
    assert_invalid(audited.api.get("/audit/checkpoints", **params), "query", *params)


# -- the checkpoint as a C2SP signed note ------------------------------------------------------

SIGNATURE_LINE = re.compile(r"^\u2014 ([^\s+]+) ([A-Za-z0-9+/]+={0,2})$")


def check_note(note: str, name: str, public_key: bytes) -> tuple[str, int, bytes]:
    """A C2SP tlog-checkpoint signed note checked from the specs alone: (origin, tree size,
    root hash). The text ends at the last blank line; each signature line is em dash, space,
    key name, space, base64(key ID || signature); the Ed25519 key ID is
    SHA-256(name || 0x0A || 0x01 || key)[:4]; the signature is over the text (with its final
    newline, without the blank line)."""
    assert note.endswith("\n") and all(c == "\n" or ord(c) >= 0x20 for c in note)
    text, _, signatures = note.rpartition("\n\n")
    text += "\n"
    lines = text.split("\n")[:-1]
    assert len(lines) >= 3 and all(lines), lines
    origin, size, root = lines[0], lines[1], lines[2]
    assert re.fullmatch(r"0|[1-9][0-9]*", size), size
    root_hash = base64.b64decode(root, validate=True)
    assert len(root_hash) == 32 and base64.b64encode(root_hash).decode() == root
    key_id = hashlib.sha256(name.encode() + b"\n\x01" + public_key).digest()[:4]
    verified = 0
    for line in signatures.rstrip("\n").split("\n"):
        match = SIGNATURE_LINE.fullmatch(line)
        assert match, line
        blob = base64.b64decode(match[2], validate=True)
        if match[1] != name or blob[:4] != key_id:
            continue  # another key's signature: ignored
        Ed25519PublicKey.from_public_bytes(public_key).verify(blob[4:], text.encode())
        verified += 1
    assert verified == 1
    return origin, int(size), root_hash


def test_the_checkpoint_is_a_c2sp_signed_note_on_accept_text_plain(fresh: Audited):
    checkpoint = fresh.checkpoint()
    response = fresh.api.client.get("/audit/checkpoint", headers={"Accept": "text/plain"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    key = fresh.api.get("/audit/public-key").json()
    raw = base64.b64decode(key["public_key"])
    origin, size, root = check_note(response.text, "claimtrail.local/audit", raw)
    assert origin == checkpoint.origin == "claimtrail.local/audit"
    assert (size, root.hex()) == (checkpoint.tree_size, checkpoint.root_hash)
    name, key_hash, encoded = key["note_verifier_key"].split("+", 2)  # base64 may hold "+"
    assert name == origin and base64.b64decode(encoded) == b"\x01" + raw
    assert bytes.fromhex(key_hash) == hashlib.sha256(name.encode() + b"\n\x01" + raw).digest()[:4]
    # A note changed anywhere fails the same independent check.
    forged = response.text.replace(f"\n{size}\n", f"\n{size + 1}\n", 1)
    with pytest.raises(InvalidSignature):
        check_note(forged, origin, raw)


def test_json_is_still_the_default_checkpoint(audited: Audited):
    for accept in (None, "application/json", "application/json, text/plain", "*/*"):
        headers = {"Accept": accept} if accept else {}
        response = audited.api.client.get("/audit/checkpoint", headers=headers)
        assert response.headers["content-type"].startswith("application/json"), accept
        assert json.loads(response.text)["tree_size"] >= 1
