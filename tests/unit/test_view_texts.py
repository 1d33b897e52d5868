"""The views' fast texts equal the ones they stand for: times written by orjson, partial dates
by %-formatting, a claim's date and its sort key made from one text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from domain.claims import Claim
from domain.values import PartialDate
from infra.projections.claims_view import occurred_sort
from infra.projections.timeline_view import _occurred, sortable_time
from infra.store.event_types import time_text, time_text_uncached

zones = st.sampled_from(
    [UTC, timezone(timedelta(0), "GMT"), timezone(timedelta(hours=2)), timezone.min, None]
)


def _valid(year: int, month: int | None, day: int | None) -> PartialDate:
    return PartialDate(year, month, day if month is not None else None)


@given(st.datetimes(timezones=zones))
def test_a_time_is_written_as_isoformat_writes_it(moment: datetime) -> None:
    expected = moment.isoformat().replace("+00:00", "Z")
    assert time_text_uncached(moment) == expected
    assert time_text(moment) == expected


@given(st.datetimes(datetime(2, 1, 1), timezones=zones.filter(lambda zone: zone is not None)))
def test_a_sortable_time_is_the_utc_time_with_every_digit(moment: datetime) -> None:
    expected = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert sortable_time(moment) == expected


@given(
    st.integers(min_value=1, max_value=9999),
    st.none() | st.integers(min_value=1, max_value=12),
    st.none() | st.integers(min_value=1, max_value=28),
)
def test_a_partial_date_is_written_as_its_fields_padded(
    year: int, month: int | None, day: int | None
) -> None:
    date = _valid(year, month, day)
    if date.month is None:
        expected = f"{date.year:04d}"
    elif date.day is None:
        expected = f"{date.year:04d}-{date.month:02d}"
    else:
        expected = f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
    assert str(date) == expected
    assert _occurred(date) == (expected, occurred_sort(date))


def test_no_date_has_no_text_and_no_sort_key() -> None:
    assert _occurred(None) == (None, None)


def test_no_claim_event_class_has_a_source_as_a_class_attribute() -> None:
    """The timeline reads an event's source from its fields (vars), not getattr."""
    events = [v for v in vars(Claim).values() if isinstance(v, type)]
    assert events
    for kind in events:
        for name in ("appearance", "quote", "source_id"):
            assert not hasattr(kind, name), (kind, name)
