"""Key rotation: a new signing key handed over by an event signed with the old one, and the chain
of keys an auditor follows from the key they hold.

Each `KeyRotation.Made` event names the old key (id and public key), the new key, and the old
key's signature over `rotation_statement`. Checkpoints of trees that hold the rotation's leaf are
signed with the new key; trees before it with the old. An auditor holding any key of the chain
can check them all: the keys before the one held are vouched for by the later checkpoints, which
sign a log holding their hand-over.
"""

from __future__ import annotations

import base64
import bisect
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from eventsourcing.utils import get_topic

from domain.signing_keys import KeyRotation, rotation_id, rotation_statement
from infra.integrity.keys import (
    key_file,
    load_signer,
    other_key_file,
    write_private_key,
)
from infra.integrity.signing import Checkpoint, b64_raw, key_id, verify_checkpoint
from infra.integrity.structure import decoded

TOPIC = get_topic(KeyRotation.Made)


class RotationError(Exception):
    """Raised when the key file's key cannot be rotated (not the log's current key)."""


@dataclass(frozen=True)
class Rotation:
    position: int
    old_key_id: str
    old_public_key: str
    new_key_id: str
    new_public_key: str
    signature: str

    @classmethod
    def of(cls, position: int, data: dict[str, Any]) -> Rotation:
        return cls(
            position,
            old_key_id=str(data["old_key_id"]),
            old_public_key=str(data["old_public_key"]),
            new_key_id=str(data["new_key_id"]),
            new_public_key=str(data["new_public_key"]),
            signature=str(data["signature"]),
        )


def public_key(b64: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(b64, validate=True))


def stored_rotations(ledger: Any) -> list[Rotation]:
    """Every rotation in the log, in log order."""
    found, start = [], 0
    while batch := ledger.recorder.select_notifications(
        start=start, limit=500, topics=[TOPIC], inclusive_of_start=False
    ):
        for note in batch:
            try:
                found.append(Rotation.of(note.id, decoded(note.topic, note.state)))
            except ValueError:
                continue  # not a rotation: `verify` names it as an event that does not decode
        start = batch[-1].id
    return found


def hand_over_problem(rotation: Rotation, current_id: str, current: Ed25519PublicKey) -> str | None:
    """Why `rotation` is not a valid hand-over from the current key, or None."""
    if rotation.old_key_id != current_id or b64_raw(current) != rotation.old_public_key:
        return f"retires {rotation.old_key_id}, not the current key {current_id}"
    try:
        new = public_key(rotation.new_public_key)
        current.verify(
            base64.b64decode(rotation.signature, validate=True),
            rotation_statement(rotation.old_key_id, rotation.new_key_id, rotation.new_public_key),
        )
    except (InvalidSignature, ValueError):
        return "is not signed by the key it retires"
    if key_id(new) != rotation.new_key_id:
        return "names a key id its key does not have"
    return None


@dataclass
class KeyChain:
    """The keys of the log in order, each from the leaf index of its rotation."""

    keys: list[tuple[str, Ed25519PublicKey]]  # (key id, key), the first signs from leaf 0
    since: list[int]  # the leaf index each key after the first was handed over at
    held: str  # the id of the key the auditor holds
    problems: list[tuple[int, str]] = field(default_factory=list)  # (position, reason)

    @classmethod
    def follow(cls, held: Ed25519PublicKey, rotations: list[tuple[int, Rotation]]) -> KeyChain:
        """The chain from the log's first key through each `(leaf index, rotation)`; a rotation
        not signed by the key it retires ends it (and is a problem)."""
        chain = cls([(key_id(held), held)], [], key_id(held))
        if rotations:
            try:
                first = public_key(rotations[0][1].old_public_key)
                chain.keys = [(key_id(first), first)]
            except ValueError:
                rotations = rotations[:1]  # its hand-over below names the problem
        for index, rotation in rotations:
            problem = chain._hand_over(index, rotation)
            if problem:
                chain.problems.append(
                    (
                        rotation.position,
                        f"the key rotation at position {rotation.position} {problem}",
                    )
                )
                break
        return chain

    def _hand_over(self, index: int, rotation: Rotation) -> str | None:
        current_id, current = self.keys[-1]
        problem = hand_over_problem(rotation, current_id, current)
        if problem is None:
            self.keys.append((rotation.new_key_id, public_key(rotation.new_public_key)))
            self.since.append(index)
        return problem

    def signer_of(self, tree_size: int) -> int:
        """The index in `keys` of the key that signs the tree of `tree_size` leaves."""
        return bisect.bisect_left(self.since, tree_size)

    def check(self, checkpoint: Checkpoint) -> str | None:
        """Why the checkpoint is not signed as the chain says, or None."""
        size, ids = checkpoint.tree_size, [kid for kid, _ in self.keys]
        if self.held not in ids:
            return f"the checkpoint of tree size {size} is not signed by this key"
        expected = self.signer_of(size)
        kid, key = self.keys[expected]
        if checkpoint.key_id in ids[:expected]:
            return (
                f"the checkpoint of tree size {size} is signed with the retired key"
                f" {checkpoint.key_id}"
            )
        if checkpoint.key_id not in ids:
            return (
                f"the checkpoint of tree size {size} is not signed by this key: it names key"
                f" {checkpoint.key_id}, unknown to the chain of keys from the one you hold"
            )
        if checkpoint.key_id != kid:
            return (
                f"the checkpoint of tree size {size} is signed with key {checkpoint.key_id},"
                f" which the log hands over to only later ({kid} signs it)"
            )
        if not verify_checkpoint(checkpoint, key):
            return f"the checkpoint of tree size {size} is not signed by this key (bad signature)"
        return None


def rotate_key(ledger: Any, path: str | None = None) -> tuple[str, str]:
    """Hand the key file's key over to a new key: the new key is written beside the key file,
    the rotation recorded in the log (signed with the old key), then the key file replaced (the
    old key kept as `<key file>.<old key_id>`). (old key id, new key id)."""
    file, old = key_file(path), load_signer(path, create=False)
    rotations = stored_rotations(ledger)
    current = rotations[-1].new_key_id if rotations else old.key_id
    if old.key_id != current or ledger.exists(rotation_id(old.key_id)):
        raise RotationError(
            f"the key file's key {old.key_id} is not the log's current signing key {current}"
        )
    new_key = Ed25519PrivateKey.generate()
    new_id, new_public = key_id(new_key.public_key()), b64_raw(new_key.public_key())
    write_private_key(other_key_file(file, new_id), new_key)
    signature = old.private_key.sign(rotation_statement(old.key_id, new_id, new_public))
    ledger.save(
        KeyRotation.make(
            old_key_id=old.key_id,
            old_public_key=b64_raw(old.public_key),
            new_key_id=new_id,
            new_public_key=new_public,
            signature=base64.b64encode(signature).decode(),
            meta=ledger.principals.system_context("rotate-key").meta,
        )
    )
    write_private_key(other_key_file(file, old.key_id), old.private_key, replace=True)
    write_private_key(file, new_key, replace=True)
    return old.key_id, new_id
