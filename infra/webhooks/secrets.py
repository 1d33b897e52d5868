"""Webhook secrets: made in the Standard Webhooks form (`whsec_<base64>`), kept sealed in the log.

The log is public (/audit/log shows every event's payload), so a secret is never stored in clear:
it is encrypted with AES-256-GCM under the server's webhook key ($CLAIMTRAIL_WEBHOOK_KEY_FILE,
default var/webhook-key, 32 random bytes made on first use, mode 0600), with the webhook's id as
associated data (a sealed secret copied onto another webhook does not open). The API seals, the
projection worker opens: give both the same key file, as with the checkpoint signing key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import secrets
from pathlib import Path
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

DEFAULT_KEY_FILE = "var/webhook-key"
KEY_FILE_VARIABLE = "CLAIMTRAIL_WEBHOOK_KEY_FILE"
PREFIX = "whsec_"
VERSION = "v1"
log = logging.getLogger("claimtrail.webhooks")


class SecretUnavailableError(Exception):
    """Raised when a sealed secret does not open with this server's webhook key."""


def new_secret() -> str:
    """24 random bytes as Standard Webhooks writes a secret: `whsec_` + base64."""
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


class Sealer:
    """Seals and opens webhook secrets with one AES-256-GCM key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("a webhook key is 32 bytes")
        self.aead = AESGCM(key)
        self.key_id = hashlib.sha256(key).hexdigest()[:16]  # names the key, reveals nothing

    def seal(self, secret: str, webhook_id: UUID) -> str:
        nonce = os.urandom(12)
        sealed = self.aead.encrypt(nonce, secret.encode(), webhook_id.bytes)
        return f"{VERSION}.{self.key_id}.{base64.b64encode(nonce + sealed).decode()}"

    def open(self, sealed: str, webhook_id: UUID) -> str:
        version, key_id, data = [*sealed.split(".", 2), "", ""][:3]
        if version != VERSION or key_id != self.key_id:
            raise SecretUnavailableError(
                f"the secret is sealed with webhook key {key_id or '?'}, not this server's"
                f" ({self.key_id}): give every process the same {KEY_FILE_VARIABLE}"
            )
        try:
            raw = base64.b64decode(data, validate=True)
            return self.aead.decrypt(raw[:12], raw[12:], webhook_id.bytes).decode()
        except (binascii.Error, InvalidTag, ValueError):
            raise SecretUnavailableError("the sealed secret does not open") from None


def key_file(path: str | None = None) -> Path:
    return Path(path or os.environ.get(KEY_FILE_VARIABLE) or DEFAULT_KEY_FILE)


def load_sealer(path: str | None = None) -> Sealer:
    """The sealer of the key file, which is made (atomically, never over another process's)
    when missing."""
    file = key_file(path)
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        temporary.write_bytes(base64.b64encode(secrets.token_bytes(32)) + b"\n")
        temporary.chmod(0o600)
        try:
            os.link(temporary, file)
            log.warning("claimtrail: generated a webhook key in %s; keep it safe", file)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            temporary.unlink(missing_ok=True)
    try:
        key = base64.b64decode(file.read_bytes().strip(), validate=True)
    except binascii.Error:
        raise ValueError(f"{file} does not hold a base64 webhook key") from None
    return Sealer(key)
