"""GET /audit/*: the log with its leaves, the signed checkpoint, the public key, and proofs an
auditor can check with nothing but the public key."""

from __future__ import annotations

import base64
import hashlib

import pytest

from infra.integrity.leaves import item_leaf
from infra.integrity.merkle import MerkleTree, verify_consistency, verify_inclusion
from infra.integrity.signing import verify_checkpoint
from tests.api.audit.conftest import Audited
from tests.api.helpers import assert_invalid, assert_problem


def _log(audited: Audited, limit: int = 7) -> list[dict]:
    items, after = [], 0
    while after is not None:
        response = audited.api.get(
            "/audit/log", after=after, limit=limit, min_position=audited.head
        )
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        after = response.json()["next_after"]
    return items


def _hex(path: list[str]) -> list[bytes]:
    return [bytes.fromhex(p) for p in path]


def test_the_log_lists_every_event_with_the_leaf_its_fields_hash_to(audited: Audited):
    items = _log(audited)
    assert [i["position"] for i in items] == list(range(1, audited.head + 1))
    first = items[0]
    assert set(first) == {
        "position",
        "aggregate_id",
        "aggregate_type",
        "version",
        "type",
        "topic",
        "recorded_at",
        "recorded_by",
        "data",
        "payload",
        "leaf_hash",
    }
    assert first["type"] == "principal.registered" and first["aggregate_type"] == "principal"
    assert all(i["leaf_hash"] == item_leaf(i).hex() for i in items)
    disputed = next(i for i in items if i["type"] == "claim.disputed")
    assert disputed["data"]["reason"] == "out of context" and disputed["version"] == 2


def test_a_page_after_the_end_is_empty(audited: Audited):
    body = audited.api.get("/audit/log", after=audited.head).json()
    assert body == {"items": [], "next_after": None}


def test_the_checkpoint_is_signed_and_its_root_is_the_root_of_the_log(audited: Audited):
    checkpoint = audited.checkpoint()
    assert checkpoint.tree_size == audited.head
    assert verify_checkpoint(checkpoint, audited.public_key())
    tree = MerkleTree(item_leaf(i) for i in _log(audited))
    assert tree.root(checkpoint.tree_size).hex() == checkpoint.root_hash


def test_the_public_key_is_given_raw_and_as_pem_with_its_id(audited: Audited):
    body = audited.api.get("/audit/public-key").json()
    assert body["algorithm"] == "Ed25519"
    raw = base64.b64decode(body["public_key"])
    assert len(raw) == 32 and body["key_id"] == hashlib.sha256(raw).hexdigest()[:32]
    assert audited.checkpoint().key_id == body["key_id"]
    assert body["pem"].startswith("-----BEGIN PUBLIC KEY-----")


def test_every_inclusion_proof_verifies_against_the_signed_root(audited: Audited):
    checkpoint = audited.checkpoint()
    root = bytes.fromhex(checkpoint.root_hash)
    for item in _log(audited):
        proof = audited.api.get("/audit/proofs/inclusion", position=item["position"]).json()
        assert proof["tree_size"] == checkpoint.tree_size
        assert proof["leaf_hash"] == item["leaf_hash"]
        assert verify_inclusion(
            bytes.fromhex(item["leaf_hash"]),
            proof["leaf_index"],
            proof["tree_size"],
            _hex(proof["path"]),
            root,
        )


def test_inclusion_in_an_earlier_tree_verifies_against_that_trees_root(audited: Audited):
    tree = MerkleTree(item_leaf(i) for i in _log(audited))
    proof = audited.api.get("/audit/proofs/inclusion", position=3, tree_size=5).json()
    assert proof["leaf_index"] == 2 and proof["tree_size"] == 5
    assert verify_inclusion(tree.complete(0, 2), 2, 5, _hex(proof["path"]), tree.root(5))


def test_consistency_proofs_show_each_earlier_tree_is_a_prefix(audited: Audited):
    checkpoint = audited.checkpoint()
    tree = MerkleTree(item_leaf(i) for i in _log(audited))
    second = bytes.fromhex(checkpoint.root_hash)
    for first in range(1, checkpoint.tree_size + 1):
        proof = audited.api.get("/audit/proofs/consistency", first=first).json()
        assert proof["first"] == first and proof["second"] == checkpoint.tree_size
        assert verify_consistency(
            first, checkpoint.tree_size, tree.root(first), second, _hex(proof["path"])
        )


def test_altered_proofs_from_the_server_are_rejected(audited: Audited):
    checkpoint = audited.checkpoint()
    root, size = bytes.fromhex(checkpoint.root_hash), checkpoint.tree_size
    proof = audited.api.get("/audit/proofs/inclusion", position=4).json()
    leaf, path = bytes.fromhex(proof["leaf_hash"]), _hex(proof["path"])
    assert verify_inclusion(leaf, 3, size, path, root)
    wrong = bytes(32)
    assert not verify_inclusion(leaf, 3, size, [wrong, *path[1:]], root)  # wrong sibling
    assert not verify_inclusion(leaf, 3, size, path[:-1], root)  # truncated
    assert not verify_inclusion(leaf, 3, size, [*path, wrong], root)  # extra element
    assert not verify_inclusion(leaf, 4, size, path, root)  # wrong index
    assert not verify_inclusion(wrong, 3, size, path, root)  # wrong leaf
    consistency = audited.api.get("/audit/proofs/consistency", first=3).json()
    tree = MerkleTree(item_leaf(i) for i in _log(audited))
    good = _hex(consistency["path"])
    assert verify_consistency(3, size, tree.root(3), root, good)
    assert not verify_consistency(3, size, tree.root(4), root, good)
    assert not verify_consistency(3, size, tree.root(3), root, good[:-1])


def test_an_unknown_position_is_a_404_problem(audited: Audited):
    response = audited.api.get("/audit/proofs/inclusion", position=audited.head + 1000)
    assert_problem(response, 404, "leaf-not-found")


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/audit/proofs/inclusion", {"position": 1, "tree_size": 10**9}),
        ("/audit/proofs/inclusion", {"position": 6, "tree_size": 5}),
        ("/audit/proofs/consistency", {"first": 5, "second": 4}),
        ("/audit/proofs/consistency", {"first": 1, "second": 10**9}),
    ],
)
def test_a_tree_the_log_does_not_have_is_a_422_problem(
    audited: Audited, path: str, params: dict[str, int]
):
    assert_problem(audited.api.get(path, **params), 422, "invalid-tree-size")


@pytest.mark.parametrize(
    ("path", "params", "loc"),
    [
        ("/audit/proofs/inclusion", {"position": 0}, "position"),
        ("/audit/proofs/inclusion", {"position": "x"}, "position"),
        ("/audit/proofs/inclusion", {}, "position"),
        ("/audit/proofs/consistency", {"first": 0}, "first"),
        ("/audit/proofs/consistency", {"first": 1, "second": -1}, "second"),
        ("/audit/log", {"limit": 0}, "limit"),
        ("/audit/log", {"limit": 1001}, "limit"),
        ("/audit/log", {"after": -1}, "after"),
    ],
)
def test_bad_parameters_are_422_validation_problems(
    audited: Audited, path: str, params: dict[str, object], loc: str
):
    assert_invalid(audited.api.get(path, **params), "query", loc)


def test_min_position_waits_for_the_audit_view(audited: Audited):
    head = audited.write()
    response = audited.api.get("/audit/proofs/inclusion", position=head, min_position=head)
    assert response.status_code == 200, response.text
    assert response.json()["tree_size"] >= response.json()["leaf_index"] + 1
