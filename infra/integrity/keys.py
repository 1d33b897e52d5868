"""Signing key files, and public keys in every form an auditor may hold one.

The key file ($CLAIMTRAIL_SIGNING_KEY_FILE, default var/signing-key.pem, PKCS8 PEM) holds the
current key. Beside it, `<key file>.<key_id>` holds any other key by its id: the next key while a
rotation is being recorded, and retired keys (needed only while a projector behind the rotation
still signs checkpoints of the trees before it).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from infra.integrity.signing import Signer

DEFAULT_KEY_FILE = "var/signing-key.pem"
KEY_FILE_VARIABLE = "CLAIMTRAIL_SIGNING_KEY_FILE"
log = logging.getLogger("claimtrail.integrity")


class KeyUnavailableError(Exception):
    """Raised when the log says a key signs, and no key file holds it."""


def key_file(path: str | None = None) -> Path:
    """The key file: `path`, else $CLAIMTRAIL_SIGNING_KEY_FILE, else var/signing-key.pem."""
    return Path(path or os.environ.get(KEY_FILE_VARIABLE) or DEFAULT_KEY_FILE)


def other_key_file(file: Path, wanted: str) -> Path:
    return file.with_name(f"{file.name}.{wanted}")


def load_signer(path: str | None = None, *, create: bool = True) -> Signer:
    """The signing key from its PEM (PKCS8) file, generated there (if `create`) when missing."""
    file = key_file(path)
    if not file.exists():
        if not create:
            raise FileNotFoundError(f"no signing key at {file}")
        if write_private_key(file, Ed25519PrivateKey.generate()):
            log.warning(
                "claimtrail: generated a checkpoint signing key in %s (key_id %s); keep it safe "
                "and publish its public key (GET /audit/public-key)",
                file,
                load_signer(path, create=False).key_id,
            )
    return read_signer(file)


def read_signer(file: Path) -> Signer:
    key = serialization.load_pem_private_key(file.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{file} does not hold an Ed25519 private key")
    return Signer(key)


def write_private_key(file: Path, key: Ed25519PrivateKey, *, replace: bool = False) -> bool:
    """Write `key` to `file` (mode 0600) atomically; unless `replace`, never over a key another
    process just wrote (False then)."""
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    file.parent.mkdir(parents=True, exist_ok=True)
    temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    temporary.write_bytes(pem)
    temporary.chmod(0o600)
    try:
        if replace:
            os.replace(temporary, file)
        else:
            os.link(temporary, file)  # atomic, and never replaces a key another process made
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)
    return True


class SigningKeys:
    """Signers by key id: the key file's key, or `<key file>.<key_id>`."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self.known: dict[str, Signer] = {}

    def signer(self, wanted: str | None) -> Signer:
        """The key `wanted` (None: the key file's, made if missing)."""
        if wanted in self.known:
            return self.known[wanted]
        current = load_signer(self.path, create=wanted is None)
        if wanted is None or current.key_id == wanted:
            found = current
        else:
            other = other_key_file(key_file(self.path), wanted)
            try:
                found = read_signer(other)
            except (OSError, ValueError):
                raise KeyUnavailableError(
                    f"the log says key {wanted} signs now, and neither {key_file(self.path)}"
                    f" nor {other} holds it"
                ) from None
        self.known[found.key_id] = found
        return found


def load_public_key(data: bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from what an auditor may have saved: the JSON of
    GET /audit/public-key, a PEM public key (or a private key's public half), or the raw
    32-byte key in base64. ValueError with a one-line reason otherwise."""
    text = data.decode("utf-8", errors="replace").strip()
    if text.startswith("{"):
        return _from_json(text)
    if text.startswith("-----BEGIN"):
        return _from_pem(text.encode())
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ValueError(
            "not a public key: give the JSON of GET /audit/public-key, a PEM file,"
            " or the raw 32-byte Ed25519 key in base64"
        )
    return Ed25519PublicKey.from_public_bytes(raw)


def _from_json(text: str) -> Ed25519PublicKey:
    try:
        document: Any = json.loads(text)
        if document.get("pem"):
            return _from_pem(str(document["pem"]).encode())
        return load_public_key(str(document["public_key"]).encode())
    except (ValueError, KeyError, AttributeError, TypeError):
        raise ValueError(
            "a JSON key must be the document of GET /audit/public-key"
            " (with its 'public_key' or 'pem')"
        ) from None


def _from_pem(pem: bytes) -> Ed25519PublicKey:
    try:
        key: Any = serialization.load_pem_public_key(pem)
    except ValueError:
        try:
            key = serialization.load_pem_private_key(pem, password=None).public_key()
        except (ValueError, TypeError):
            raise ValueError("the PEM holds no readable public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the PEM holds a key that is not Ed25519")
    return key
