"""RFC 9162 Merkle trees: the efficient tree against the RFC's recursive definitions, and
verifiers that accept every honest proof and refuse every altered one."""

import hashlib

import pytest

from infra.integrity.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    leaf_hash,
    node_hash,
    verify_consistency,
    verify_inclusion,
)

# -- the RFC's definitions, written as literally as possible ---------------------------------


def H(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def mth(d: list[bytes]) -> bytes:
    """RFC 9162 §2.1.1."""
    n = len(d)
    if n == 0:
        return H(b"")
    if n == 1:
        return H(b"\x00" + d[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return H(b"\x01" + mth(d[:k]) + mth(d[k:]))


def path(m: int, d: list[bytes]) -> list[bytes]:
    """RFC 9162 §2.1.3.1."""
    n = len(d)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*path(m, d[:k]), mth(d[k:])]
    return [*path(m - k, d[k:]), mth(d[:k])]


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    """RFC 9162 §2.1.4.1."""
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*subproof(m, d[:k], b), mth(d[k:])]
    return [*subproof(m - k, d[k:], False), mth(d[:k])]


DATA = [f"leaf {i}".encode() for i in range(64)]


@pytest.fixture(scope="module")
def tree() -> MerkleTree:
    return MerkleTree(leaf_hash(d) for d in DATA)


# -- hashing -----------------------------------------------------------------------------------


def test_leaves_and_nodes_are_hashed_with_distinct_prefixes():
    assert leaf_hash(b"") == bytes.fromhex(
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )
    assert node_hash(b"a" * 32, b"b" * 32) == H(b"\x01" + b"a" * 32 + b"b" * 32)
    assert EMPTY_ROOT == H(b"") == MerkleTree().root()


def test_the_root_of_every_size_matches_the_rfc_definition(tree: MerkleTree):
    for n in range(65):
        assert tree.root(n) == mth(DATA[:n]), n


def test_a_tree_grown_leaf_by_leaf_has_the_same_roots():
    grown = MerkleTree()
    for n, data in enumerate(DATA, start=1):
        grown.append(leaf_hash(data))
        assert grown.root() == mth(DATA[:n])


def test_a_truncated_tree_forgets_the_leaves_after_its_size(tree: MerkleTree):
    copy = MerkleTree(leaf_hash(d) for d in DATA)
    copy.truncate(37)
    assert len(copy) == 37 and copy.root() == tree.root(37)
    copy.extend(leaf_hash(b"other") for _ in range(27))
    assert len(copy) == 64 and copy.root() != tree.root()


# -- proofs match the RFC and verify -----------------------------------------------------------


def test_every_inclusion_proof_matches_the_rfc_and_verifies(tree: MerkleTree):
    for n in range(1, 65):
        for m in range(n):
            proof = tree.inclusion_proof(m, n)
            assert proof == path(m, DATA[:n]), (m, n)
            assert verify_inclusion(leaf_hash(DATA[m]), m, n, proof, tree.root(n)), (m, n)


def test_every_consistency_proof_matches_the_rfc_and_verifies(tree: MerkleTree):
    for n in range(1, 65):
        for m in range(1, n + 1):
            proof = tree.consistency_proof(m, n)
            assert proof == (subproof(m, DATA[:n], True) if m < n else []), (m, n)
            assert verify_consistency(m, n, tree.root(m), tree.root(n), proof), (m, n)


def test_the_empty_tree_is_consistent_with_every_tree(tree: MerkleTree):
    assert tree.consistency_proof(0, 10) == []
    assert verify_consistency(0, 10, EMPTY_ROOT, tree.root(10), [])
    assert not verify_consistency(0, 10, tree.root(3), tree.root(10), [])


def test_proofs_beyond_the_tree_are_refused(tree: MerkleTree):
    for bad in (
        lambda: tree.inclusion_proof(5, 5),
        lambda: tree.inclusion_proof(0, 65),
        lambda: tree.consistency_proof(9, 8),
        lambda: tree.root(65),
    ):
        with pytest.raises(ValueError):
            bad()


# -- altered proofs are rejected ---------------------------------------------------------------


def _flip(h: bytes) -> bytes:
    return bytes([h[0] ^ 1]) + h[1:]


def inclusion_forgeries(tree: MerkleTree, m: int, n: int):
    leaf, proof, r = leaf_hash(DATA[m]), tree.inclusion_proof(m, n), tree.root(n)
    yield "wrong leaf", (leaf_hash(b"forged"), m, n, proof, r)
    yield "wrong root", (leaf, m, n, proof, tree.root(n - 1) if n > 1 else _flip(r))
    yield "wrong index", (leaf, (m + 1) % n, n, proof, r) if n > 1 else None
    # A proof for one size offered for another (with that size's own root).
    yield "larger size", (leaf, m, n + 1, proof, tree.root(n + 1))
    yield "smaller size", (leaf, m, n - 1, proof, tree.root(n - 1)) if m < n - 1 else None
    yield "extra element", (leaf, m, n, [*proof, proof[0] if proof else leaf], r)
    yield "short hash", (leaf, m, n, [*proof[:-1], proof[-1][:31]], r) if proof else None
    for i in range(len(proof)):
        yield f"wrong sibling {i}", (leaf, m, n, [*proof[:i], _flip(proof[i]), *proof[i + 1 :]], r)
        yield f"truncated at {i}", (leaf, m, n, proof[:i], r)


def test_altered_inclusion_proofs_are_rejected(tree: MerkleTree):
    for n in range(1, 40):
        for m in range(n):
            for name, args in inclusion_forgeries(tree, m, n):
                if args is not None:
                    assert not verify_inclusion(*args), (name, m, n)


def consistency_forgeries(tree: MerkleTree, m: int, n: int):
    proof, r1, r2 = tree.consistency_proof(m, n), tree.root(m), tree.root(n)
    yield "wrong first root", (m, n, _flip(r1), r2, proof)
    yield "wrong second root", (m, n, r1, _flip(r2), proof)
    yield "wrong first size", (m - 1, n, tree.root(m - 1), r2, proof) if m > 1 else None
    yield "wrong second size", (m, n + 1, r1, tree.root(n + 1), proof)
    yield "swapped sizes", (n, m, r2, r1, proof)
    yield "extra element", (m, n, r1, r2, [*proof, proof[0]])
    yield "empty proof", (m, n, r1, r2, [])
    for i in range(len(proof)):
        yield f"wrong element {i}", (m, n, r1, r2, [*proof[:i], _flip(proof[i]), *proof[i + 1 :]])
        yield f"truncated at {i}", (m, n, r1, r2, proof[:i])


def test_altered_consistency_proofs_are_rejected(tree: MerkleTree):
    for n in range(2, 40):
        for m in range(1, n):
            for name, args in consistency_forgeries(tree, m, n):
                if args is not None:
                    assert not verify_consistency(*args), (name, m, n)


def test_a_proof_from_another_tree_is_rejected(tree: MerkleTree):
    other = MerkleTree(leaf_hash(d + b"!") for d in DATA)
    assert not verify_inclusion(
        leaf_hash(DATA[3]), 3, 20, other.inclusion_proof(3, 20), tree.root(20)
    )
    assert not verify_consistency(
        7, 20, tree.root(7), tree.root(20), other.consistency_proof(7, 20)
    )


def test_a_large_tree_answers_proofs_with_logarithmic_paths():
    big = MerkleTree(leaf_hash(i.to_bytes(4, "big")) for i in range(100_003))
    proof = big.inclusion_proof(77_777)
    assert len(proof) == 17
    assert verify_inclusion(
        leaf_hash((77_777).to_bytes(4, "big")), 77_777, 100_003, proof, big.root()
    )
    assert verify_consistency(
        65_537, 100_003, big.root(65_537), big.root(), big.consistency_proof(65_537)
    )


def test_the_root_folds_from_the_frontier_of_complete_subtrees(tree: MerkleTree):
    from infra.integrity.merkle import fold, frontier

    assert frontier(13) == [(3, 0), (2, 2), (0, 12)]
    for n in range(65):
        assert fold([tree.complete(level, i) for level, i in frontier(n)]) == mth(DATA[:n]), n


def test_the_canonical_leaf_of_an_event_is_the_one_the_readme_documents():
    from infra.integrity.leaves import leaf_data

    state = {
        "reason": "hors contexte",
        "meta": {"request_id": "r-1"},
        "note": "Pékin",
        "timestamp": {"_type_": "datetime_iso", "_data_": "2026-11-28T10:00:00+00:00"},
    }
    data = leaf_data(
        7, "0B6C3C3E6C8E4F3A9D5E2F1A4B7C9D01", 2, "domain.claims:Claim.Disputed", state
    )
    assert (
        data
        == (
            '{"aggregate_id":"0b6c3c3e-6c8e-4f3a-9d5e-2f1a4b7c9d01","payload":{"meta":'
            '{"request_id":"r-1"},"note":"Pékin","reason":"hors contexte","timestamp":'
            '{"_data_":"2026-11-28T10:00:00+00:00","_type_":"datetime_iso"}},"position":7,'
            '"topic":"domain.claims:Claim.Disputed","version":2}'
        ).encode()
    )
    assert leaf_hash(data).hex() == (
        "fe372ea33201d69f1e4babdecab0a262c08e2b53776f9a93e99ce5be88e0e430"
    )


def test_a_leaf_ignores_the_white_space_of_the_stored_json_but_not_its_values():
    from uuid import uuid4

    from infra.integrity.leaves import record_leaf

    class Record:
        id, originator_id, originator_version, topic = 3, uuid4(), 1, "domain.x:X.Made"
        state = b'{"a":1,"b":"\\u00e9"}'

    spaced = type("Spaced", (Record,), {"state": b'{ "b" : "\xc3\xa9",\n "a" : 1 }'})
    changed = type("Changed", (Record,), {"state": b'{"a":2,"b":"\\u00e9"}'})
    assert record_leaf(Record) == record_leaf(spaced) != record_leaf(changed)
