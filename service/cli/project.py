"""The projection worker: `claimtrail project`, in one process or one per group of views."""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from infra.projections.projector import View
from infra.projections.read_model import ReadModel, all_views, wakeup_for
from infra.projections.rebuild import split_views
from infra.projections.workers import GroupProcesses
from infra.webhooks import dispatcher as webhooks
from infra.webhooks.secrets import load_sealer
from service.cli.common import DatabaseUrl, console, fail, ledger_at, report_stops
from service.settings import Settings

ViewNames = Annotated[
    str | None,
    typer.Option(
        "--views",
        help="comma-separated views this worker keeps (default: every view): "
        + ", ".join(view.name for view in all_views()),
    ),
]
Processes = Annotated[
    int | None,
    typer.Option(
        "--processes",
        min=0,
        help="on PostgreSQL, follow the log with this many processes, each keeping a group of"
        " the views (0: one per core; default: CLAIMTRAIL_PROJECTION_PROCESSES, 1)",
    ),
]


def project(
    database_url: DatabaseUrl = None, views: ViewNames = None, processes: Processes = None
) -> None:
    """Run the projections as a worker (run the API with CLAIMTRAIL_PROJECTIONS=off)."""
    settings = Settings()
    url = database_url or settings.database_url
    chosen = chosen_views(views)
    wanted = settings.projection_processes if processes is None else processes
    with ledger_at(url) as ledger:
        batch = settings.projection_batch or None
        read_model = ReadModel(ledger, chosen, batch_size=batch)
        read_model.projector.backoff = settings.view_backoff()
        groups = split_views(chosen, wanted or os.cpu_count() or 1)
        if not read_model.store.postgres or len(groups) == 1:
            groups = [[view.name for view in chosen]]  # SQLite: one writer, one process
        ledger.webhooks.use(
            load_sealer(settings.webhook_key_file), allow_private=settings.webhook_allow_private
        )
        # Webhooks are delivered beside the views, in their own threads: a slow receiver never
        # holds a view back.
        dispatcher = webhooks.Dispatcher(ledger, read_model.store, settings.delivery_config())
        delivering = webhooks.run_in_thread(dispatcher)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        workers = (
            GroupProcesses(url, groups, batch, read_model.projector.backoff)
            if len(groups) > 1
            else None
        )
        wakeup = wakeup_for(ledger, url)
        try:
            if workers is not None:
                console.print(f"{len(groups)} processes: {'; '.join(map(', '.join, groups))}")
            _catch_up(read_model, workers, stop)
            console.print(f"views at position {read_model.position()}; following the log")
            report_stops(read_model.projector.stuck())
            if workers is None:
                read_model.projector.run_forever(stop, wakeup, interval=wakeup.interval)
            else:
                while not stop.wait(0.5):
                    _check(workers)
        except KeyboardInterrupt:
            pass
        finally:
            if workers is not None:
                workers.stop()
            webhooks.stop_thread(delivering, dispatcher)
            wakeup.close()


def chosen_views(names: str | None) -> list[View]:
    """The views `--views` names, in their usual order; every view without it."""
    views = all_views()
    if names is None:
        return views
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    unknown = sorted(set(wanted) - {view.name for view in views})
    if unknown or not wanted:
        known = ", ".join(view.name for view in views)
        what = f"no such view: {', '.join(unknown)}" if unknown else "no view named"
        raise typer.BadParameter(f"{what} (the views: {known})", param_hint="'--views'")
    return [view for view in views if view.name in wanted]


def _catch_up(read_model: ReadModel, workers: GroupProcesses | None, stop: threading.Event) -> None:
    """Project up to the log's head as it is now, showing progress: here, or by watching the
    group processes' tracking positions (a view stopped at an event counts as done)."""
    head, start = read_model.head(), read_model.position()
    columns = (
        TextColumn("[bold]catching up"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:,.0f} events/s"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("", total=max(head - start, 0), rate=0.0)
        began = time.perf_counter()
        while not stop.is_set():
            if workers is None:
                done = not read_model.projector.run_once()
                reached = read_model.position()
            else:
                _check(workers)
                stuck = read_model.projector.stuck()
                positions = read_model.positions()
                going = [at for name, at in positions.items() if name not in stuck]
                done = min(going, default=head) >= head
                reached = min(positions.values())
            progress.update(
                task,
                completed=min(reached, head) - start,
                rate=(reached - start) / max(time.perf_counter() - began, 1e-9),
            )
            if done:
                return
            if workers is not None:
                stop.wait(0.25)


def _check(workers: GroupProcesses) -> None:
    """Stop every group if one process exited (the worker exits 1; restarted, it resumes)."""
    for names, code in workers.exited():
        raise fail(f"the process keeping {', '.join(names)} exited with code {code}")
