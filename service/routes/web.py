"""The web UI: the page at `/`, its scripts and styles under `/static`, and its vocabulary."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from eventsourcing.domain import Aggregate
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from domain.actors import Actor
from domain.claims import Claim
from domain.sources import Source
from domain.values import (
    ClaimKind,
    ClaimStatus,
    DisputeOutcome,
    LinkRelation,
    SourceKind,
    Stance,
    WorkflowState,
)
from domain.vocabulary import RELATIONS, Verdict, quad_class
from infra.webhooks.types import deliverable
from service.errors import HTTPProblem
from service.responses import JSON

router = APIRouter(include_in_schema=False)

# Everything the page loads comes from this origin; no inline script or style at all.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)*\.[a-z]{2,4}$")


@cache
def _page() -> str:
    return files("service.web").joinpath("index.html").read_text(encoding="utf-8")


def _walk(folder: Traversable, prefix: str = "") -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for entry in folder.iterdir():
        if entry.is_dir():
            found |= _walk(entry, f"{prefix}{entry.name}/")
        elif any(entry.name.endswith(suffix) for suffix in MEDIA_TYPES):
            found[prefix + entry.name] = entry.read_bytes()
    return found


@cache
def _assets() -> dict[str, bytes]:
    """The static files, read once: only names found here are ever served."""
    return _walk(files("service.web").joinpath("static"))


@router.get("/")
def index() -> HTMLResponse:
    return HTMLResponse(_page(), headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"})


@router.get("/static/{name:path}")
def static_file(name: str, request: Request) -> Response:
    body = _assets().get(name) if _NAME.match(name) else None
    if body is None:
        raise HTTPProblem(404, f"no static file '{name}'", "not-found")
    etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
    headers = {**SECURITY_HEADERS, "ETag": etag, "Cache-Control": "no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    media_type = MEDIA_TYPES["." + name.rpartition(".")[2]]
    return Response(body, media_type=media_type, headers=headers)


def _event_types() -> list[str]:
    """The dotted names timeline entries carry (`claim.dispute_resolved`)."""
    names = []
    for aggregate in (Source, Actor, Claim):
        for name, value in vars(aggregate).items():
            if (
                isinstance(value, type)
                and issubclass(value, Aggregate.Event)
                and name not in {"Event", "Created"}
            ):
                snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
                names.append(f"{aggregate.__name__.lower()}.{snake}")
    return names


@cache
def _vocabulary() -> dict[str, object]:
    return {
        "relations": [
            {"slug": slug, "cameo": code, "label": label, "quad_class": quad_class(code)}
            for slug, (code, label) in RELATIONS.items()
        ],
        "verdicts": [v.value for v in Verdict],
        "statuses": [s.value for s in ClaimStatus],
        "kinds": [k.value for k in ClaimKind],
        "stances": [s.value for s in Stance],
        "outcomes": [o.value for o in DisputeOutcome],
        "link_relations": [r.value for r in LinkRelation],
        "source_kinds": [k.value for k in SourceKind],
        "workflow_states": [w.value for w in WorkflowState],
        "event_types": _event_types(),
        "webhook_event_types": list(deliverable()),  # what POST /webhooks accepts (and X.*, *)
    }


@router.get("/ui/vocabulary")
def vocabulary() -> JSON:
    """The closed lists the UI's selects offer (relations, verdicts, event types, ...)."""
    return JSON(_vocabulary(), headers={"Cache-Control": "max-age=300"})
