"""`claimtrail verify` (the stored log, or a server's public endpoints) and `claimtrail export`."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import httpx
import orjson
import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from infra.claimreview.export import export_claim_reviews
from infra.integrity.audit import AuditLog
from infra.integrity.keys import load_public_key, load_signer
from infra.integrity.remote import RemoteError, verify_server
from infra.integrity.report import Report
from infra.integrity.rotation import RotationError, rotate_key
from infra.integrity.signing import Checkpoint
from infra.integrity.verify import verify_ledger
from infra.ledger.application import open_ledger
from service.cli.common import DatabaseUrl, console, err, fail
from service.settings import Settings

audit = typer.Typer()


class Format(StrEnum):
    jsonl = "jsonl"
    claimreview = "claimreview"


# Where exported ClaimReviews point when a review has no url of its own; a deployment's
# public address (CLAIMTRAIL_PUBLIC_URL).
CLAIM_BASE_URL = os.environ.get("CLAIMTRAIL_PUBLIC_URL", "http://127.0.0.1:8000")


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    columns = (
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:,.0f} events/s"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err) as progress:
        task = progress.add_task("", total=None, rate=0.0)
        began = time.perf_counter()

        def advance(done: int, total: int) -> None:
            rate = done / max(time.perf_counter() - began, 1e-9)
            progress.update(task, completed=done, total=max(total, done), rate=rate)

        yield advance


def _public_key(path: Path | None, settings: Settings) -> Ed25519PublicKey:
    try:
        if path is not None:
            return load_public_key(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise fail(f"--public-key {path}: {exc}") from None
    try:
        return load_signer(settings.signing_key_file, create=False).public_key
    except (OSError, ValueError) as exc:
        raise fail(
            f"no public key to check signatures with ({exc}); pass --public-key FILE"
        ) from None


def _previous(path: Path | None) -> Checkpoint | None:
    try:
        return None if path is None else Checkpoint.from_dict(json.loads(path.read_text()))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise fail(f"--previous must be a checkpoint saved as JSON ({exc})") from None


def _conclude(report: Report) -> None:
    first = report.first_bad
    if first is None:
        console.print(f"[green]verified:[/green] {report.summary()}", soft_wrap=True)
        return
    console.print(
        f"[red]FAILED:[/red] {report.summary()}; {len(report.findings)} problem(s)", soft_wrap=True
    )
    where = f"{first.position}" + (f" (or up to {first.until})" if first.until else "")
    console.print(f"first bad position: {where}: {first.reason}", soft_wrap=True)
    raise typer.Exit(code=1)


@audit.command()
def verify(
    database_url: DatabaseUrl = None,
    url: Annotated[
        str | None,
        typer.Option(
            help="check a running server (e.g. http://127.0.0.1:8000) through its public endpoints"
        ),
    ] = None,
    public_key: Annotated[
        Path | None,
        typer.Option(
            help="the signing key you hold: the JSON of GET /audit/public-key, a PEM file (Accept:"
            " application/x-pem-file) or the raw key in base64; verify follows the log's key"
            " rotations from it. Locally the default is the signing key file's key"
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(help="with --url: a checkpoint saved earlier (JSON); the log must extend it"),
    ] = None,
) -> None:
    """Recompute every leaf and root, check signatures; exit 1 naming the first bad position."""
    settings = Settings()
    if url is not None and public_key is None:
        raise fail("--url needs --public-key: trust the key you hold, not the server's")
    key = _public_key(public_key, settings)
    if url is not None:
        try:
            with httpx.Client(base_url=url, timeout=30) as client, _progress("verifying") as step:
                report = verify_server(client, key, _previous(previous), progress=step)
        except (RemoteError, httpx.HTTPError, KeyError, ValueError) as exc:
            raise fail(f"{url}: {exc}") from None
    else:
        ledger = open_ledger(database_url or settings.database_url)
        try:
            with _progress("verifying") as step:
                report = verify_ledger(ledger, key, progress=step)
        finally:
            ledger.close()
    _conclude(report)


@audit.command("rotate-key")
def rotate_key_command(database_url: DatabaseUrl = None) -> None:
    """Hand checkpoint signing over to a new key: an event in the log, signed with the current
    key (CLAIMTRAIL_SIGNING_KEY_FILE), introduces it; the key file then holds the new key and
    `<key file>.<old key_id>` the old one. Restart nothing: projectors pick the new key up."""
    settings = Settings()
    ledger = open_ledger(database_url or settings.database_url)
    try:
        old, new = rotate_key(ledger, settings.signing_key_file)
    except (OSError, ValueError, RotationError) as exc:
        raise fail(str(exc)) from None
    finally:
        ledger.close()
    console.print(f"rotated: checkpoints are signed with key {new} from now on (was {old})")


@audit.command()
def export(
    format_: Annotated[
        Format,
        typer.Option(
            "--format",
            help="jsonl: one event per line; claimreview: a JSON array of schema.org "
            "ClaimReview, one per reviewed claim",
        ),
    ] = Format.jsonl,
    output: Annotated[Path | None, typer.Option(help="file to write (default: stdout)")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Write the audit log (the fields of GET /audit/log items, with leaf hashes), or every
    review as ClaimReview JSON-LD."""
    ledger = open_ledger(database_url or Settings().database_url)
    out: Any = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        count = 0
        if format_ is Format.claimreview:
            reviews = export_claim_reviews(ledger, CLAIM_BASE_URL)
            out.write(orjson.dumps(reviews, option=orjson.OPT_INDENT_2).decode() + "\n")
            count = len(reviews)
        for items in AuditLog.of(ledger).pages() if format_ is Format.jsonl else []:
            out.writelines(orjson.dumps(item).decode() + "\n" for item in items)
            count += len(items)
    finally:
        if output:
            out.close()
        ledger.close()
    if output:
        console.print(
            f"exported {count} {'reviews' if format_ is Format.claimreview else 'events'}"
            f" to {output}"
        )
