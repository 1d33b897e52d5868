"""The pure parts of the integrity checks: version sequences, event decoding, the key chain,
public key formats, the capped reconnection backoff."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.utils import get_topic

from domain.reservations import Reservation
from domain.signing_keys import rotation_statement
from infra.integrity.keys import load_public_key
from infra.integrity.rotation import KeyChain, Rotation
from infra.integrity.signing import Signer, b64_raw, key_id, public_pem
from infra.integrity.structure import StructureError, Versions, decoded, next_version_problem
from infra.store.database import RECONNECT_DELAY_MAX, _CappedBackoff


def test_versions_run_one_two_three_per_aggregate():
    versions = Versions()
    for position, (aggregate, version) in enumerate([("a", 1), ("b", 1), ("a", 2), ("a", 3)]):
        versions.check(position, aggregate, version)
    with pytest.raises(StructureError, match="a gap"):
        versions.check(9, "a", 1003)
    with pytest.raises(StructureError, match="repeats version 2"):
        versions.check(9, "a", 2)
    with pytest.raises(StructureError, match="next is 1"):
        versions.check(9, "c", 2)
    assert next_version_problem(4, 3) is None


def test_only_known_event_classes_with_their_fields_decode():
    topic = get_topic(Reservation.Made)
    with pytest.raises(ValueError, match="unknown event type"):
        decoded("os:system", b"{}")
    with pytest.raises(ValueError, match="does not decode"):
        decoded(topic, b"not json")
    with pytest.raises(ValueError, match=r"missing fields \['holder_id'"):
        decoded(topic, b'{"kind": "k", "value": "v"}')


def _rotation(old: Signer, new: Signer, *, signer: Signer | None = None) -> Rotation:
    public = b64_raw(new.public_key)
    statement = rotation_statement(old.key_id, new.key_id, public)
    signature = (signer or old).private_key.sign(statement)
    return Rotation(
        7, old.key_id, b64_raw(old.public_key), new.key_id, public,
        base64.b64encode(signature).decode(),
    )  # fmt: skip


def test_the_chain_follows_rotations_from_any_key_it_holds():
    a, b, c = (Signer(Ed25519PrivateKey.generate()) for _ in range(3))
    rotations = [(3, _rotation(a, b)), (8, _rotation(b, c))]
    for held in (a, b, c):
        chain = KeyChain.follow(held.public_key, rotations)
        assert not chain.problems and [k for k, _ in chain.keys] == [a.key_id, b.key_id, c.key_id]
        assert [chain.signer_of(n) for n in (1, 3, 4, 8, 9)] == [0, 0, 1, 1, 2]
        assert chain.check(b.sign(4, "00" * 32)) is None
        assert "retired key" in (chain.check(a.sign(4, "00" * 32)) or "")
        assert "only later" in (chain.check(c.sign(4, "00" * 32)) or "")


def test_a_rotation_not_signed_by_the_key_it_retires_ends_the_chain():
    a, b, x = (Signer(Ed25519PrivateKey.generate()) for _ in range(3))
    chain = KeyChain.follow(a.public_key, [(3, _rotation(a, b, signer=x))])
    assert chain.problems == [
        (7, "the key rotation at position 7 is not signed by the key it retires")
    ]
    assert "not signed by this key" in (chain.check(b.sign(4, "00" * 32)) or "")


def test_a_public_key_is_read_from_json_pem_or_base64():
    key = Ed25519PrivateKey.generate().public_key()
    raw = b64_raw(key)
    for form in (
        f'{{"public_key": "{raw}"}}'.encode(),
        f'{{"pem": {public_pem(key)!r}}}'.replace("'", '"').replace("\n", "\\n").encode(),
        public_pem(key).encode(),
        raw.encode() + b"\n",
    ):
        assert key_id(load_public_key(form)) == key_id(key), form


def test_the_reconnection_backoff_is_capped():
    attempt = _CappedBackoff(timeout=3600)
    delays = []
    for now in range(10):
        attempt.update_delay(float(now))
        delays.append(attempt.delay)
    assert max(delays) <= RECONNECT_DELAY_MAX and delays[-1] == RECONNECT_DELAY_MAX
