"""A claim command's inputs as a request gives them: a quote, a piece of evidence."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.values import (
    Stance,
)


@dataclass(frozen=True)
class Quote:
    """A quote as a request gives it: a source and the words, with optional context."""

    source_id: UUID
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class EvidenceInput:
    stance: Stance
    note: str
    source_id: UUID | None = None
    exact: str | None = None
    prefix: str = ""
    suffix: str = ""
    url: str | None = None
