"""Principals and their API keys (admin only). A token is shown once, when it is issued."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from domain.principals import Principal
from domain.values import Role
from infra.store.event_types import plain
from service.deps import AdminContext, LedgerDep, require
from service.responses import JSON, resource, written

router = APIRouter(prefix="/principals", tags=["principals"])
Admin = Depends(require(Role.ADMIN))
DisplayName = Annotated[
    str, Field(min_length=1, max_length=200, pattern=r"\S", description="shown to readers")
]


class PrincipalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=200)]
    role: Role
    display_name: DisplayName | None = None


class DisplayNameIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: DisplayName


class KeyOut(BaseModel):
    id: UUID
    issued_at: str
    revoked_at: str | None


class PrincipalOut(BaseModel):
    id: UUID
    name: str
    display_name: str
    role: Role
    keys: list[KeyOut]
    version: int
    token: str | None = None
    key_id: UUID | None = None
    position: int | None = None


def principal_body(principal: Principal) -> dict[str, Any]:
    return {
        "id": str(principal.id),
        "name": principal.name,
        "display_name": principal.display_name,
        "role": principal.role.value,
        "keys": [
            {
                "id": str(k.key_id),
                "issued_at": plain(k.issued_at),
                "revoked_at": plain(k.revoked_at),
            }
            for k in principal.keys
        ],
        "version": principal.version,
    }


@router.post("", status_code=201, response_model=PrincipalOut)
def create_principal(given: PrincipalIn, ctx: AdminContext, ledger: LedgerDep) -> JSON:
    """Create a principal with a first key; `token` is shown only in this response
    (an idempotent replay answers with `token: null`: the secret is never stored)."""
    issued = ledger.principals.create(
        ctx, name=given.name, role=given.role, display_name=given.display_name
    )
    body = {
        **principal_body(issued.outcome.aggregate),
        "token": issued.token,
        "key_id": str(issued.key_id),
    }
    return written(
        issued.outcome, body, status=201, location=f"/principals/{issued.outcome.aggregate.id}"
    )


@router.get("", dependencies=[Admin], response_model=dict[str, list[PrincipalOut] | None])
def list_principals(ledger: LedgerDep) -> JSON:
    items = [principal_body(p) for p in ledger.principals.list()]
    return JSON({"items": items, "next_cursor": None})


@router.get("/{principal_id}", dependencies=[Admin], response_model=PrincipalOut)
def get_principal(principal_id: UUID, ledger: LedgerDep) -> JSON:
    principal = ledger.principals.get(principal_id)
    return resource(principal_body(principal), principal.version)


@router.post("/{principal_id}/keys", status_code=201, response_model=PrincipalOut)
def issue_key(principal_id: UUID, ctx: AdminContext, ledger: LedgerDep) -> JSON:
    """Issue another key; its `token` is shown only in this response."""
    issued = ledger.principals.issue_key(ctx, principal_id)
    body = {
        **principal_body(issued.outcome.aggregate),
        "token": issued.token,
        "key_id": str(issued.key_id),
    }
    return written(issued.outcome, body, status=201)


@router.post("/{principal_id}/display-name", response_model=PrincipalOut)
def set_display_name(
    principal_id: UUID, given: DisplayNameIn, ctx: AdminContext, ledger: LedgerDep
) -> JSON:
    """Change the name readers see (GET /people, history, timeline, ClaimReview); the same name
    again is a 409."""
    outcome = ledger.principals.set_display_name(ctx, principal_id, given.display_name)
    return written(outcome, principal_body(outcome.aggregate))


@router.delete("/{principal_id}/keys/{key_id}", response_model=PrincipalOut)
def revoke_key(principal_id: UUID, key_id: UUID, ctx: AdminContext, ledger: LedgerDep) -> JSON:
    """Revoke a key: a request with its token is refused (401) from now on."""
    outcome = ledger.principals.revoke_key(ctx, principal_id, key_id)
    return written(outcome, principal_body(outcome.aggregate))
