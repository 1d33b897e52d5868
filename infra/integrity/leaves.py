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


# orjson writes every JSON value as Python's json module does (compact, keys sorted, non-ASCII as
# itself) except some floats: Python writes floats below 1e-4 as `1e-05`, `1.5e-09`, orjson as
# `0.00001`, `1.5e-9`. Output matching this may hold such a float (or text that looks like one)
# and is encoded again the defining way; tests/unit/test_leaves.py checks floats of every
# magnitude against it.
_UNLIKE_PYTHON = re.compile(rb"e-[0-9](?![0-9])|0\.0000")


def payload_json(state: bytes) -> bytes:
    """`canonical(parse(state))`, fast: orjson's sorted output where it is byte for byte the
    same; the defining path for floats it writes differently, integers beyond 64 bits, nesting
    deeper than orjson writes, and anything else orjson refuses."""
    try:
        fast = orjson.dumps(orjson.loads(state), option=orjson.OPT_SORT_KEYS)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return canonical(parse(state))
    if (b"e-" in fast or b"0.0000" in fast) and _UNLIKE_PYTHON.search(fast):
        return canonical(parse(state))  # (two substring tests first: far cheaper than `re`)
    return fast


def state_leaf_data(
    position: int,
    aggregate_id: UUID | str,
    version: int,
    topic: str,
    state: bytes,
    *,
    as_stored: bool = False,
) -> bytes:
    """`leaf_data(..., parse(state))` without building the outer object: its keys are fixed,
    so they are written in sorted order around the payload's canonical encoding. `as_stored`:
    take the stored bytes for that encoding (what they are when this application wrote them,
    infra/store/transcodings.py) — a guess that only a match with the logged leaf confirms."""
    return b"".join(
        (
            b'{"aggregate_id":"',
            _uuid_text(aggregate_id),
            b'","payload":',
            bytes(state) if as_stored else payload_json(state),
            b',"position":',
            b"%d" % position,
            b',"topic":',
            orjson.dumps(topic),
            b',"version":',
            b"%d" % version,
            b"}",
        )
    )


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _uuid_text(value: UUID | str) -> bytes:
    """`str(UUID(value))`, skipping the parse when `value` is already in that form (orjson
    writes a UUID as `str` does, in C: `UUID.__str__` is Python code)."""
    if type(value) is UUID:
        return orjson.dumps(value)[1:-1]
    if isinstance(value, str) and _CANONICAL_UUID.fullmatch(value):
        return value.encode()
    return str(value if isinstance(value, UUID) else UUID(value)).encode()


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
