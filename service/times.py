"""Times in queries: RFC 3339 with an offset (API.md), and only times UTC can hold."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BeforeValidator

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _rfc3339(value: object) -> object:
    # Left alone, pydantic reads a number as Unix time: `as_of=0` would mean 1970.
    if isinstance(value, str) and not _RFC3339.match(value):
        raise ValueError("a time must be RFC 3339 with an offset, such as 2026-11-28T10:00:00Z")
    return value


def _within_utc(value: datetime) -> datetime:
    # 0001-01-01T00:00:00+14:00 is a valid time whose UTC is before year 1: every comparison
    # with a stored time would overflow.
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError("the time is outside years 1 to 9999 once in UTC") from None
    return value


Instant = Annotated[AwareDatetime, BeforeValidator(_rfc3339), AfterValidator(_within_utc)]
