"""Running the service: serve the API, seed the ledger (the projection worker: project.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from domain.errors import DomainError
from infra.seeding import SeedError, item_count, load_seed
from service.cli.common import SEEDS, DatabaseUrl, console, fail, ledger_at
from service.protocol import HTTP


def serve(
    host: str = "127.0.0.1", port: int = 8000, workers: int = 1, database_url: DatabaseUrl = None
) -> None:
    """Serve the HTTP API and the web UI."""
    import os

    if database_url:
        os.environ["CLAIMTRAIL_DATABASE_URL"] = database_url
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=HTTP,  # httptools, with its 400 as a problem+json (service/protocol.py)
    )


def seed(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="seed files (YAML); default: every *.yaml in the project's seeds/"),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Load seed files idempotently: a second run writes nothing."""
    paths = files or sorted(SEEDS.glob("*.yaml"))
    try:
        total = sum(item_count(p) for p in paths)
    except (SeedError, OSError) as exc:
        raise fail(str(exc)) from None
    columns = (
        TextColumn("[bold]seeding"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
    )
    with ledger_at(database_url) as ledger, Progress(*columns, console=console) as progress:
        task = progress.add_task("", total=total)
        for path in paths:
            try:
                report = load_seed(
                    ledger, path, lambda item: progress.update(task, advance=1, description=item)
                )
            except (SeedError, DomainError) as exc:
                raise fail(f"{path.name}: {exc}") from None
            progress.console.print(
                f"{path.name}: created {report.created}, already present {report.existing}"
            )
