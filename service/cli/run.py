"""Running the service: serve the API, seed the ledger, run the projection worker."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from domain.errors import DomainError
from infra.projections.read_model import ReadModel, wakeup_for
from infra.seeding import SeedError, item_count, load_seed
from infra.webhooks import dispatcher as webhooks
from infra.webhooks.secrets import load_sealer
from service.cli.common import SEEDS, DatabaseUrl, console, fail, ledger_at, report_stops
from service.protocol import HTTP
from service.settings import Settings


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


def project(database_url: DatabaseUrl = None) -> None:
    """Run the projections as a worker (run the API with CLAIMTRAIL_PROJECTIONS=off)."""
    settings = Settings()
    url = database_url or settings.database_url
    with ledger_at(url) as ledger:
        read_model = ReadModel(ledger, batch_size=settings.projection_batch or None)
        read_model.projector.backoff = settings.view_backoff()
        wakeup = wakeup_for(ledger, url)
        ledger.webhooks.use(
            load_sealer(settings.webhook_key_file), allow_private=settings.webhook_allow_private
        )
        # Webhooks are delivered beside the views, in their own threads: a slow receiver never
        # holds a view back.
        dispatcher = webhooks.Dispatcher(ledger, read_model.store, settings.delivery_config())
        delivering = webhooks.run_in_thread(dispatcher)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        head = read_model.head()
        start = read_model.position()
        columns = (
            TextColumn("[bold]catching up"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:,.0f} events/s"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("", total=max(head - start, 0), rate=0.0)
            began, done = time.perf_counter(), 0
            while not stop.is_set() and (count := read_model.projector.run_once()):
                done += count
                progress.update(
                    task,
                    completed=min(read_model.position() - start, head),
                    rate=done / max(time.perf_counter() - began, 1e-9),
                )
        console.print(f"views at position {read_model.position()}; following the log")
        report_stops(read_model.projector.stuck())
        try:
            read_model.projector.run_forever(
                stop, wakeup, interval=0.5 if wakeup.conninfo else 0.05
            )
        except KeyboardInterrupt:
            pass
        finally:
            webhooks.stop_thread(delivering, dispatcher)
            wakeup.close()
