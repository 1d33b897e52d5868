"""Loading a seed file (sources, actors, claims as YAML) into the ledger, idempotently.

Everything is checked before anything is written: a quote that is not in its source's text
refuses the whole file, naming the claim. Each item is written under an Idempotency-Key derived
from its `key`, so a second load writes nothing, and an item edited after it was seeded is
reported instead of silently written twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from domain.anchoring import locate
from domain.errors import DomainError, DuplicateError
from domain.values import ActorKind, ClaimKind, PartialDate, Quantity, SourceKind
from domain.vocabulary import resolve_relation
from infra.ledger.application import Ledger
from infra.ledger.claim_inputs import Quote
from infra.ledger.context import Context
from infra.store.limits import MAX_DEPTH, InputLimitError, check_json, number


class SeedError(Exception):
    """Raised when a seed file is malformed or refers to something it cannot anchor."""


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SeedSource(_Item):
    key: str
    url: str
    title: str
    publisher: str | None = None
    kind: SourceKind = SourceKind.ARTICLE
    published_on: str | None = None
    language: str | None = None
    authors: list[str] = []
    text_file: str | None = None
    cites: list[str] = []


class SeedActor(_Item):
    id: str
    name: str
    kind: ActorKind
    aliases: list[str] = []
    external_ids: dict[str, str] = {}
    affiliations: list[str] = []


class SeedQuote(_Item):
    source: str
    exact: str
    prefix: str = ""
    suffix: str = ""


class SeedQuantity(_Item):
    value: str
    unit: str
    about: str | None = None

    @field_validator("value")
    @classmethod
    def _bounded(cls, value: str) -> str:
        if number(value) is None:  # InputLimitError (a ValueError) when not finite or too long
            raise ValueError(f"{value[:40]!r} is not a number")
        return value


class SeedClaim(_Item):
    key: str
    statement: str
    kind: ClaimKind
    subject: str
    relation: str
    object: str | None = None
    about: list[str] = []
    claimant: str | None = None
    occurred_on: str | None = None
    quantities: list[SeedQuantity] = []
    tags: list[str] = []
    negated: bool = False
    appearance: SeedQuote


class SeedFile(_Item):
    sources: list[SeedSource] = Field(default_factory=list)
    actors: list[SeedActor] = Field(default_factory=list)
    claims: list[SeedClaim] = Field(default_factory=list)


@dataclass
class SeedReport:
    created: dict[str, int] = field(
        default_factory=lambda: {"sources": 0, "actors": 0, "claims": 0}
    )
    existing: dict[str, int] = field(
        default_factory=lambda: {"sources": 0, "actors": 0, "claims": 0}
    )
    claim_ids: dict[str, UUID] = field(default_factory=dict)


def read_seed(path: Path) -> tuple[SeedFile, dict[str, str]]:
    """The parsed seed file and the texts of its sources (by source key), all checked."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        check_json(document)
        seed = SeedFile.model_validate(document)
    except RecursionError:
        raise SeedError(f"{path}: the YAML nests deeper than {MAX_DEPTH} levels") from None
    except (yaml.YAMLError, ValidationError, InputLimitError) as exc:
        raise SeedError(f"{path}: {exc}") from None
    texts = {
        s.key: (path.parent / s.text_file).read_text(encoding="utf-8")
        for s in seed.sources
        if s.text_file
    }
    check(seed, texts)
    return seed, texts


def check(seed: SeedFile, texts: dict[str, str]) -> None:
    problems: list[str] = []
    sources = {s.key for s in seed.sources}
    for claim in seed.claims:
        quote = claim.appearance
        try:
            if quote.source not in sources:
                raise SeedError(f"unknown source '{quote.source}'")
            resolve_relation(claim.relation)
            if claim.occurred_on:
                PartialDate.parse(claim.occurred_on)
            if quote.source in texts:
                locate(texts[quote.source], quote.exact, quote.prefix, quote.suffix)
        except (SeedError, DomainError) as exc:
            problems.append(f"claim '{claim.key}': {exc}")
    if problems:
        raise SeedError("the seed file cannot be loaded:\n  " + "\n  ".join(problems))


def _keyed(ctx: Context, kind: str, key: str, item: BaseModel) -> Context:
    digest = hashlib.sha256(json.dumps(item.model_dump(mode="json"), sort_keys=True).encode())
    return Context(
        ctx.principal_id, ctx.role, ctx.request_id, f"seed:{kind}:{key}", digest.hexdigest()
    )


def load_seed(
    ledger: Ledger, path: Path, progress: Callable[[str], Any] = lambda _: None
) -> SeedReport:
    """Load one seed file; `progress` is called once per item."""
    seed, texts = read_seed(path)
    ctx = ledger.principals.system_context("seed")
    report = SeedReport()
    source_ids: dict[str, Any] = {}
    for s in seed.sources:
        source = ledger.sources.register(
            _keyed(ctx, "source", s.key, s),
            url=s.url,
            title=s.title,
            text=texts.get(s.key),
            cites=[source_ids[c] for c in s.cites],
            publisher=s.publisher,
            kind=s.kind,
            published_on=PartialDate.parse(s.published_on) if s.published_on else None,
            language=s.language,
            authors=s.authors,
        )
        source_ids[s.key] = source.aggregate.id
        _count(report, "sources", source.created and not source.replayed)
        progress(f"source {s.key}")
    for a in _affiliations_first(seed.actors):
        try:
            actor = ledger.actors.register(
                _keyed(ctx, "actor", a.id, a),
                slug=a.id,
                name=a.name,
                kind=a.kind,
                aliases=a.aliases,
                external_ids=a.external_ids,
                affiliations=a.affiliations,
            )
            _count(report, "actors", not actor.replayed)
        except DuplicateError:  # registered by hand before the seed ran: keep that one
            _count(report, "actors", False)
        progress(f"actor {a.id}")
    for c in seed.claims:
        q = c.appearance
        claim = ledger.claims.record(
            _keyed(ctx, "claim", c.key, c),
            statement=c.statement,
            kind=c.kind,
            subject=c.subject,
            relation=c.relation,
            object=c.object,
            about=c.about,
            claimant=c.claimant,
            occurred_on=PartialDate.parse(c.occurred_on) if c.occurred_on else None,
            quantities=[Quantity(_number(v.value), v.unit, v.about) for v in c.quantities],
            tags=c.tags,
            negated=c.negated,
            appearance=Quote(source_ids[q.source], q.exact, q.prefix, q.suffix),
        )
        report.claim_ids[c.key] = claim.aggregate.id
        _count(report, "claims", not claim.replayed)
        progress(f"claim {c.key}")
    return report


def _number(text: str) -> Decimal:
    value = number(text)
    assert value is not None  # SeedQuantity checked it
    return value


def item_count(path: Path) -> int:
    seed, _ = read_seed(path)
    return len(seed.sources) + len(seed.actors) + len(seed.claims)


def _count(report: SeedReport, kind: str, created: bool) -> None:
    (report.created if created else report.existing)[kind] += 1


def _affiliations_first(actors: list[SeedActor]) -> list[SeedActor]:
    """Actors ordered so that every affiliation is registered before the actor naming it."""
    by_id = {a.id: a for a in actors}
    ordered: list[SeedActor] = []
    seen: set[str] = set()

    def visit(actor: SeedActor) -> None:
        if actor.id in seen:
            return
        seen.add(actor.id)
        for affiliation in actor.affiliations:
            if affiliation in by_id:
                visit(by_id[affiliation])
        ordered.append(actor)

    for actor in actors:
        visit(actor)
    return ordered
