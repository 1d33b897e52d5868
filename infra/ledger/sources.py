"""Source use cases: register (unique by canonical url), read, anchor quotes in a source's text."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.anchoring import Normalized, locate, normalized
from domain.base import LedgerAggregate
from domain.errors import DuplicateError
from domain.reservations import Reservation, reservation_id
from domain.sources import Source, canonical_url, content_sha256
from domain.values import Appearance
from infra.ledger.context import Context, Outcome
from infra.ledger.core import LedgerCore
from infra.ledger.errors import AggregateMissingError, ReferenceNotFoundError

URL = "source-url"


class Sources:
    def __init__(self, core: LedgerCore) -> None:
        self.core = core

    def register(
        self,
        ctx: Context,
        *,
        url: str,
        title: str,
        text: str | None,
        cites: list[UUID],
        **fields: Any,
    ) -> Outcome[Source]:
        """A new source; the existing one (created=False) if its canonical url and text match."""
        source_id = ctx.keyed_id("source")
        if (
            known := self.core.key_holder(ctx)
        ) is not None:  # a retry answered with an existing one
            return self._existing(self.core.load(Source, known), replayed=True)
        canonical = canonical_url(url)
        for cited in cites:
            self.referenced(cited)

        def build() -> list[LedgerAggregate]:
            held = self.core.find(Reservation, reservation_id(URL, canonical))
            if held is not None:
                raise _Existing(self.get(held.holder_id))
            source = Source.register(
                source_id, url=url, title=title, text=text, cites=cites, meta=ctx.meta, **fields
            )
            return [
                source,
                Reservation.make(kind=URL, value=canonical, holder_id=source_id, meta=ctx.meta),
            ]

        try:
            return self.core.create(Source, source_id, ctx, build)
        except _Existing as found:
            existing = found.source
            sha = content_sha256(text) if text is not None else None
            if existing.content_sha256 != sha:
                raise DuplicateError(
                    "a source with this canonical url exists with different text",
                    existing_id=str(existing.id),
                ) from None
        if ctx.idempotency_key is not None:
            try:  # remember the key, so a retry replays and a reuse is refused
                self.core.save(self.core.key_reservation(ctx, existing.id))
            except IntegrityError:  # a concurrent retry remembered it first
                return self.register(ctx, url=url, title=title, text=text, cites=cites, **fields)
        return self._existing(existing, replayed=False)

    def _existing(self, source: Source, *, replayed: bool) -> Outcome[Source]:
        event = self.core.event_at(source.id, source.version)
        return Outcome(
            source, event, self.core.position_of(source.id, source.version), replayed=replayed
        )

    def get(self, source_id: UUID) -> Source:
        """A source (immutable: it is read from the store once)."""
        source = self.core.immutable.get(
            ("source", source_id), lambda: self.core.load(Source, source_id)
        )
        assert isinstance(source, Source)
        return source

    def kept(self, source_id: UUID) -> bool:
        """Whether the source and its text's index are in memory (anchoring reads nothing)."""
        memo = self.core.immutable
        return ("source", source_id) in memo and ("source-index", source_id) in memo

    def find(self, url: str) -> Source | None:
        held = self.core.find(Reservation, reservation_id(URL, canonical_url(url)))
        return self.get(held.holder_id) if held is not None else None

    def referenced(self, source_id: UUID) -> Source:
        """A source named in a request body: unknown is a 422, not a 404."""
        try:
            return self.get(source_id)
        except AggregateMissingError:
            raise ReferenceNotFoundError(
                f"source {source_id} does not exist", source_id=str(source_id)
            ) from None

    def anchor(self, source_id: UUID, exact: str, prefix: str = "", suffix: str = "") -> Appearance:
        """The quote located in the source's text (when it has one)."""
        source = self.referenced(source_id)
        if source.text is None:
            return Appearance(source_id, exact, prefix, suffix, None, None, None)
        found = locate(source.text, exact, prefix, suffix, self.index(source_id, source.text))
        return Appearance(
            source_id,
            found.exact,
            found.prefix,
            found.suffix,
            found.start,
            found.end,
            source.content_sha256,
        )

    def index(self, source_id: UUID, text: str) -> Normalized:
        """The source's text in normal form, made once (a source never changes)."""
        index = self.core.immutable.get(("source-index", source_id), lambda: normalized(text))
        assert isinstance(index, Normalized)
        return index


class _Existing(Exception):
    """Carries an existing source out of the create loop."""

    def __init__(self, source: Source) -> None:
        self.source = source
