"""`claimtrail import claimreview`: ClaimReview JSON-LD files or folders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from infra.claimreview.importer import ClaimReviewImport
from service.cli.common import DatabaseUrl, console, ledger_at


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
    with ledger_at(database_url) as ledger, Progress(*columns, console=console) as progress:
        ctx = ledger.principals.system_context("import")
        task = progress.add_task("", total=len(files))
        for path in files:
            progress.update(task, description=path.name)
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError, RecursionError) as exc:
                # RecursionError: nested deeper than the parser goes (items may nest 32 levels)
                progress.console.print(f"[red]{path.name}[/red]: not JSON ({exc})")
                totals["error"] += 1
                progress.advance(task)
                continue
            for result in ClaimReviewImport(ledger).import_document(ctx, document):
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
