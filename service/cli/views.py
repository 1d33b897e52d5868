"""Rebuilding the views from the log: `claimtrail replay`."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from infra.projections.projector import Projector
from infra.projections.read_model import ReadModel, all_views
from infra.projections.rebuild import digest, rebuild
from infra.projections.rebuild import swap as swap_views
from service.cli.common import DatabaseUrl, console, fail, ledger_at, report_stops
from service.settings import Settings


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
        raise fail("--swap puts current views in place; it cannot be combined with --as-of")
    url = database_url or Settings().database_url
    with ledger_at(url) as ledger:
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
        stopped = Projector(ledger, views, rebuilt).stuck()
        report_stops(stopped)
        table = Table("view", "live", "rebuilt", "equal")
        different = 0
        for view in views:
            live, fresh = digest(read_model.store, view), digest(rebuilt, view)
            different += live != fresh
            table.add_row(
                view.name, live[:16], fresh[:16], "[green]yes" if live == fresh else "[red]NO"
            )
        console.print(table)
        if stopped:
            raise fail(f"{len(stopped)} view(s) stopped at an event they cannot apply")
        if swap:
            swap_views(read_model.store, rebuilt, views)
            console.print("the rebuilt views are now live")
        elif different:
            raise fail(f"{different} view(s) differ from a rebuild; run with --swap to repair")
