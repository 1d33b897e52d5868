"""Public names of stored events: dotted lower case, e.g. `claim.dispute_resolved`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

import orjson

from domain.values import PartialDate

_ENVELOPE = {"originator_id", "originator_version", "timestamp", "originator_topic", "meta"}


def event_type(event: object) -> str:
    """`Claim.DisputeResolved` -> `claim.dispute_resolved`."""
    kind = type(event)
    return _NAMES.get(kind) or _NAMES.setdefault(kind, _type_name(kind))


def type_name(kind: type) -> str:
    """The public name of an event class: `Claim.DisputeResolved` -> `claim.dispute_resolved`."""
    return _NAMES.get(kind) or _NAMES.setdefault(kind, _type_name(kind))


_NAMES: dict[type, str] = {}


def _type_name(kind: type) -> str:
    aggregate, _, name = kind.__qualname__.rpartition(".")
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return f"{aggregate.lower()}.{snake}"


_UUID_TEXT: dict[int, str] = {}


def uuid_text(value: UUID) -> str:
    """`str(value)`, remembered by the UUID's number (UUID.__str__ is Python code, and the
    views write the same ids again and again)."""
    number = value.int
    text = _UUID_TEXT.get(number)
    if text is None:
        if len(_UUID_TEXT) >= 200_000:
            _UUID_TEXT.clear()
        text = _UUID_TEXT[number] = str(value)
    return text


def time_text(value: datetime) -> str:
    """A time as JSON text: ISO 8601, UTC written `Z` (what `plain` gives a datetime).

    UTC times are remembered: the views write the same ones again and again (a claim's
    recording time in each of its bodies), and a lookup costs a fifth of writing one (by
    orjson; `isoformat` takes three times as long). Only UTC: equal instants in other zones
    are equal keys. Times that do not repeat: `time_text_uncached`."""
    if value.tzinfo is not UTC:
        return value.isoformat().replace("+00:00", "Z")
    text = _TIME_TEXT.get(value)
    if text is None:
        if len(_TIME_TEXT) >= 50_000:  # ~11 MB at most; a batch's times are what repeat
            _TIME_TEXT.clear()
        text = _TIME_TEXT[value] = time_text_uncached(value)
    return text


_TIME_TEXT: dict[datetime, str] = {}


def time_text_uncached(value: datetime) -> str:
    """`time_text`, not remembered: for times that do not repeat, such as each event's own
    (remembering one costs a lookup, a store and a share of the cache's clearing). orjson
    writes a UTC datetime as `isoformat` does, `Z` for `+00:00` (microseconds only when there
    are some, the year in four digits), in a third of the time: tests/unit/test_event_types.py
    checks the two against each other."""
    if type(value) is datetime and value.tzinfo is UTC:
        return orjson.dumps(value, option=orjson.OPT_UTC_Z)[1:-1].decode()
    return value.isoformat().replace("+00:00", "Z")


# `str(value)` of a partial date, called directly (no `str()` dispatch: hot in the views).
date_text = PartialDate.__str__


def _decimal(value: Decimal) -> int | float:
    """A Decimal as JSON's number, an int when it is whole."""
    return int(value) if value == value.to_integral_value() else float(value)


def number(value: Any) -> Any:
    """A quantity's or rating's number as JSON (what `plain` gives it)."""
    return _decimal(value) if type(value) is Decimal else plain(value)


def plain(value: Any) -> Any:
    """Value objects as JSON-ready data (UUIDs and dates as strings, numbers as numbers)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    convert = _CONVERTERS.get(kind)
    if convert is None:
        convert = _CONVERTERS.setdefault(kind, _converter(kind))
    return convert(value)


def _converter(kind: type) -> Callable[[Any], Any]:
    """How `plain` converts values of one type, chosen once per type (the first rule that
    applies, in this order)."""
    if issubclass(kind, Enum):
        return lambda value: value.value
    if issubclass(kind, UUID):
        return uuid_text if kind is UUID else str
    if issubclass(kind, PartialDate):
        return date_text if kind is PartialDate else str
    if issubclass(kind, datetime):
        return time_text
    if issubclass(kind, Decimal):
        return _decimal
    if is_dataclass(kind):
        return _dataclass_converter(tuple(f.name for f in fields(kind)))
    if issubclass(kind, dict):
        return lambda value: {str(k): plain(v) for k, v in value.items()}
    if issubclass(kind, list | tuple):
        return lambda value: [plain(v) for v in value]
    return lambda value: value


_CONVERTERS: dict[type, Callable[[Any], Any]] = {}


def _dataclass_converter(names: tuple[str, ...]) -> Callable[[Any], Any]:
    def convert(value: Any) -> dict[str, Any]:
        out = {}
        for name in names:  # JSON's own types as they are, without a call to plain
            field = getattr(value, name)
            kind = type(field)
            if kind is str or kind is int or field is None or kind is bool or kind is float:
                out[name] = field
            else:
                out[name] = plain(field)
        return out

    return convert


def event_data(event: object) -> dict[str, Any]:
    """An event's own fields, without the envelope (ids, version, time, meta)."""
    assert is_dataclass(event)
    return {f.name: plain(getattr(event, f.name)) for f in fields(event) if f.name not in _ENVELOPE}
