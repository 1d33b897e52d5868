"""The leaf of each stored event: a canonical JSON encoding of its record, hashed per RFC 9162.

Canonical JSON: UTF-8, keys sorted, no white space, non-ASCII characters as themselves, of
`{"aggregate_id", "payload", "position", "topic", "version"}` where `payload` is the stored state
parsed as JSON. Anyone holding the audit log can recompute every leaf (README, "Audit:
recomputing the log").
"""

from __future__ import annotations

import json
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


def record_leaf(record: Any) -> bytes:
    """The leaf hash of a stored notification (id, originator_id, version, topic, state)."""
    return leaf_hash(
        leaf_data(
            record.id,
            record.originator_id,
            record.originator_version,
            record.topic,
            parse(record.state),
        )
    )


def item_leaf(item: dict[str, Any]) -> bytes:
    """The leaf hash of an /audit/log item, from its own fields."""
    return leaf_hash(
        leaf_data(
            item["position"], item["aggregate_id"], item["version"], item["topic"], item["payload"]
        )
    )
