"""Public names of stored events: dotted lower case, e.g. `claim.dispute_resolved`."""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from domain.values import PartialDate

_ENVELOPE = {"originator_id", "originator_version", "timestamp", "originator_topic", "meta"}


def event_type(event: object) -> str:
    """`Claim.DisputeResolved` -> `claim.dispute_resolved`."""
    aggregate, _, name = type(event).__qualname__.rpartition(".")
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return f"{aggregate.lower()}.{snake}"


def plain(value: Any) -> Any:
    """Value objects as JSON-ready data (UUIDs and dates as strings, numbers as numbers)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, UUID | PartialDate):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def event_data(event: object) -> dict[str, Any]:
    """An event's own fields, without the envelope (ids, version, time, meta)."""
    assert is_dataclass(event)
    return {f.name: plain(getattr(event, f.name)) for f in fields(event) if f.name not in _ENVELOPE}
