"""What every command shares: the database option, consoles, opening the ledger, failing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from infra.ledger.application import Ledger, open_ledger
from infra.projections.stops import Stop
from service.settings import Settings

console = Console()
err = Console(stderr=True)
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="CLAIMTRAIL_DATABASE_URL",
        help="sqlite:///path or postgresql://user:pass@host:port/db",
    ),
]


@contextmanager
def ledger_at(database_url: str | None) -> Iterator[Ledger]:
    ledger = open_ledger(database_url or Settings().database_url)
    try:
        yield ledger
    finally:
        ledger.close()


def fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", soft_wrap=True)  # one line, whatever the width
    return typer.Exit(code=1)


def report_stops(stopped: dict[str, Stop]) -> None:
    """Say which views are stopped at an event they cannot apply (the others go on)."""
    for name, stop in stopped.items():
        console.print(
            f"[red]view {name} is stopped at position {stop.position}[/red]: {stop.error} "
            f"({stop.attempts} attempt(s); the other views go on)"
        )
