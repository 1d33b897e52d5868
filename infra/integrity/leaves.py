"""The leaf of each stored event: a canonical JSON encoding of its record, hashed per RFC 9162.

Canonical JSON: UTF-8, keys sorted, no white space, non-ASCII characters as themselves, of
`{"aggregate_id", "payload", "position", "topic", "version"}` where `payload` is the stored state
parsed as JSON. Anyone holding the audit log can recompute every leaf (README, "Audit:
recomputing the log").
"""

from __future__ import annotations

import json
import re
from typing import Any
from uuid import UUID

import orjson

from infra.integrity.merkle import leaf_hash


def canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def leaf_data(
    position: int, aggregate_id: UUID | str, version: int, topic: str, payload: Any
) -> bytes:
    return canonical(
        {
            "position": position,
            "aggregate_id": str(UUID(str(aggregate_id))),
            "version": version,
            "topic": topic,
            "payload": payload,
        }
    )


def parse(state: bytes) -> Any:
    """Stored state as JSON values (orjson reads the same values faster; json reads the rest,
    such as integers beyond 64 bits)."""
    try:
        return orjson.loads(state)
    except orjson.JSONDecodeError:
        return json.loads(state)


# A number with a fraction or an exponent: a float once parsed. Outside strings a number follows
# `:`, `,`, `[` or the start (after optional white space), so every float token matches; text
# inside strings may match too, which only costs the slow path.
_FLOAT = re.compile(rb"(?:^|[:,\[])\s*-?[0-9]+[.eE]")


def payload_json(state: bytes) -> bytes:
    """`canonical(parse(state))`, fast: orjson's sorted compact output is byte for byte the same
    for every JSON value without floats whose integers fit 64 bits (tests/unit/test_leaves.py
    checks that); floats (written as Python writes them), larger integers and anything orjson
    refuses take the defining path."""
    if not _FLOAT.search(state):
        try:
            return orjson.dumps(orjson.loads(state), option=orjson.OPT_SORT_KEYS)
        except (orjson.JSONDecodeError, orjson.JSONEncodeError):
            pass
    return canonical(parse(state))


def state_leaf_data(
    position: int, aggregate_id: UUID | str, version: int, topic: str, state: bytes
) -> bytes:
    """`leaf_data(..., parse(state))` without building the outer object: its keys are fixed,
    so they are written in sorted order around the payload's canonical encoding."""
    return b"".join(
        (
            b'{"aggregate_id":"',
            str(aggregate_id if isinstance(aggregate_id, UUID) else UUID(aggregate_id)).encode(),
            b'","payload":',
            payload_json(state),
            b',"position":',
            b"%d" % position,
            b',"topic":',
            orjson.dumps(topic),
            b',"version":',
            b"%d" % version,
            b"}",
        )
    )


def record_leaf(record: Any) -> bytes:
    """The leaf hash of a stored notification (id, originator_id, version, topic, state)."""
    return leaf_hash(
        state_leaf_data(
            record.id, record.originator_id, record.originator_version, record.topic, record.state
        )
    )


def item_leaf(item: dict[str, Any]) -> bytes:
    """The leaf hash of an /audit/log item, from its own fields."""
    return leaf_hash(
        leaf_data(
            item["position"], item["aggregate_id"], item["version"], item["topic"], item["payload"]
        )
    )
