"""The claimtrail command: orgs create|add-member|list, with bad inputs."""

from uuid import UUID, uuid4

from typer.testing import CliRunner

from infra.ledger.application import open_ledger
from service.cli import app

runner = CliRunner()


def _run(database_url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--database-url", database_url])
    return result.exit_code, result.output


def test_orgs_create_add_member_and_list(database_url: str) -> None:
    code, out = _run(database_url, "keys", "create", "--name", "ana", "--role", "reader")
    assert code == 0, out
    principal_id = out.split()[1]
    code, out = _run(database_url, "orgs", "create", "--name", "Desk CLI")
    assert code == 0, out
    organization_id = out.strip().splitlines()[-1]

    code, out = _run(
        database_url, "orgs", "add-member", "--organization", organization_id,
        "--principal", principal_id, "--role", "reviewer",
    )  # fmt: skip

    assert code == 0, out
    ledger = open_ledger(database_url)
    try:
        principal = ledger.principals.get(UUID(principal_id))
        assert [str(o) for o in principal.organizations] == [organization_id]
    finally:
        ledger.close()
    code, out = _run(database_url, "orgs", "list")
    assert code == 0 and "Desk CLI" in out and "reviewer" in out


def test_orgs_refuse_a_duplicate_name_and_an_unknown_principal(sqlite_url: str) -> None:
    code, out = _run(sqlite_url, "orgs", "create", "--name", "Desk")
    organization_id = out.strip().splitlines()[-1]
    code, out = _run(sqlite_url, "orgs", "create", "--name", "desk")
    assert code == 1 and "exists" in out
    code, out = _run(
        sqlite_url, "orgs", "add-member", "--organization", organization_id,
        "--principal", str(uuid4()), "--role", "reviewer",
    )  # fmt: skip
    assert code == 1 and "not found" in out
