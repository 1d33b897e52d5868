"""`claimtrail orgs`: organizations and their members."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import typer
from rich.table import Table

from domain.errors import DomainError
from domain.organizations import Membership
from domain.values import Role
from service.cli.common import DatabaseUrl, console, fail, ledger_at

orgs = typer.Typer(help="Organizations and their members.", no_args_is_help=True)


@orgs.command("create")
def create_organization(
    name: Annotated[str, typer.Option(help="the organization's name")],
    database_url: DatabaseUrl = None,
) -> None:
    """Create an organization and print its id."""
    with ledger_at(database_url) as ledger:
        try:
            outcome = ledger.organizations.create(ledger.principals.system_context(), name=name)
        except DomainError as exc:
            raise fail(exc.detail) from None
    print(outcome.aggregate.id)


@orgs.command("add-member")
def add_member(
    organization: Annotated[UUID, typer.Option(help="the organization id")],
    principal: Annotated[UUID, typer.Option(help="the principal id")],
    role: Annotated[Role, typer.Option(help="its role in the organization")],
    database_url: DatabaseUrl = None,
) -> None:
    """Add a principal to an organization with a role there."""
    with ledger_at(database_url) as ledger:
        try:
            ctx = ledger.principals.system_context()
            ledger.organizations.add_member(ctx, organization, principal, role)
        except DomainError as exc:
            raise fail(exc.detail) from None
    console.print(f"principal {principal} is a {role.value} of {organization}")


@orgs.command("list")
def list_organizations(database_url: DatabaseUrl = None) -> None:
    """List organizations and their members with their roles."""
    table = Table("organization", "name", "member", "role")
    with ledger_at(database_url) as ledger:
        for organization in ledger.organizations.list():
            members: list[Membership | None] = [*organization.members.values()] or [None]
            for member in members:
                table.add_row(
                    str(organization.id),
                    organization.name,
                    str(member.principal_id) if member else "-",
                    member.role.value if member else "",
                )
    console.print(table)
