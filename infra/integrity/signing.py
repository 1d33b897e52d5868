"""Signed checkpoints (tree heads): the Ed25519 key, the signed text, signing and checking.

The signed text is `claimtrail-checkpoint\\n<tree_size>\\n<root_hash hex>\\n<timestamp>\\n`
(UTF-8, timestamp RFC 3339 UTC with a `Z`). key_id is the first 16 bytes (32 hex digits) of the
SHA-256 of the raw 32-byte public key; signatures and raw keys travel as base64.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

DEFAULT_KEY_FILE = "var/signing-key.pem"
KEY_FILE_VARIABLE = "CLAIMTRAIL_SIGNING_KEY_FILE"
log = logging.getLogger("claimtrail.integrity")


@dataclass(frozen=True)
class Checkpoint:
    tree_size: int
    root_hash: str
    timestamp: str
    key_id: str
    signature: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checkpoint:
        return cls(
            int(data["tree_size"]),
            str(data["root_hash"]),
            str(data["timestamp"]),
            str(data["key_id"]),
            str(data["signature"]),
        )


def checkpoint_text(tree_size: int, root_hash: str, timestamp: str) -> bytes:
    return f"claimtrail-checkpoint\n{tree_size}\n{root_hash}\n{timestamp}\n".encode()


def raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_key: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw(public_key)).hexdigest()[:32]


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


class Signer:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self.private_key = private_key
        self.public_key = private_key.public_key()
        self.key_id = key_id(self.public_key)

    def sign(self, tree_size: int, root_hash: str, at: datetime | None = None) -> Checkpoint:
        moment = (at or datetime.now(UTC)).astimezone(UTC)
        timestamp = moment.isoformat(timespec="microseconds").replace("+00:00", "Z")
        signature = self.private_key.sign(checkpoint_text(tree_size, root_hash, timestamp))
        return Checkpoint(
            tree_size, root_hash, timestamp, self.key_id, base64.b64encode(signature).decode()
        )


def verify_checkpoint(checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> bool:
    """True when the checkpoint names this key and its signature is valid."""
    if checkpoint.key_id != key_id(public_key):
        return False
    try:
        signature = base64.b64decode(checkpoint.signature, validate=True)
        public_key.verify(
            signature,
            checkpoint_text(checkpoint.tree_size, checkpoint.root_hash, checkpoint.timestamp),
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def key_file(path: str | None = None) -> Path:
    """The key file: `path`, else $CLAIMTRAIL_SIGNING_KEY_FILE, else var/signing-key.pem."""
    return Path(path or os.environ.get(KEY_FILE_VARIABLE) or DEFAULT_KEY_FILE)


def load_signer(path: str | None = None, *, create: bool = True) -> Signer:
    """The signing key from its PEM (PKCS8) file, generated there (if `create`) when missing."""
    file = key_file(path)
    if not file.exists():
        if not create:
            raise FileNotFoundError(f"no signing key at {file}")
        _create(file)
    key = serialization.load_pem_private_key(file.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{file} does not hold an Ed25519 private key")
    return Signer(key)


def _create(file: Path) -> None:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    file.parent.mkdir(parents=True, exist_ok=True)
    temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    temporary.write_bytes(pem)
    temporary.chmod(0o600)
    try:
        os.link(temporary, file)  # atomic, and never replaces a key another process just made
    except FileExistsError:
        return
    finally:
        temporary.unlink()
    log.warning(
        "claimtrail: generated a checkpoint signing key in %s (key_id %s); keep it safe "
        "and publish its public key (GET /audit/public-key)",
        file,
        key_id(key.public_key()),
    )


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from a PEM public key (or a PEM private key's public half)."""
    try:
        key: Any = serialization.load_pem_public_key(pem)
    except ValueError:
        key = serialization.load_pem_private_key(pem, password=None).public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 key")
    return key
