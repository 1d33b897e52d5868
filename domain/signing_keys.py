"""The KeyRotation aggregate: the checkpoint signing key handed over to a new key, in the log.

One aggregate per key rotated away from (its id derives from that key's id), so a key can be
handed over only once, under the event store's own uniqueness check. The statement
`rotation_statement(...)` is signed with the old key; checking that signature needs a crypto
library, which the domain does not import (infra/integrity/keys.py does it before saving).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.base import LedgerAggregate
from domain.values import Meta

ROTATION_TEXT = "claimtrail-key-rotation"


def rotation_id(old_key_id: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"claimtrail:key-rotation:{old_key_id}")


def rotation_statement(old_key_id: str, new_key_id: str, new_public_key: str) -> bytes:
    """What the old key signs: `claimtrail-key-rotation\\n<old id>\\n<new id>\\n<new key>\\n`."""
    return f"{ROTATION_TEXT}\n{old_key_id}\n{new_key_id}\n{new_public_key}\n".encode()


class KeyRotation(LedgerAggregate):
    """Checkpoints are signed with `new_key_id` from this event on, no longer `old_key_id`.
    Public keys are raw Ed25519 keys in base64; `signature` (base64) is the old key's over
    `rotation_statement`."""

    class Made(LedgerAggregate.Created):
        old_key_id: str
        old_public_key: str
        new_key_id: str
        new_public_key: str
        signature: str

        def apply(self, rotation: Any) -> None:
            rotation.old_key_id, rotation.old_public_key = self.old_key_id, self.old_public_key
            rotation.new_key_id, rotation.new_public_key = self.new_key_id, self.new_public_key
            rotation.signature = self.signature

    if TYPE_CHECKING:
        old_key_id: str
        old_public_key: str
        new_key_id: str
        new_public_key: str
        signature: str

    @classmethod
    def make(
        cls,
        *,
        old_key_id: str,
        old_public_key: str,
        new_key_id: str,
        new_public_key: str,
        signature: str,
        meta: Meta,
    ) -> KeyRotation:
        return cls._create(
            cls.Made,
            id=rotation_id(old_key_id),
            old_key_id=old_key_id,
            old_public_key=old_public_key,
            new_key_id=new_key_id,
            new_public_key=new_public_key,
            signature=signature,
            meta=meta,
        )
