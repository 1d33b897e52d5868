"""Dependencies: the ledger, the acting principal (from the token only), the command context."""

import hashlib
import re
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool

from domain.principals import Principal
from domain.values import Role
from infra.ids import new_uuid
from infra.ledger.application import Ledger
from infra.ledger.context import Context
from infra.ledger.errors import AuthenticationError
from infra.projections.read_model import ReadModel, ViewName
from service.errors import HTTPProblem
from service.pagination import MinPosition
from service.settings import Settings

_ETAG = re.compile(r'^(?:W/)?"(\d{1,18})"$')
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
# Documented in the OpenAPI schema, checked in code: a malformed value is a 400 problem
# (invalid-if-match, invalid-idempotency-key), not a validation 422.


async def get_ledger(request: Request) -> Ledger:
    ledger: Ledger = request.app.state.ledger
    return ledger


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


LedgerDep = Annotated[Ledger, Depends(get_ledger)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def optional_principal(
    ledger: LedgerDep, authorization: Annotated[str | None, Header()] = None
) -> Principal | None:
    """The token's principal, on the event loop: a server keeps the principals it
    authenticated (app.py), so this reads the store only for one not seen yet, and about once
    a second for the revocations since (principal_cache.py)."""
    return principal_for(ledger, authorization)


def principal_for(ledger: Ledger, authorization: str | None) -> Principal | None:
    if authorization is None:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("use 'Authorization: Bearer <token>'")
    return ledger.principals.authenticate(token.strip())


class RoleGate:
    """A dependency that admits principals whose role includes `role`. A class, not a closure,
    so the OpenAPI document can tell which operations answer 403 and for want of which role.
    With `members`, it also admits members of any organization: their role where they act is
    the organization's to tell, and the use case checks it (organizations.check_may_act_as)."""

    def __init__(self, role: Role, members: bool = False) -> None:
        self.role, self.members = role, members

    async def __call__(
        self,
        principal: Annotated[Principal | None, Depends(optional_principal)],
    ) -> Principal:
        return admitted(principal, self.role, self.members)


def admitted(principal: Principal | None, role: Role, members: bool = False) -> Principal:
    if principal is None:
        raise AuthenticationError("this needs 'Authorization: Bearer <token>'")
    if not principal.role.includes(role) and not (members and principal.organizations):
        raise HTTPProblem(403, f"this needs the '{role.value}' role", "forbidden")
    return principal


def require(role: Role, members: bool = False) -> RoleGate:
    return RoleGate(role, members)


async def reader(
    settings: SettingsDep,
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal | None:
    return may_read(settings, principal)


def may_read(settings: Settings, principal: Principal | None) -> Principal | None:
    if not settings.public_read and principal is None:
        raise AuthenticationError("reads need a token on this server")
    return principal


Reader = Depends(reader)


def parse_if_match(value: str | None) -> int | None:
    """The version an If-Match header names. A weak tag (W/"3") never matches: If-Match uses
    strong comparison (RFC 9110), so it is answered 412 like any stale version."""
    if value is None or value.strip() == "*":
        return None
    match = _ETAG.match(value.strip())
    if match is None:
        raise HTTPProblem(400, 'If-Match must be an ETag such as "3"', "invalid-if-match")
    return -1 if value.strip().startswith("W/") else int(match[1])


def context_for(role: Role, members: bool = False):  # type: ignore[no-untyped-def]
    """A dependency giving the command Context of an authorised request."""

    async def dependency(
        request: Request,
        principal: Annotated[Principal, Depends(require(role, members))],
        idempotency_key: Annotated[
            str | None,
            Header(
                json_schema_extra={
                    "pattern": _KEY.pattern,
                    "description": "a retry with the same key and body "
                    "answers as the first time and writes nothing",
                }
            ),
        ] = None,
        if_match: Annotated[
            str | None,
            Header(
                json_schema_extra={
                    "pattern": r'^(\*|"[0-9]{1,18}")$',
                    "description": "the version (ETag) the command expects; another one is a 412",
                }
            ),
        ] = None,
        x_request_id: Annotated[str | None, Header()] = None,
    ) -> Context:
        return await command_context(request, principal, idempotency_key, if_match, x_request_id)

    return dependency


async def command_context(
    request: Request,
    principal: Principal,
    idempotency_key: str | None,
    if_match: str | None,
    x_request_id: str | None,
) -> Context:
    if idempotency_key is not None and not _KEY.match(idempotency_key):
        raise HTTPProblem(
            400,
            "Idempotency-Key must be 1-255 visible ASCII characters",
            "invalid-idempotency-key",
        )
    digest = None
    if idempotency_key is not None:  # a retry must send the same request
        body = await request.body()
        digest = hashlib.sha256(
            b"%s %s\n%s" % (request.method.encode(), request.url.path.encode(), body)
        ).hexdigest()
    request_id = (x_request_id or "")[:128] or new_uuid().hex
    return Context(
        principal.id,
        principal.role,
        request_id,
        idempotency_key,
        digest,
        parse_if_match(if_match),
        tuple(principal.organizations),
    )


async def reader_contributor_context(request: Request) -> Context:
    """What `Reader` (on the router) and `ContributorContext` give a route, without FastAPI
    solving their chain of dependencies (for POST /claims, the hottest write: solving them was
    ~40% of its event-loop CPU). The same checks in the same order: the token, the reader's
    check, the role, then the command's headers (a header FastAPI reads is its first value)."""
    state = request.app.state
    headers = request.headers
    principal = may_read(state.settings, principal_for(state.ledger, headers.get("authorization")))
    return await command_context(
        request,
        admitted(principal, Role.CONTRIBUTOR),
        headers.get("idempotency-key"),
        headers.get("if-match"),
        headers.get("x-request-id"),
    )


ContributorContext = Annotated[Context, Depends(context_for(Role.CONTRIBUTOR))]
ReviewerContext = Annotated[Context, Depends(context_for(Role.REVIEWER))]
AdminContext = Annotated[Context, Depends(context_for(Role.ADMIN))]
# Acting for an organization: a member's role there decides (the use case checks it).
MemberReviewerContext = Annotated[Context, Depends(context_for(Role.REVIEWER, members=True))]
MemberAdminContext = Annotated[Context, Depends(context_for(Role.ADMIN, members=True))]


async def get_read_model(request: Request) -> ReadModel:
    read_model: ReadModel = request.app.state.read_model
    return read_model


ReadModelDep = Annotated[ReadModel, Depends(get_read_model)]


class Freshness:
    """A dependency giving the read model once the views a route reads have processed
    `min_position` (read-your-writes; the waiting is done on a worker thread). It waits for
    those views only: a view stopped at an event, or slow, holds up no read that does not read
    it. A class, like RoleGate, so a test can tell which views each route waits for."""

    def __init__(self, views: tuple[ViewName, ...]) -> None:
        self.views = views or None

    async def __call__(
        self, read_model: ReadModelDep, settings: SettingsDep, min_position: MinPosition = None
    ) -> ReadModel:
        if min_position is not None:
            await run_in_threadpool(
                read_model.wait, min_position, settings.min_position_timeout, self.views
            )
        return read_model


def fresh(*views: ViewName) -> Any:
    """`Annotated[ReadModel, fresh("timeline", "people")]`: the read model once the views
    named (every view if none is) have processed `min_position`. Name every view the handler
    reads, and only those."""
    return Depends(Freshness(views))
