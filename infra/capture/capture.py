"""Capture a page or a file as a Source, its raw bytes kept by their SHA-256."""

from __future__ import annotations

from domain.sources import Source
from domain.values import SourceKind
from infra.capture.fetch import Fetched, Limits, check_type, fetch
from infra.capture.page import Page, read_html, read_text
from infra.capture.snapshots import Snapshots
from infra.languages import maybe_language_tag
from infra.ledger.application import Ledger
from infra.ledger.context import Context, Outcome


def read(fetched: Fetched) -> Page:
    check_type(fetched.content_type)
    if fetched.content_type == "text/plain":
        return read_text(fetched.raw)
    return read_html(fetched.raw, fetched.url)


def capture_url(
    ledger: Ledger, ctx: Context, url: str, snapshots: Snapshots, limits: Limits
) -> Outcome[Source]:
    """Fetch, read, keep and register: nothing is written unless every step succeeds."""
    fetched = fetch(url, limits)
    return register(ledger, ctx, fetched.url, fetched, snapshots)  # where the text was found


def register(
    ledger: Ledger, ctx: Context, url: str, fetched: Fetched, snapshots: Snapshots
) -> Outcome[Source]:
    page = read(fetched)
    sha = snapshots.put(fetched.raw)
    return ledger.sources.register(
        ctx,
        url=url,
        title=page.title or url,
        text=page.text,
        cites=[],
        publisher=page.publisher,
        authors=page.authors,
        published_on=page.published_on,
        kind=SourceKind.ARTICLE,
        language=maybe_language_tag(page.language),  # a valid tag, standardised, or none
        snapshot_sha256=sha,
    )
