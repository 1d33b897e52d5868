"""Factories for tests: build sources, actors and claims with unique names in a few lines."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from domain.values import ActorKind, ClaimKind, Role, SourceKind
from infra.ledger.application import Ledger
from infra.ledger.claim_inputs import Quote
from infra.ledger.context import Context

SEED_TEXT = (Path(__file__).parent.parent / "seeds" / "xi-putin-summit-2022.txt").read_text(
    encoding="utf-8"
)
QUOTE = "Beijing supports Russia's demands on security guarantees"


def unique(prefix: str = "x") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def context(
    role: Role = Role.CONTRIBUTOR, principal_id: uuid.UUID | None = None, **kwargs: Any
) -> Context:
    return Context(principal_id or uuid.uuid4(), role, unique("req"), **kwargs)


def source(
    ledger: Ledger,
    ctx: Context | None = None,
    *,
    text: str | None = SEED_TEXT,
    url: str | None = None,
    **kwargs: Any,
) -> Any:
    fields = {
        "kind": SourceKind.BLOG,
        "authors": [],
        "publisher": None,
        "published_on": None,
        "language": "en",
        **kwargs,
    }
    return ledger.sources.register(
        ctx or context(),
        url=url or f"https://example.org/{unique()}",
        title="A source",
        text=text,
        cites=[],
        **fields,
    ).aggregate


def actor(
    ledger: Ledger,
    ctx: Context | None = None,
    *,
    slug: str | None = None,
    name: str | None = None,
    aliases: list[str] | None = None,
    kind: ActorKind = ActorKind.STATE,
) -> Any:
    slug = slug or unique("actor")
    return ledger.actors.register(
        ctx or context(),
        slug=slug,
        name=name or slug.title(),
        kind=kind,
        aliases=aliases or [],
        external_ids={},
        affiliations=[],
    ).aggregate


def claim(ledger: Ledger, ctx: Context | None = None, **overrides: Any) -> Any:
    """A recorded claim China -supports-> Russia quoting the seed text (actors made if needed)."""
    ctx = ctx or context()
    if "subject" not in overrides:
        overrides["subject"] = actor(ledger, ctx).slug
    if "object" not in overrides:
        overrides["object"] = actor(ledger, ctx).slug
    if "appearance" not in overrides:
        overrides["appearance"] = Quote(source(ledger, ctx).id, QUOTE)
    fields = {
        "statement": "China supports Russia's security demands",
        "kind": ClaimKind.QUOTE,
        "relation": "supports",
        **overrides,
    }
    return ledger.claims.record(ctx, **fields).aggregate
