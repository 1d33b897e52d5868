"""RFC 9162 Merkle trees: tree heads, inclusion and consistency proofs, and their verification.

Pure, stdlib only. A tree is read through `complete(level, index)`: the hash of the complete
subtree of 2**level leaves that starts at leaf `index * 2**level`. The hash of any range and every
proof are composed from O(log n) of those, so a tree held in memory (`MerkleTree`) and one held in
SQL tables serve the same functions.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from typing import Protocol

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = HASH()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes | bytearray, right: bytes | bytearray) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class Subtrees(Protocol):
    def complete(self, level: int, index: int) -> bytes: ...


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def range_hash(tree: Subtrees, start: int, end: int) -> bytes:
    """MTH(D[start:end]) (RFC 9162 §2.1.1), from complete subtrees."""
    n = end - start
    if n & (n - 1) == 0 and start % n == 0:
        return tree.complete(n.bit_length() - 1, start // n)
    k = _split(n)
    return node_hash(range_hash(tree, start, start + k), range_hash(tree, start + k, end))


def root(tree: Subtrees, size: int) -> bytes:
    return EMPTY_ROOT if size == 0 else range_hash(tree, 0, size)


def frontier(size: int) -> list[tuple[int, int]]:
    """(level, index) of the complete subtrees that make up `size` leaves, largest first."""
    spans, start = [], 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            spans.append((level, start >> level))
            start += 1 << level
    return spans


def fold(hashes: Sequence[bytes]) -> bytes:
    """The root over a frontier's hashes (largest subtree first)."""
    if not hashes:
        return EMPTY_ROOT
    value = hashes[-1]
    for left in reversed(hashes[:-1]):
        value = node_hash(left, value)
    return value


def inclusion_proof(tree: Subtrees, index: int, size: int) -> list[bytes]:
    """PATH(index, D[size]) (RFC 9162 §2.1.3.1), ordered from the leaf up."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    path, start, end = [], 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            path.append(range_hash(tree, start + k, end))
            end = start + k
        else:
            path.append(range_hash(tree, start, start + k))
            start += k
    return path[::-1]


def consistency_proof(tree: Subtrees, first: int, second: int) -> list[bytes]:
    """PROOF(first, D[second]) (RFC 9162 §2.1.4.1); empty when first is 0 or equals second."""
    if not 0 <= first <= second:
        raise ValueError(f"no consistency proof from {first} to {second} leaves")
    if first in (0, second):
        return []
    tail, start, end, m, whole = [], 0, second, first, True
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            tail.append(range_hash(tree, start + k, end))
            end = start + k
        else:
            tail.append(range_hash(tree, start, start + k))
            m, start, whole = m - k, start + k, False
    head = [] if whole else [range_hash(tree, start, end)]
    return head + tail[::-1]


def _well_formed(*hashes: bytes) -> bool:
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in hashes)


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: Sequence[bytes], root_hash: bytes
) -> bool:
    """RFC 9162 §2.1.3.2."""
    if not 0 <= index < size or not _well_formed(leaf, root_hash, *path):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and hmac.compare_digest(r, root_hash)


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, path: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2, plus the trivial cases it leaves out (first = 0, first = second)."""
    if not 0 <= first <= second or not _well_formed(first_root, second_root, *path):
        return False
    if first == second:
        return not path and hmac.compare_digest(first_root, second_root)
    if first == 0:
        return not path and hmac.compare_digest(first_root, EMPTY_ROOT)
    if not path:
        return False
    if first & (first - 1) == 0:
        path = [first_root, *path]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and hmac.compare_digest(fr, first_root) and hmac.compare_digest(sr, second_root)


class MerkleTree:
    """An append-only tree in memory: every complete subtree's hash, one flat array per level."""

    def __init__(self, leaves: Iterable[bytes] = ()) -> None:
        self.levels: list[bytearray] = [bytearray()]
        self.extend(leaves)

    def __len__(self) -> int:
        return len(self.levels[0]) // HASH_SIZE

    def append(self, leaf: bytes) -> None:
        """Add a leaf hash; each subtree it completes is hashed once, here."""
        level, value = 0, leaf
        while True:
            if level == len(self.levels):
                self.levels.append(bytearray())
            row = self.levels[level]
            row += value
            if len(row) // HASH_SIZE % 2:
                return
            value = node_hash(row[-2 * HASH_SIZE : -HASH_SIZE], row[-HASH_SIZE:])
            level += 1

    def extend(self, leaves: Iterable[bytes]) -> None:
        self.extend_joined(b"".join(leaves))

    def extend_joined(self, leaves: bytes) -> None:
        """Add leaf hashes given end to end, level by level: each new complete subtree is
        hashed once."""
        row = self.levels[0]
        fresh = len(self)  # the first new index on the current level
        row += leaves
        if len(row) % HASH_SIZE:
            raise ValueError("leaf hashes are 32 bytes each")
        level = 0
        while (first := fresh // 2) < (last := len(row) // (2 * HASH_SIZE)):
            if level + 1 == len(self.levels):
                self.levels.append(bytearray())
            pairs = memoryview(row)
            self.levels[level + 1] += b"".join(
                hashlib.sha256(
                    b"\x01" + pairs[2 * HASH_SIZE * i : 2 * HASH_SIZE * (i + 1)]
                ).digest()
                for i in range(first, last)
            )
            pairs.release()
            level, row, fresh = level + 1, self.levels[level + 1], first

    def truncate(self, size: int) -> None:
        for level, row in enumerate(self.levels):
            del row[(size >> level) * HASH_SIZE :]

    def complete(self, level: int, index: int) -> bytes:
        row = self.levels[level] if level < len(self.levels) else b""
        end = (index + 1) * HASH_SIZE
        if index < 0 or end > len(row):
            raise IndexError(f"no complete subtree {index} at level {level}")
        return bytes(row[end - HASH_SIZE : end])

    def root(self, size: int | None = None) -> bytes:
        return root(self, len(self) if size is None else self._size(size))

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        return inclusion_proof(self, index, len(self) if size is None else self._size(size))

    def consistency_proof(self, first: int, second: int | None = None) -> list[bytes]:
        return consistency_proof(self, first, len(self) if second is None else self._size(second))

    def _size(self, size: int) -> int:
        if not 0 <= size <= len(self):
            raise ValueError(f"the tree has {len(self)} leaves, not {size}")
        return size
