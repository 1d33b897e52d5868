"""The `claimtrail` command: one module per command group."""

from __future__ import annotations

import typer

from service.cli.audit import audit
from service.cli.imports import import_claimreview
from service.cli.keys import create_key, list_keys, revoke_key
from service.cli.organizations import orgs
from service.cli.project import project
from service.cli.run import seed, serve
from service.cli.sources import sources
from service.cli.views import replay

app = typer.Typer(
    help="claimtrail: an event-sourced claims ledger for fact-checkers.", no_args_is_help=True
)
for command in (serve, seed, project, replay):
    app.command()(command)

keys = typer.Typer(help="Principals and their API keys.", no_args_is_help=True)
keys.command("create")(create_key)
keys.command("list")(list_keys)
keys.command("revoke")(revoke_key)
app.add_typer(keys, name="keys")
app.add_typer(orgs, name="orgs")

imports = typer.Typer(help="Import data from other systems.", no_args_is_help=True)
imports.command("claimreview")(import_claimreview)
app.add_typer(imports, name="import")

app.add_typer(audit)  # verify, export
app.add_typer(sources)  # capture, extract


def main() -> None:
    app()
