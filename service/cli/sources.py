"""`claimtrail capture` (a page or a file as a source) and `claimtrail extract` (the candidate
claims of a source, shown or as JSON)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer
from rich.table import Table

from domain.errors import DomainError
from domain.extraction import Candidate, extract
from infra.capture.candidates import actors_from_log, candidate_json
from infra.capture.capture import register
from infra.capture.fetch import Fetched, fetch
from infra.capture.snapshots import Snapshots
from infra.ledger.application import Ledger, open_ledger
from infra.ledger.errors import AggregateMissingError
from service.cli.common import DatabaseUrl, console, fail
from service.settings import Settings

sources = typer.Typer()


def _read(ledger: Ledger, source: str) -> tuple[str, list[str], str | None, str]:
    """(text, authors, language, label) of a source id, a registered url or a text file."""
    try:
        source_id: UUID | None = UUID(source)
    except ValueError:
        source_id = None
    try:
        found = ledger.sources.get(source_id) if source_id else ledger.sources.find(source)
    except AggregateMissingError:
        raise fail(f"no source {source}") from None
    except ValueError:  # not a url either
        found = None
    if found is not None:
        if found.text is None:
            raise fail(f"source {found.id} has no text to read")
        return found.text, found.authors, found.language, f"{found.title} ({found.id})"
    path = Path(source)
    if not path.is_file():
        raise fail(f"{source} is neither a source id, a registered url nor a file")
    return path.read_text(encoding="utf-8"), [], None, str(path)


_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".txt": "text/plain",
}


@sources.command("capture")
def capture_command(
    target: Annotated[str, typer.Argument(help="an http(s) url, or an HTML or text file")],
    url: Annotated[str | None, typer.Option(help="for a file: the url it was published at")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Capture a page (or a saved file) as a source: main text, metadata, raw bytes kept."""
    settings = Settings()
    is_url = target.startswith(("http://", "https://"))
    if not is_url and url is None:
        raise fail("a file needs --url: the address it was published at")
    ledger = open_ledger(database_url or settings.database_url)
    try:
        with console.status(f"capturing {target}"):
            if is_url:
                fetched = fetch(target, settings.capture_limits())
            else:
                path = Path(target)
                if not path.is_file():
                    raise fail(f"{target} is not a file")
                kind = _TYPES.get(
                    path.suffix.lower(), "text/plain" if path.suffix == ".txt" else ""
                )
                fetched = Fetched(str(url), kind, path.read_bytes())
            outcome = register(
                ledger,
                ledger.principals.system_context(),
                fetched.url,
                fetched,
                Snapshots(Path(settings.snapshot_dir)),
            )
    except DomainError as exc:
        raise fail(exc.detail) from None
    finally:
        ledger.close()
    source = outcome.aggregate
    verb = "captured" if outcome.created else "already captured"
    console.print(f"[green]{verb}[/green] {source.id}: {source.title}")
    console.print(
        f"  {source.text_length} characters, language {source.language or '?'}, "
        f"authors {', '.join(source.authors) or '?'}, published {source.published_on or '?'}"
    )
    console.print(f"  snapshot sha256 {source.snapshot_sha256}")


@sources.command("extract")
def extract_command(
    source: Annotated[str, typer.Argument(help="a source id, a registered url, or a text file")],
    author: Annotated[
        list[str] | None, typer.Option(help="the writer (for a file; a source has its own)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON, not a table")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Propose the claims a source's text makes: rule-based, deterministic, each anchored."""
    ledger = open_ledger(database_url or Settings().database_url)
    try:
        text, authors, language, label = _read(ledger, source)
        with console.status("reading the actor registry and the text"):
            found = extract(text, actors_from_log(ledger), author or authors, language)
    finally:
        ledger.close()
    if as_json:
        items = [candidate_json(c) for c in found]
        typer.echo(json.dumps({"items": items}, ensure_ascii=False, indent=2))
        return
    _table(found, label)


def _name(candidate_actor: object) -> str:
    if candidate_actor is None:
        return "-"
    actor_id, known = getattr(candidate_actor, "id", "?"), getattr(candidate_actor, "known", True)
    return actor_id if known else f"{actor_id} [yellow](new)[/yellow]"


def _table(found: list[Candidate], label: str) -> None:
    table = Table(title=f"{len(found)} candidate claims in {label}", show_lines=True)
    for column in ("at", "kind", "claimant", "subject / relation / object", "exact", "score"):
        table.add_column(column, overflow="fold")
    for c in found:
        relation = c.relation.slug if c.relation else "-"
        roles = f"{_name(c.subject)}\n{relation}\n{_name(c.object)}"
        exact = c.exact if len(c.exact) <= 160 else c.exact[:157] + "..."
        table.add_row(
            f"{c.start}-{c.end}",
            c.kind,
            _name(c.claimant),
            roles,
            f"{exact}\n[dim]{', '.join(c.rules)}[/dim]",
            f"{c.score:.2f}",
        )
    console.print(table)
