"""Sources: published documents that claims appear in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from domain.sources import Source, canonical_url
from domain.values import PartialDate, SourceKind
from infra.capture.candidates import actors_from_view, candidate_json, source_candidates
from infra.capture.capture import capture_url
from infra.capture.snapshots import Snapshots
from infra.projections.read_model import ReadModel
from infra.store.event_types import plain
from service.deps import ContributorContext, LedgerDep, Reader, SettingsDep, fresh
from service.responses import JSON, resource, written
from service.routes.claim_schemas import Language

router = APIRouter(prefix="/sources", tags=["sources"], dependencies=[Reader])
ActorsView = Annotated[ReadModel, fresh("actors")]  # candidates name the view's actors

Url = Annotated[str, Field(min_length=1, max_length=2048)]
Short = Annotated[str, Field(min_length=1, max_length=500)]


class SourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url
    title: Short
    publisher: Short | None = None
    authors: Annotated[list[Short], Field(max_length=50)] = []
    published_on: Annotated[str | None, Field(examples=["2022-02-03"])] = None
    kind: SourceKind = SourceKind.ARTICLE
    language: Annotated[
        Language | None,
        Field(description="BCP-47, checked and standardised: `zh-hans` -> `zh-Hans`"),
    ] = None
    text: Annotated[str | None, Field(max_length=2_000_000)] = None
    cites: Annotated[list[UUID], Field(max_length=100)] = []

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        canonical_url(value)  # raises InvalidValueError (a ValueError) with a clear message
        return value

    @field_validator("published_on")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        if value is not None:
            PartialDate.parse(value)
        return value


class SourceOut(BaseModel):
    id: UUID
    url: str
    canonical_url: str
    title: str
    publisher: str | None
    authors: list[str]
    published_on: str | None
    kind: SourceKind
    language: str | None
    content_sha256: str | None
    snapshot_sha256: str | None = None
    text_length: int | None
    cites: list[UUID]
    recorded_at: str
    recorded_by: UUID
    version: int
    text: str | None = None
    position: int | None = None


def source_body(source: Source, *, include_text: bool = False) -> dict[str, Any]:
    body = {
        "id": str(source.id),
        "url": source.url,
        "canonical_url": source.canonical_url,
        "title": source.title,
        "publisher": source.publisher,
        "authors": source.authors,
        "published_on": plain(source.published_on),
        "kind": source.kind.value,
        "language": source.language,
        "content_sha256": source.content_sha256,
        "snapshot_sha256": source.snapshot_sha256,
        "text_length": source.text_length,
        "cites": plain(source.cites),
        "recorded_at": plain(source.created_on),
        "recorded_by": str(source.recorded_by),
        "version": source.version,
    }
    if include_text:
        body["text"] = source.text
    return body


@router.post(
    "",
    status_code=201,
    response_model=SourceOut,
    responses={200: {"model": SourceOut, "description": "The existing source"}},
)
def register_source(given: SourceIn, ctx: ContributorContext, ledger: LedgerDep) -> JSON:
    """Register a source. The same canonical url with the same text answers 200 with the
    existing source; with different text 409 (the problem carries `existing_id`)."""
    fields = given.model_dump(exclude={"url", "title", "text", "cites", "published_on"})
    published_on = PartialDate.parse(given.published_on) if given.published_on else None
    outcome = ledger.sources.register(
        ctx,
        url=given.url,
        title=given.title,
        text=given.text,
        cites=given.cites,
        published_on=published_on,
        **fields,
    )
    status = 201 if outcome.created else 200
    return written(
        outcome,
        source_body(outcome.aggregate),
        status=status,
        location=f"/sources/{outcome.aggregate.id}",
    )


class CaptureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        canonical_url(value)
        return value


@router.post(
    "/capture",
    status_code=201,
    response_model=SourceOut,
    responses={200: {"model": SourceOut, "description": "The existing source"}},
)
def capture_source(
    given: CaptureIn, ctx: ContributorContext, ledger: LedgerDep, settings: SettingsDep
) -> JSON:
    """Fetch a page (HTML or plain text) and register it as a source: the main text, title,
    authors, date, language and publisher from its schema.org JSON-LD, OpenGraph and `<meta>`;
    `snapshot_sha256` is the SHA-256 of the raw bytes, which are kept. A page that times out,
    redirects more than the limit, is another type or is over the size limit is a 422 problem
    (`capture-timeout`, `capture-too-many-redirects`, `capture-unsupported-content`,
    `capture-too-large`) and nothing is written. The same url with the same text again answers
    200 with the existing source; with other text 409."""
    snapshots = Snapshots(Path(settings.snapshot_dir))
    outcome = capture_url(ledger, ctx, given.url, snapshots, settings.capture_limits())
    return written(
        outcome,
        source_body(outcome.aggregate),
        status=201 if outcome.created else 200,
        location=f"/sources/{outcome.aggregate.id}",
    )


@router.get("", response_model=dict[str, list[SourceOut] | None])
def find_sources(ledger: LedgerDep, url: Annotated[str, Query(max_length=2048)]) -> JSON:
    """Sources by url (compared in canonical form)."""
    found = ledger.sources.find(url)
    items = [source_body(found)] if found is not None else []
    return JSON({"items": items, "next_cursor": None})


@router.get("/{source_id}", response_model=SourceOut)
def get_source(
    source_id: UUID,
    ledger: LedgerDep,
    include: Annotated[str | None, Query(pattern="^text$")] = None,
) -> JSON:
    source = ledger.sources.get(source_id)
    return resource(source_body(source, include_text=include == "text"), source.version)


class CandidateOut(BaseModel):
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    statement: str
    kind: str
    claimant: str | None
    subject: str | None
    relation: str | None
    object: str | None
    score: float
    rules: list[str]
    proposed_actors: list[dict[str, str | None]]


@router.get("/{source_id}/candidates", response_model=dict[str, list[CandidateOut]])
def list_candidates(source_id: UUID, ledger: LedgerDep, views: ActorsView) -> JSON:
    """Claims the source's text appears to make, found by rules (deterministic, no model):
    attributed statements, quotations (an unclosed one ends with its sentence), quantities,
    dates, negations, hedges and predictions. Each is anchored (`exact`, `prefix`, `suffix`,
    `start`, `end` in the source's text) and names the rules that fired; actors are ids of the
    registry (names it does not know are listed in `proposed_actors`), `relation` a vocabulary
    slug, `score` a check-worthiness in [0, 1]. The rules read English: a source in another
    language has none. Accepting one is `POST /claims` with its fields."""
    found = source_candidates(ledger, source_id, actors_from_view(views.store))
    return JSON({"items": [candidate_json(c) for c in found]})
