"""Claims: record, read (now, as of a time, at a version), history, and the lifecycle commands.
The lifecycle commands are in claim_commands.py. POST /claims is async: the body is parsed once
(service/bodies.py), the attempt runs on the event loop when it reads nothing (a new claim
without an Idempotency-Key, its actors and source in memory) or else on a worker thread, and
the writer's save is awaited."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import AfterValidator
from starlette.routing import Match, Route
from starlette.types import Scope

from domain.values import ClaimKind, ClaimStatus, PartialDate, WorkflowState
from domain.vocabulary import Verdict, relations_matching
from infra.claimreview.export import claim_review
from infra.languages import language_tag
from infra.ledger.application import Ledger
from infra.ledger.context import Context
from infra.projections.claims_view import ClaimFilter
from infra.projections.read_model import ReadModel
from infra.store.event_types import event_data, event_type, plain
from service.bodies import json_body, parsed
from service.deps import (
    ContributorContext,
    LedgerDep,
    Reader,
    fresh,
    reader_contributor_context,
)
from service.pagination import CursorParam, Limit, decode, page
from service.responses import JSON, JSONLD, resource, written
from service.routes.claim_bodies import claim_json, with_organizations
from service.routes.claim_schemas import ClaimIn, ClaimOut
from service.routes.similar import HOW, similar_on_write
from service.times import Instant

router = APIRouter(prefix="/claims", tags=["claims"], dependencies=[Reader])
ClaimsView = Annotated[ReadModel, fresh("claims")]


ActorQ = Annotated[str | None, Query(max_length=63, pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]


def _check_date(value: str | None) -> str | None:
    if value is not None:
        PartialDate.parse(value)
    return value


def _check_language(value: str | None) -> str | None:
    return language_tag(value) if value is not None else None


def date_or_none(value: str | None) -> PartialDate | None:
    return PartialDate.parse(value) if value is not None else None


@router.post(
    "",
    status_code=201,
    response_model=ClaimOut,
    openapi_extra=json_body(ClaimIn),
    description="Record a claim. Actors may be named by id, name or alias; `relation` is a "
    "vocabulary slug or a CAMEO code. When the source has text, `appearance.exact` must occur "
    "in it. The answer's `similar` lists claims already recorded that say nearly the same "
    "thing (`score` >= 0.7, at most 10, best first; null if they could not be read), so a "
    "duplicate can be linked instead of recorded again. " + HOW,
)
async def record_claim(request: Request, ctx: ContributorContext) -> JSON:
    """Described by this route; served by `RecordClaim` below."""
    return await _record(request, ctx)


async def _record(request: Request, ctx: Context) -> JSON:
    ledger: Ledger = request.app.state.ledger
    given = await parsed(request, ClaimIn)
    planned = ledger.claim_plans.record(
        ctx,
        statement=given.statement,
        kind=given.kind,
        subject=given.subject,
        relation=given.relation,
        object=given.object,
        about=given.about,
        claimant=given.claimant,
        occurred_on=date_or_none(given.occurred_on),
        quantities=[q.quantity() for q in given.quantities],
        tags=given.tags,
        negated=given.negated,
        appearance=given.appearance.quote(),
        language=given.language,
    )
    outcome = await ledger.run_async(planned)
    # After the write is saved, with the lookups of the other writes waiting.
    similar = await similar_on_write(request.app.state.similar_lookups, outcome.aggregate)
    body = {**claim_json(ledger, outcome.aggregate), "similar": similar}
    return written(
        outcome,
        body,
        status=201,
        location=f"/claims/{outcome.aggregate.id}",
    )


async def _serve_record(request: Request) -> Response:
    return await _record(request, await reader_contributor_context(request))


class RecordClaim(Route):
    """POST /claims served as a plain Starlette route placed before every other (app.py):
    the authentication, role and command context are resolved by one plain function
    (`reader_contributor_context`: the same checks in the same order) instead of FastAPI
    solving the chain of dependencies of `record_claim`, whose APIRoute stays only to describe
    the operation in the OpenAPI document. Another method on /claims is no match here, so it
    goes on to the routes below as before."""

    def __init__(self) -> None:
        super().__init__("/claims", _serve_record, methods=["POST"])

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match != Match.FULL:
            return Match.NONE, {}
        child["route"] = self  # the metrics label it by its path, as an APIRoute
        return match, child


@router.get("", response_model=dict[str, list[ClaimOut] | str | None])
def list_claims(
    request: Request,
    views: ClaimsView,
    ledger: LedgerDep,
    limit: Limit = 50,
    cursor: CursorParam = None,
    actor: ActorQ = None,
    subject: ActorQ = None,
    object: ActorQ = None,  # noqa: A002
    claimant: ActorQ = None,
    relation: Annotated[str | None, Query(max_length=64)] = None,
    status: ClaimStatus | None = None,
    verdict: Verdict | None = None,
    kind: ClaimKind | None = None,
    source_id: UUID | None = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str | None, Query(max_length=200, description="text in the statement")] = None,
    occurred_from: Annotated[str | None, AfterValidator(_check_date)] = None,
    occurred_to: Annotated[str | None, AfterValidator(_check_date)] = None,
    lang: Annotated[
        str | None,
        Query(max_length=64, description="BCP-47: `zh` finds `zh-Hans` too"),
        AfterValidator(_check_language),
    ] = None,
    assignee: Annotated[
        UUID | None, Query(description="claims assigned to this principal (its id)")
    ] = None,
    workflow: Annotated[
        WorkflowState | None,
        Query(
            description="`unassigned`, `assigned`, `in_progress` (work started, no review "
            "published since) or `reviewed` (a review is published)"
        ),
    ] = None,
) -> JSON:
    """Claims in the order they were recorded (keyset pagination: no item is skipped or
    repeated while new claims arrive). Actor filters take actor ids."""
    values = {
        "actor": actor,
        "subject": subject,
        "object": object,
        "claimant": claimant,
        "status": status.value if status else None,
        "verdict": verdict.value if verdict else None,
        "kind": kind.value if kind else None,
        "source_id": str(source_id) if source_id else None,
        "tag": tag,
        "lang": lang,
        "assignee": str(assignee) if assignee else None,
        "workflow": workflow.value if workflow else None,
    }
    where = ClaimFilter(
        {k: v for k, v in values.items() if v is not None},
        q,
        occurred_from,
        occurred_to,
        relations_matching(relation) if relation else (),
    )
    items, next_key = views.claims(where, decode(cursor, int) or 0, limit)
    return page(request, with_organizations(ledger, items), next_key)


@router.get("/{claim_id}", response_model=ClaimOut)
def get_claim(
    claim_id: UUID,
    ledger: LedgerDep,
    as_of: Annotated[
        Instant | None, Query(description="the claim as recorded at this time (RFC 3339)")
    ] = None,
    version: Annotated[int | None, Query(ge=1, le=10**9)] = None,
) -> JSON:
    claim = ledger.claims.get(claim_id, version=version, as_of=as_of)
    return resource(claim_json(ledger, claim), claim.version)


@router.get("/{claim_id}/history")
def claim_history(claim_id: UUID, ledger: LedgerDep) -> JSON:
    """Every event of the claim, oldest first, with the principal that caused it (its id and
    its display name)."""
    history = ledger.claims.history(claim_id)
    names = ledger.principals.display_names({event.meta.principal_id for _, event in history})
    items = [
        {
            "position": position,
            "version": event.originator_version,
            "type": event_type(event),
            "recorded_at": plain(event.timestamp),
            "recorded_by": str(event.meta.principal_id),
            "recorded_by_name": names.get(event.meta.principal_id),
            "request_id": event.meta.request_id,
            "data": event_data(event),
        }
        for position, event in history
    ]
    return JSON({"items": items})


@router.get("/{claim_id}/claimreview", response_class=JSONLD)
def get_claim_review(claim_id: UUID, ledger: LedgerDep, request: Request) -> JSON:
    """schema.org ClaimReview JSON-LD of the review published last (404 while the claim has
    no published review: drafts and unpublished reviews are never exported)."""
    body = claim_review(ledger, ledger.claims.get(claim_id), str(request.base_url).rstrip("/"))
    return JSONLD(body)
