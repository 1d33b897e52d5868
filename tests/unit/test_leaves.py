"""The fast leaf encoding (orjson where it is exact) equals the defining one (README) on every
input: generated JSON of every shape, floats, huge integers, odd white space, invalid JSON."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra.integrity.leaves import (
    canonical,
    leaf_data,
    parse,
    payload_json,
    record_leaf,
    state_leaf_data,
)
from infra.integrity.merkle import leaf_hash

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(exclude_categories=("Cs",)))
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(alphabet=st.characters(exclude_categories=("Cs",))), inner, max_size=4
        )
    ),
    max_leaves=20,
)


def stored(value: Any, *, spaced: bool) -> bytes:
    """Stored as the library writes it (compact, non-ASCII as itself) or with white space."""
    if spaced:
        return json.dumps(value, indent=1, ensure_ascii=True).encode()
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


@settings(max_examples=600, deadline=None)
@given(st.dictionaries(st.text(), values, max_size=6), st.booleans())
def test_the_fast_payload_encoding_is_the_canonical_one(value: dict[str, Any], spaced: bool):
    state = stored(value, spaced=spaced)
    assert payload_json(state) == canonical(parse(state))


def test_orjson_floats_differ_from_pythons_only_where_the_fast_path_checks():
    """Every magnitude (random mantissas and exponents, and every finite bit pattern class):
    orjson's float text is Python's, or it matches the pattern that sends it the slow way."""
    import math
    import random
    import struct

    import orjson

    from infra.integrity.leaves import _UNLIKE_PYTHON

    rng = random.Random(20261128)
    numbers = [rng.random() * 10.0**e for e in range(-330, 309) for _ in range(40)]
    numbers += [float(rng.randrange(10**17)) * 10.0**e for e in range(-20, 20) for _ in range(40)]
    numbers += [
        x
        for x in (
            struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0] for _ in range(30_000)
        )
        if math.isfinite(x)
    ]
    for x in (
        numbers + [-x for x in numbers] + [0.0, -0.0, 5e-324, 1e-4, 1e16, 1.7976931348623157e308]
    ):
        fast = orjson.dumps(x)
        assert fast == json.dumps(x).encode() or _UNLIKE_PYTHON.search(fast), x


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=2**62),
    st.uuids(),
    st.integers(min_value=1, max_value=2**31),
    st.text(min_size=1),
    st.dictionaries(st.text(), values, max_size=4),
)
def test_the_fast_leaf_is_the_defined_leaf(
    position: int, aggregate_id: uuid.UUID, version: int, topic: str, payload: dict[str, Any]
):
    if any(0xD800 <= ord(c) <= 0xDFFF for c in topic):
        topic = "domain.x:X.Made"
    state = stored(payload, spaced=False)
    fast = state_leaf_data(position, aggregate_id, version, topic, state)
    assert fast == leaf_data(position, aggregate_id, version, topic, parse(state))
    assert fast == state_leaf_data(position, aggregate_id.hex.upper(), version, topic, state)


@pytest.mark.parametrize(
    "state",
    [
        b'{"a":1e-05}',  # orjson writes 0.00001, Python 1e-05
        b'{"a":[1.5,2E3,-0.0]}',
        b'{"a": \n 1e400}',  # a float beyond range: Infinity, refused by both
        b'{"a":18446744073709551616}',  # beyond 64 bits
        b'{"a":-9223372036854775809}',
        b'{"a":"1.5 is text","b":":1.5"}',  # float-looking text: the slow path, same bytes
        b'{"a":' + b"[" * 300 + b"]" * 300 + b"}",  # deeper than orjson writes
        b'{"a":1,"a":2}',
    ],
)
def test_edge_cases_take_the_defining_path_or_fail_alike(state: bytes):
    try:
        expected: bytes | type[Exception] = canonical(parse(state))
    except ValueError:
        expected = ValueError
    if expected is ValueError:
        with pytest.raises(ValueError):
            payload_json(state)
    else:
        assert payload_json(state) == expected


@pytest.mark.parametrize("state", [b"{not json", b'{"a":"\\ud800"}', b'{"a":NaN}'])
def test_invalid_states_are_refused_by_both(state: bytes):
    with pytest.raises(ValueError):
        canonical(parse(state))
    with pytest.raises(ValueError):
        payload_json(state)


def test_a_record_leaf_hashes_the_fast_encoding():
    class Record:
        id, originator_id, originator_version = 9, uuid.uuid4(), 3
        topic, state = "domain.claims:Claim.Reviewed", b'{"rating":2.5,"note":"P\xc3\xa9kin"}'

    data = leaf_data(9, Record.originator_id, 3, Record.topic, parse(Record.state))
    assert record_leaf(Record) == leaf_hash(data)
