"""Organizations and their members. The ledger's admins create organizations; members are
managed by the ledger's admins or the organization's own. A member's role in an organization is
its authority when it acts for it (a review is then the organization's)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from domain.organizations import Organization
from domain.principals import Principal
from domain.values import Role
from infra.ledger.application import Ledger
from infra.store.event_types import plain
from service.deps import AdminContext, LedgerDep, MemberAdminContext, require
from service.responses import JSON, resource, written

router = APIRouter(prefix="/organizations", tags=["organizations"])
Admin = Depends(require(Role.ADMIN))
Manager = Annotated[Principal, Depends(require(Role.ADMIN, members=True))]
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]


class OrganizationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    principal_id: UUID
    role: Role


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role


class MemberOut(BaseModel):
    principal_id: UUID
    display_name: str | None
    role: Role
    added_by: UUID
    added_at: str


class OrganizationOut(BaseModel):
    id: UUID
    name: str
    members: list[MemberOut]
    recorded_by: UUID
    version: int
    position: int | None = None


class OrganizationsOut(BaseModel):
    items: list[OrganizationOut]
    next_cursor: str | None


class MembersOut(BaseModel):
    items: list[MemberOut]
    next_cursor: str | None


def members_body(ledger: Ledger, organization: Organization) -> list[dict[str, Any]]:
    members = sorted(organization.members.values(), key=lambda m: (m.added_at, m.principal_id))
    names = ledger.principals.display_names({m.principal_id for m in members})
    return [
        {
            "principal_id": str(m.principal_id),
            "display_name": names.get(m.principal_id),
            "role": m.role.value,
            "added_by": str(m.added_by),
            "added_at": plain(m.added_at),
        }
        for m in members
    ]


def organization_body(ledger: Ledger, organization: Organization) -> dict[str, Any]:
    return {
        "id": str(organization.id),
        "name": organization.name,
        "members": members_body(ledger, organization),
        "recorded_by": str(organization.recorded_by),
        "version": organization.version,
    }


@router.post("", status_code=201, response_model=OrganizationOut)
def create_organization(given: OrganizationIn, ctx: AdminContext, ledger: LedgerDep) -> JSON:
    """Create an organization (a name no other organization has, in any case: else a 409)."""
    outcome = ledger.organizations.create(ctx, name=given.name)
    organization = outcome.aggregate
    return written(
        outcome,
        organization_body(ledger, organization),
        status=201,
        location=f"/organizations/{organization.id}",
    )


@router.get("", dependencies=[Admin], response_model=OrganizationsOut)
def list_organizations(ledger: LedgerDep) -> JSON:
    items = [organization_body(ledger, o) for o in ledger.organizations.list()]
    return JSON({"items": items, "next_cursor": None})


@router.get("/{organization_id}", response_model=OrganizationOut)
def get_organization(organization_id: UUID, principal: Manager, ledger: LedgerDep) -> JSON:
    """The organization and its members (the ledger's admins and the organization's)."""
    organization = ledger.organizations.get_managed(organization_id, principal.id, principal.role)
    return resource(organization_body(ledger, organization), organization.version)


@router.get("/{organization_id}/members", response_model=MembersOut)
def list_members(organization_id: UUID, principal: Manager, ledger: LedgerDep) -> JSON:
    """The current members, in the order they were added."""
    organization = ledger.organizations.get_managed(organization_id, principal.id, principal.role)
    return JSON({"items": members_body(ledger, organization), "next_cursor": None})


@router.post("/{organization_id}/members", status_code=201, response_model=OrganizationOut)
def add_member(
    organization_id: UUID, given: MemberIn, ctx: MemberAdminContext, ledger: LedgerDep
) -> JSON:
    """Add a principal with its role in this organization: an unknown principal is a 422, a
    current member a 409."""
    outcome = ledger.organizations.add_member(ctx, organization_id, given.principal_id, given.role)
    return written(
        outcome,
        organization_body(ledger, outcome.aggregate),
        status=201,
        location=f"/organizations/{organization_id}/members",
    )


@router.post("/{organization_id}/members/{principal_id}/role", response_model=OrganizationOut)
def change_role(
    organization_id: UUID,
    principal_id: UUID,
    given: RoleIn,
    ctx: MemberAdminContext,
    ledger: LedgerDep,
) -> JSON:
    """Change a member's role here (the same role again is a 409; not a member, a 404)."""
    outcome = ledger.organizations.change_role(ctx, organization_id, principal_id, given.role)
    return written(outcome, organization_body(ledger, outcome.aggregate))


@router.delete("/{organization_id}/members/{principal_id}", response_model=OrganizationOut)
def remove_member(
    organization_id: UUID, principal_id: UUID, ctx: MemberAdminContext, ledger: LedgerDep
) -> JSON:
    """End a membership (an event: it stays in the organization's history; not a member, a
    404). The principal no longer acts for this organization."""
    outcome = ledger.organizations.remove_member(ctx, organization_id, principal_id)
    return written(outcome, organization_body(ledger, outcome.aggregate))
