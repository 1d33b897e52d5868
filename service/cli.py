"""The `claimtrail` command: serve, seed, keys."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer
import uvicorn
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from domain.errors import DomainError
from domain.principals import ApiKey
from domain.values import Role
from infra.ledger.application import Ledger, open_ledger
from infra.projections.read_model import ReadModel, all_views, wakeup_for
from infra.projections.rebuild import digest, rebuild
from infra.projections.rebuild import swap as swap_views
from infra.seeding import SeedError, item_count, load_seed
from service.cli_audit import audit
from service.cli_sources import sources
from service.settings import Settings

app = typer.Typer(
    help="claimtrail: an event-sourced claims ledger for fact-checkers.", no_args_is_help=True
)
keys = typer.Typer(help="Principals and their API keys.", no_args_is_help=True)
app.add_typer(keys, name="keys")
imports = typer.Typer(help="Import data from other systems.", no_args_is_help=True)
app.add_typer(imports, name="import")
app.add_typer(audit)  # verify, export
app.add_typer(sources)  # extract
console = Console()
err = Console(stderr=True)
SEEDS = Path(__file__).resolve().parent.parent / "seeds"

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="CLAIMTRAIL_DATABASE_URL",
        help="sqlite:///path or postgresql://user:pass@host:port/db",
    ),
]


@contextmanager
def _ledger(database_url: str | None) -> Iterator[Ledger]:
    ledger = open_ledger(database_url or Settings().database_url)
    try:
        yield ledger
    finally:
        ledger.close()


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=1)


@app.command()
def serve(
    host: str = "127.0.0.1", port: int = 8000, workers: int = 1, database_url: DatabaseUrl = None
) -> None:
    """Serve the HTTP API and the web UI."""
    import os

    if database_url:
        os.environ["CLAIMTRAIL_DATABASE_URL"] = database_url
    uvicorn.run("service.app:create_app", factory=True, host=host, port=port, workers=workers)


@app.command()
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
        raise _fail(str(exc)) from None
    columns = (
        TextColumn("[bold]seeding"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
    )
    with _ledger(database_url) as ledger, Progress(*columns, console=console) as progress:
        task = progress.add_task("", total=total)
        for path in paths:
            try:
                report = load_seed(
                    ledger, path, lambda item: progress.update(task, advance=1, description=item)
                )
            except (SeedError, DomainError) as exc:
                raise _fail(f"{path.name}: {exc}") from None
            progress.console.print(
                f"{path.name}: created {report.created}, already present {report.existing}"
            )


@app.command()
def project(database_url: DatabaseUrl = None) -> None:
    """Run the projections as a worker (run the API with CLAIMTRAIL_PROJECTIONS=off)."""
    url = database_url or Settings().database_url
    with _ledger(url) as ledger:
        read_model = ReadModel(ledger)
        wakeup = wakeup_for(ledger, url)
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
        try:
            read_model.projector.run_forever(
                stop, wakeup, interval=0.5 if wakeup.conninfo else 0.05
            )
        except KeyboardInterrupt:
            pass
        finally:
            wakeup.close()


@app.command()
def replay(
    database_url: DatabaseUrl = None,
    swap: Annotated[
        bool, typer.Option("--swap", help="put the rebuilt views in place of the live ones")
    ] = False,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of",
            help="rebuild the views as they stood at this time (RFC 3339)",
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z"],
        ),
    ] = None,
) -> None:
    """Rebuild every view from the log beside the live ones and compare them (row digests)."""
    if swap and as_of is not None:
        raise _fail("--swap puts current views in place; it cannot be combined with --as-of")
    url = database_url or Settings().database_url
    with _ledger(url) as ledger:
        read_model = ReadModel(ledger)
        columns = (
            TextColumn("[bold]replaying"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:,.0f} events/s"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("", total=read_model.head(), rate=0.0)
            began = time.perf_counter()

            def advance(done: int, head: int) -> None:
                rate = done / max(time.perf_counter() - began, 1e-9)
                progress.update(task, completed=done, total=max(head, done), rate=rate)

            views = all_views()
            rebuilt = rebuild(ledger, views, until=as_of, progress=advance, database_url=url)
        if as_of is not None:
            console.print(
                f"views as of {as_of.isoformat()} rebuilt into the '{rebuilt.prefix}' tables"
            )
            return
        read_model.projector.catch_up()
        table = Table("view", "live", "rebuilt", "equal")
        different = 0
        for view in views:
            live, fresh = digest(read_model.store, view), digest(rebuilt, view)
            different += live != fresh
            table.add_row(
                view.name, live[:16], fresh[:16], "[green]yes" if live == fresh else "[red]NO"
            )
        console.print(table)
        if swap:
            swap_views(read_model.store, rebuilt, views)
            console.print("the rebuilt views are now live")
        elif different:
            raise _fail(f"{different} view(s) differ from a rebuild; run with --swap to repair")


@imports.command("claimreview")
def import_claimreview(
    paths: Annotated[
        list[Path],
        typer.Argument(help="ClaimReview JSON-LD files, or folders of *.json / *.jsonld"),
    ],
    database_url: DatabaseUrl = None,
) -> None:
    """Import ClaimReview JSON-LD as found in the wild; a second import changes nothing."""
    files = [
        f
        for p in paths
        for f in (sorted([*p.glob("*.json"), *p.glob("*.jsonld")]) if p.is_dir() else [p])
    ]
    totals = {"imported": 0, "unchanged": 0, "error": 0}
    columns = (
        TextColumn("[bold]importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
    )
    with _ledger(database_url) as ledger, Progress(*columns, console=console) as progress:
        ctx = ledger.system_context("import")
        task = progress.add_task("", total=len(files))
        for path in files:
            progress.update(task, description=path.name)
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                progress.console.print(f"[red]{path.name}[/red]: not JSON ({exc})")
                totals["error"] += 1
                progress.advance(task)
                continue
            for result in ledger.import_document(ctx, document):
                totals[result.status] += 1
                if result.error:
                    progress.console.print(
                        f"[red]{path.name}[/red] item {result.index}: {result.error}"
                    )
            progress.advance(task)
    console.print(
        f"imported {totals['imported']}, unchanged {totals['unchanged']}, errors {totals['error']}"
    )
    if totals["error"]:
        raise typer.Exit(code=1)


@keys.command("create")
def create_key(
    name: Annotated[str, typer.Option(help="the principal's name")],
    role: Annotated[Role, typer.Option(help="reader, contributor, reviewer or admin")],
    database_url: DatabaseUrl = None,
) -> None:
    """Create a principal and print its token (shown once)."""
    with _ledger(database_url) as ledger:
        issued = ledger.create_principal(ledger.system_context(), name=name, role=role)
    console.print(f"principal {issued.outcome.aggregate.id} ({role.value}), key {issued.key_id}")
    print(issued.token)


@keys.command("list")
def list_keys(database_url: DatabaseUrl = None) -> None:
    """List principals and their keys (never the tokens)."""
    table = Table("principal", "name", "role", "key", "issued", "revoked")
    with _ledger(database_url) as ledger:
        for principal in ledger.list_principals():
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


@keys.command("revoke")
def revoke_key(
    principal: Annotated[UUID, typer.Option(help="the principal id")],
    key: Annotated[UUID, typer.Option(help="the key id")],
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke a key: its token is refused from now on."""
    with _ledger(database_url) as ledger:
        try:
            ledger.revoke_key(ledger.system_context(), principal, key)
        except DomainError as exc:
            raise _fail(exc.detail) from None
    console.print(f"revoked key {key} of principal {principal}")


def main() -> None:
    app()
