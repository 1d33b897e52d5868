"""The Source aggregate: a published document, with its full text and its hash when known."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from uuid import UUID

from domain.base import LedgerAggregate
from domain.errors import InvalidValueError
from domain.values import Meta, PartialDate, SourceKind

_TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """The url with case, default ports, fragments, tracking parameters and trailing '/' removed."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # urllib's own complaint about a malformed host or port
        raise InvalidValueError(f"'{url}' is not an absolute http(s) url") from None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        raise InvalidValueError(f"'{url}' is not an absolute http(s) url")
    scheme = parts.scheme.lower()
    host = parts.hostname.lower().removeprefix("www.")
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    if port and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    query = urlencode(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith(_TRACKING_PARAMS)
        )
    )
    path = parts.path.rstrip("/") or ""
    return urlunsplit((scheme, host, path, query, ""))


def content_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Source(LedgerAggregate):
    """A published document that claims appear in."""

    class Registered(LedgerAggregate.Created):
        url: str
        canonical_url: str
        title: str
        publisher: str | None
        authors: list[str]
        published_on: PartialDate | None
        kind: SourceKind
        language: str | None
        text: str | None
        content_sha256: str | None
        cites: list[UUID]
        # The SHA-256 of the raw bytes a capture fetched (kept by it); None for sources
        # registered with their text, and in events recorded before captures existed.
        snapshot_sha256: str | None = None

        def apply(self, source: Any) -> None:
            for name in (
                "url",
                "canonical_url",
                "title",
                "publisher",
                "published_on",
                "kind",
                "language",
                "text",
                "content_sha256",
                "snapshot_sha256",
            ):
                setattr(source, name, getattr(self, name))
            source.authors, source.cites = list(self.authors), list(self.cites)

    if TYPE_CHECKING:
        url: str
        canonical_url: str
        title: str
        publisher: str | None
        authors: list[str]
        published_on: PartialDate | None
        kind: SourceKind
        language: str | None
        text: str | None
        content_sha256: str | None
        cites: list[UUID]
        snapshot_sha256: str | None

    @classmethod
    def register(
        cls,
        source_id: UUID,
        *,
        url: str,
        title: str,
        meta: Meta,
        text: str | None = None,
        **fields: Any,
    ) -> Source:
        return cls._create(
            cls.Registered,
            id=source_id,
            url=url,
            canonical_url=canonical_url(url),
            title=title,
            text=text,
            content_sha256=content_sha256(text) if text is not None else None,
            meta=meta,
            **fields,
        )

    @property
    def text_length(self) -> int | None:
        return len(self.text) if self.text is not None else None
