"""`claimtrail keys`: principals and their API keys."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import typer
from rich.table import Table

from domain.errors import DomainError
from domain.principals import ApiKey
from domain.values import Role
from service.cli.common import DatabaseUrl, console, fail, ledger_at


def create_key(
    name: Annotated[str, typer.Option(help="the principal's name")],
    role: Annotated[Role, typer.Option(help="reader, contributor, reviewer or admin")],
    database_url: DatabaseUrl = None,
) -> None:
    """Create a principal and print its token (shown once)."""
    with ledger_at(database_url) as ledger:
        issued = ledger.principals.create(ledger.principals.system_context(), name=name, role=role)
    console.print(f"principal {issued.outcome.aggregate.id} ({role.value}), key {issued.key_id}")
    print(issued.token)


def list_keys(database_url: DatabaseUrl = None) -> None:
    """List principals and their keys (never the tokens)."""
    table = Table("principal", "name", "role", "key", "issued", "revoked")
    with ledger_at(database_url) as ledger:
        for principal in ledger.principals.list():
            keys: list[ApiKey | None] = [*principal.keys] or [None]
            for key in keys:
                table.add_row(
                    str(principal.id),
                    principal.name,
                    principal.role.value,
                    str(key.key_id) if key else "-",
                    key.issued_at.isoformat(timespec="seconds") if key else "-",
                    key.revoked_at.isoformat(timespec="seconds") if key and key.revoked_at else "",
                )
    console.print(table)


def revoke_key(
    principal: Annotated[UUID, typer.Option(help="the principal id")],
    key: Annotated[UUID, typer.Option(help="the key id")],
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke a key: its token is refused from now on."""
    with ledger_at(database_url) as ledger:
        try:
            ledger.principals.revoke_key(ledger.principals.system_context(), principal, key)
        except DomainError as exc:
            raise fail(exc.detail) from None
    console.print(f"revoked key {key} of principal {principal}")
