"""Value objects stored in events: frozen dataclasses and enums.

Enums are plain `Enum`s, not `StrEnum`s: a str subclass is JSON-encoded as a bare string and
would come back from the event store as `str`, bypassing its transcoding.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import total_ordering
from uuid import UUID

from domain.errors import InvalidValueError


class ClaimKind(Enum):
    FACT = "fact"
    QUOTE = "quote"
    OPINION = "opinion"
    PREDICTION = "prediction"


class ClaimStatus(Enum):
    RECORDED = "recorded"
    DISPUTED = "disputed"
    REVIEWED = "reviewed"
    RETRACTED = "retracted"


class WorkflowState(Enum):
    """Where a claim stands in the editorial workflow (derived, never stored).

    `in_progress` when marked so (until a review is published, or it is assigned or
    unassigned), else `reviewed` when a review is published, else `assigned` when someone is
    assigned, else `unassigned`.
    """

    UNASSIGNED = "unassigned"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    REVIEWED = "reviewed"


class ReviewState(Enum):
    """A review is a draft, published (it counts), or unpublished (it no longer counts).

    Events store the value (a str): reviews stored before drafts existed are published."""

    DRAFT = "draft"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"


class SourceKind(Enum):
    ARTICLE = "article"
    BLOG = "blog"
    TRANSCRIPT = "transcript"
    STATEMENT = "statement"
    DATASET = "dataset"
    REPORT = "report"
    SOCIAL = "social"
    OTHER = "other"


class ActorKind(Enum):
    STATE = "state"
    ORGANIZATION = "organization"
    PERSON = "person"
    EVENT = "event"
    GROUP = "group"
    PLACE = "place"
    OTHER = "other"


class Stance(Enum):
    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"


class DisputeOutcome(Enum):
    UPHELD = "upheld"
    REJECTED = "rejected"


class LinkRelation(Enum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    DUPLICATES = "duplicates"
    UPDATES = "updates"


class Role(Enum):
    READER = "reader"
    CONTRIBUTOR = "contributor"
    REVIEWER = "reviewer"
    ADMIN = "admin"

    def includes(self, other: Role) -> bool:
        """Each role includes the ones before it."""
        order = list(Role)
        return order.index(self) >= order.index(other)


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z", re.ASCII)


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day: `2014`, `2022-02`, `2022-02-04`."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise InvalidValueError(f"year {self.year} is out of range")
        if self.month is not None and not 1 <= self.month <= 12:
            raise InvalidValueError(f"month {self.month} is out of range")
        if self.day is not None:
            if self.month is None:
                raise InvalidValueError("a day needs a month")
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise InvalidValueError(f"day {self.day} is out of range")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        match = _PARTIAL_DATE.match(text)
        if match is None:
            raise InvalidValueError(f"'{text}' is not YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        return cls(year, month, day)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Less precise dates sort before more precise ones within their period."""
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __str__(self) -> str:
        # %-formatting: the same text as f"{year:04d}-..." in half the time (the views write
        # a claim's date at each of its events).
        if self.month is None:
            return "%04d" % self.year  # noqa: UP031
        if self.day is None:
            return "%04d-%02d" % (self.year, self.month)  # noqa: UP031
        return "%04d-%02d-%02d" % (self.year, self.month, self.day)  # noqa: UP031


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, e.g. 400000000000 USD or 30 years."""

    value: Decimal
    unit: str
    about: str | None = None


@dataclass(frozen=True)
class ActorRef:
    """An actor as a claim names it: its slug id and its name when recorded."""

    id: str
    name: str


@dataclass(frozen=True)
class Relation:
    """A relation slug with its CAMEO event code (a string: "057") and quad class (1-4)."""

    slug: str
    cameo: str
    quad_class: int


@dataclass(frozen=True)
class Appearance:
    """Where a claim's words stand in a source: W3C TextQuote + TextPosition selectors.

    `start`/`end` and `content_sha256` are None when the source has no text.
    """

    source_id: UUID
    exact: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    content_sha256: str | None


@dataclass(frozen=True)
class Rating:
    """A numeric rating as ClaimReview gives it: value between worst and best."""

    value: Decimal
    best: Decimal
    worst: Decimal

    def __post_init__(self) -> None:
        low, high = sorted((self.worst, self.best))
        if low == high:
            raise InvalidValueError("best and worst must differ")
        if not low <= self.value <= high:
            raise InvalidValueError("rating value must lie between worst and best")


@dataclass(frozen=True)
class Meta:
    """Who caused an event and under which request; taken from the token, never the body."""

    principal_id: UUID
    request_id: str
    idempotency_key: str | None = None
    request_hash: str | None = None
