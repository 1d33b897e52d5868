"""What no hash can check: each stored event is of a known event class and decodes to it, and
every aggregate's versions run 1, 2, 3... in log order, without gap or repeat.

An event written behind the application's back after the last logged one hashes as well as any
other: only these checks refuse it. The audit view applies them before it logs an event (it stops
at one that fails, infra/projections/audit_view.py); `claimtrail verify` applies them to the whole
stored log.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from functools import cache
from typing import Any

from eventsourcing.domain import CanMutateAggregate
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    UUIDAsHex,
)
from eventsourcing.utils import get_topic

from domain.actors import Actor
from domain.claims import Claim
from domain.organizations import Organization
from domain.principals import Principal
from domain.reservations import Reservation
from domain.signing_keys import KeyRotation
from domain.sources import Source
from domain.webhooks import Webhook
from infra.projections.decoding import Decoder
from infra.store.transcodings import register_transcodings

AGGREGATES = (
    Claim,
    Source,
    Actor,
    Principal,
    Reservation,
    KeyRotation,
    Webhook,
    Organization,
)
ENVELOPE = {"originator_id", "originator_version"}  # stored as columns, not in the state


class StructureError(Exception):
    """Raised when a stored event is not one this application could have written."""

    def __init__(self, position: int, reason: str) -> None:
        super().__init__(f"the event at position {position} {reason}")
        self.position, self.reason = position, reason


@cache
def fast_decoder() -> Decoder:
    """The projector's decoder over this transcoder: orjson, value objects rebuilt by the same
    transcodings (several times faster than the transcoder's `json` with an object hook)."""
    return Decoder(Mapper(transcoder()))


@cache
def known_events() -> dict[str, type]:
    """Topic -> event class, for every event class of every aggregate (never `resolve_topic`
    on a stored topic: that would import whatever module it names)."""
    found: dict[str, type] = {}
    for aggregate in AGGREGATES:
        for value in vars(aggregate).values():
            if isinstance(value, type) and issubclass(value, CanMutateAggregate):
                found[get_topic(value)] = value
    return found


@cache
def transcoder() -> JSONTranscoder:
    """The ledger's transcoder, without the ledger (the library's transcodings, then ours)."""
    made = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        made.register(transcoding)
    register_transcodings(made)
    return made


@cache
def _fields(kind: type) -> tuple[frozenset[str], frozenset[str]]:
    """(every field, the fields without a default) of an event class."""
    every = dataclasses.fields(kind)
    names = frozenset(f.name for f in every)
    required = frozenset(
        f.name
        for f in every
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )
    return names, required


def decoded(topic: str, state: bytes) -> dict[str, Any]:
    """The event's fields, decoded; ValueError naming what is wrong."""
    kind = known_events().get(topic)
    if kind is None:
        raise ValueError(f"is of an unknown event type {topic!r}")
    try:
        data = _decode(state)
    except Exception as exc:  # any failure of a value object's decoding is the same finding
        raise ValueError(f"does not decode as {topic} ({type(exc).__name__}: {exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"does not decode as {topic} (not an object)")
    _check_fields(topic, kind, set(data))
    return data


def _decode(state: bytes) -> Any:
    """`transcoder().decode(state)`: the fast decoder's values where it reads the state (the
    same values, infra/projections/decoding.py), else the transcoder itself, which also raises
    whatever error the state deserves."""
    try:
        return fast_decoder().values(state)
    except Exception:  # orjson refuses it (NaN, big integers...) or a value fails: the slow path
        return transcoder().decode(bytes(state))


def checked(position: int, topic: str, state: bytes, event: Any = None) -> dict[str, Any]:
    """The fields of the stored event at `position` (from `event` when the projector decoded
    it already), or StructureError."""
    try:
        if event is None:
            return decoded(topic, state)
        kind, data = type(event), vars(event)
        if known_events().get(topic) is not kind:
            raise ValueError(f"is of an unknown event type {topic!r}")
        names = (kind, *data)
        if names not in _CHECKED:  # the fields of an event class come in one order or a few
            _check_fields(topic, kind, set(data))
            if len(_CHECKED) < 1000:
                _CHECKED.add(names)
    except ValueError as exc:
        raise StructureError(position, str(exc)) from None
    return dict(data)


_CHECKED: set[tuple[Any, ...]] = set()  # (event class, *field names) that passed _check_fields


def _check_fields(topic: str, kind: type, keys: set[str]) -> None:
    names, required = _fields(kind)
    keys = keys - {"class_version"}
    unknown, missing = keys - names, required - keys - ENVELOPE
    if unknown or missing:
        raise ValueError(
            f"does not decode as {topic} (unknown fields {sorted(unknown)},"
            f" missing fields {sorted(missing)})"
        )


def next_version_problem(version: int, previous: int) -> str | None:
    """Why `version` cannot follow `previous` (0: the aggregate's first event), or None."""
    if version == previous + 1:
        return None
    if version <= previous:
        return f"repeats version {version} of its aggregate (after version {previous})"
    return f"has version {version} where its aggregate's next is {previous + 1} (a gap)"


class Versions:
    """The last version of each aggregate seen so far, checked event by event in log order."""

    def __init__(self, known: dict[str, int] | None = None) -> None:
        self.last: dict[str, int] = dict(known or {})

    def check(self, position: int, aggregate_id: Any, version: int) -> None:
        key = str(aggregate_id)
        previous = self.last.get(key, 0)
        if version != previous + 1:  # next_version_problem's only None
            raise StructureError(position, f"({key}) {next_version_problem(version, previous)}")
        self.last[key] = version

    def seen(self) -> Iterable[str]:
        return self.last.keys()
