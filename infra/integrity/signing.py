"""Signed checkpoints (tree heads): the Ed25519 key, the signed text, signing and checking.

The signed text is `claimtrail-checkpoint\\n<tree_size>\\n<root_hash hex>\\n<timestamp>\\n`
(UTF-8, timestamp RFC 3339 UTC with a `Z`). key_id is the first 16 bytes (32 hex digits) of the
SHA-256 of the raw 32-byte public key; signatures and raw keys travel as base64.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ORIGIN_VARIABLE = "CLAIMTRAIL_LOG_ORIGIN"
DEFAULT_ORIGIN = "claimtrail.local/audit"


@dataclass(frozen=True)
class Checkpoint:
    tree_size: int
    root_hash: str
    timestamp: str
    key_id: str
    signature: str
    # The same tree head as a C2SP signed note (`note_text`): its origin line and base64(key
    # hash || signature over the note's body); None on checkpoints signed before notes were.
    origin: str | None = None
    note_signature: str | None = None

    def as_dict(self) -> dict[str, Any]:
        found = asdict(self)
        del found["note_signature"]  # the note itself is served as text/plain
        return found

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checkpoint:
        return cls(
            int(data["tree_size"]),
            str(data["root_hash"]),
            str(data["timestamp"]),
            str(data["key_id"]),
            str(data["signature"]),
            str(data["origin"]) if data.get("origin") is not None else None,
        )


def checkpoint_text(tree_size: int, root_hash: str, timestamp: str) -> bytes:
    return f"claimtrail-checkpoint\n{tree_size}\n{root_hash}\n{timestamp}\n".encode()


def log_origin() -> str:
    """The log's name in its signed notes (C2SP tlog-checkpoint origin): $CLAIMTRAIL_LOG_ORIGIN."""
    return os.environ.get(ORIGIN_VARIABLE) or DEFAULT_ORIGIN


def note_body(origin: str, tree_size: int, root_hash: str) -> bytes:
    """The checkpoint as a C2SP tlog-checkpoint: origin, size, base64 root, each on its line."""
    root = base64.b64encode(bytes.fromhex(root_hash)).decode()
    return f"{origin}\n{tree_size}\n{root}\n".encode()


def note_key_hash(name: str, public_key: Ed25519PublicKey) -> bytes:
    """C2SP signed-note key hash of an Ed25519 key: SHA-256(name, LF, 0x01, key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n\x01" + raw(public_key)).digest()[:4]


def note_verifier_key(name: str, public_key: Ed25519PublicKey) -> str:
    """The key as signed-note tooling names it: `<name>+<key hash, hex>+<base64(0x01 || key)>`."""
    encoded = base64.b64encode(b"\x01" + raw(public_key)).decode()
    return f"{name}+{note_key_hash(name, public_key).hex()}+{encoded}"


def note_text(checkpoint: Checkpoint) -> str:
    """The checkpoint as a C2SP signed note: its body, a blank line, the signature line
    (`\u2014 <key name> <base64(key hash || signature)>`, the key named by the origin)."""
    if checkpoint.origin is None or checkpoint.note_signature is None:
        raise ValueError("this checkpoint was signed before checkpoints were signed as notes")
    body = note_body(checkpoint.origin, checkpoint.tree_size, checkpoint.root_hash).decode()
    return f"{body}\n\u2014 {checkpoint.origin} {checkpoint.note_signature}\n"


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
        origin = log_origin()
        note = note_key_hash(origin, self.public_key) + self.private_key.sign(
            note_body(origin, tree_size, root_hash)
        )
        return Checkpoint(
            tree_size,
            root_hash,
            timestamp,
            self.key_id,
            base64.b64encode(signature).decode(),
            origin,
            base64.b64encode(note).decode(),
        )


def b64_raw(public_key: Ed25519PublicKey) -> str:
    return base64.b64encode(raw(public_key)).decode()


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
