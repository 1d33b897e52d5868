"""`claimtrail verify --url`: check a running server through its public audit endpoints only.

Trust comes from the public key alone: every checkpoint (GET /audit/checkpoints) must carry a
valid signature by the key the chain of rotations in the log names for its size, its root must
equal the root recomputed from the served events, a few inclusion proofs must lead to the latest
root, and an earlier checkpoint (given, or a prefix of the log) must be consistent with it. Each
event's version must follow its aggregate's.
"""

from __future__ import annotations

from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from infra.integrity.leaves import item_leaf
from infra.integrity.merkle import MerkleTree, verify_consistency, verify_inclusion
from infra.integrity.report import Progress, Report
from infra.integrity.rotation import TOPIC, KeyChain, Rotation
from infra.integrity.signing import Checkpoint
from infra.integrity.structure import StructureError, Versions

PAGE = 1000


class RemoteError(Exception):
    """Raised when the server does not answer an audit request as the API describes."""


def _get(client: httpx.Client, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    if response.status_code != 200:
        raise RemoteError(f"GET {path} answered {response.status_code}: {response.text[:300]}")
    return response.json()


def verify_server(
    client: httpx.Client,
    public_key: Ed25519PublicKey,
    previous: Checkpoint | None = None,
    samples: int = 3,
    progress: Progress = lambda done, total: None,
) -> Report:
    report = Report()
    head = Checkpoint.from_dict(_get(client, "/audit/checkpoint"))
    tree, positions, rotations = _read_log(client, head.tree_size, report, progress)
    chain = KeyChain.follow(public_key, rotations)
    for position, reason in chain.problems:
        report.add(position, reason)
    given = [c for c in (previous, head) if c] + _every_checkpoint(client)
    for checkpoint in dict.fromkeys(given):
        _check_checkpoint(checkpoint, chain, tree, positions, report)
    size = head.tree_size
    if len(tree) < size:
        report.add(
            positions[-1] + 1 if positions else 1,
            f"the log holds {len(tree)} events, fewer than the checkpoint's {size}",
        )
        return report
    if tree.root(size).hex() != head.root_hash:
        report.add(
            positions[0],
            f"the events do not hash to the checkpoint's root (tree size"
            f" {size}): some event up to position {positions[size - 1]}"
            " was changed",
            until=positions[size - 1],
        )
    root = bytes.fromhex(head.root_hash)
    for index in sorted({0, size // 2, size - 1})[:samples]:
        _check_inclusion(client, tree, positions, index, size, root, report)
    first = previous.tree_size if previous else size // 2
    if 0 < first < size:
        first_root = bytes.fromhex(previous.root_hash) if previous else tree.root(first)
        proof = _get(client, "/audit/proofs/consistency", first=first, second=size)
        report.proofs += 1
        if not verify_consistency(
            first, size, first_root, root, [bytes.fromhex(p) for p in proof["path"]]
        ):
            report.add(
                positions[first - 1],
                f"the tree of {size} leaves is not consistent with"
                f" the earlier tree of {first} leaves",
            )
    return report


def _every_checkpoint(client: httpx.Client) -> list[Checkpoint]:
    found: list[Checkpoint] = []
    after: int | None = 0
    while after is not None:
        page = _get(client, "/audit/checkpoints", after=after, limit=PAGE)
        found += [Checkpoint.from_dict(item) for item in page["items"]]
        after = page["next_after"]
    return found


def _check_checkpoint(
    checkpoint: Checkpoint,
    chain: KeyChain,
    tree: MerkleTree,
    positions: list[int],
    report: Report,
) -> None:
    """Signed by the key the chain names for its size, and its root that of the served log."""
    report.checkpoints += 1
    size = checkpoint.tree_size
    if (problem := chain.check(checkpoint)) is not None:
        report.add(positions[min(size, len(positions)) - 1] if positions else 0, problem)
    if size <= len(tree) and tree.root(size).hex() != checkpoint.root_hash:
        report.add(
            positions[0],
            f"the checkpoint of tree size {size} does not match the served events",
            until=positions[size - 1],
        )


def _read_log(
    client: httpx.Client, size: int, report: Report, progress: Progress
) -> tuple[MerkleTree, list[int], list[tuple[int, Rotation]]]:
    """Every served event, its leaf recomputed and compared with the leaf the server states,
    its version checked to follow its aggregate's; and the key rotations, by leaf index."""
    tree, positions, after = MerkleTree(), [], 0
    rotations: list[tuple[int, Rotation]] = []
    versions = Versions()
    while True:
        page = _get(client, "/audit/log", after=after, limit=PAGE)
        for item in page["items"]:
            _check_structure(item, versions, report)
            if item["topic"] == TOPIC and item["data"] is not None:
                rotations.append((len(tree), Rotation.of(item["position"], item["data"])))
            leaf = item_leaf(item)
            tree.append(leaf)
            positions.append(item["position"])
            report.events += 1
            if item["leaf_hash"] is None:
                report.pending += 1
                continue
            report.leaves += 1
            if item["leaf_hash"] != leaf.hex():
                report.add(
                    item["position"],
                    f"the event at position {item['position']} does"
                    " not match its leaf (changed after it was logged)",
                )
        progress(report.events, max(size, report.events))
        if page["next_after"] is None:
            return tree, positions, rotations
        after = page["next_after"]


def _check_structure(item: dict[str, Any], versions: Versions, report: Report) -> None:
    position = item["position"]
    if item["data"] is None:
        report.add(position, f"the event at position {position} is not of a known event type")
    try:
        versions.check(position, item["aggregate_id"], item["version"])
    except StructureError as exc:
        report.add(position, str(exc))


def _check_inclusion(
    client: httpx.Client,
    tree: MerkleTree,
    positions: list[int],
    index: int,
    size: int,
    root: bytes,
    report: Report,
) -> None:
    proof = _get(client, "/audit/proofs/inclusion", position=positions[index], tree_size=size)
    report.proofs += 1
    leaf = tree.complete(0, index)
    path = [bytes.fromhex(p) for p in proof["path"]]
    if proof["leaf_index"] != index or not verify_inclusion(leaf, index, size, path, root):
        report.add(
            positions[index],
            f"the inclusion proof of position {positions[index]} in"
            f" the tree of {size} leaves does not verify",
        )
