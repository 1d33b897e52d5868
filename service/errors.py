"""The one place where exceptions become application/problem+json (RFC 9457) responses."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import psycopg
import psycopg_pool
from eventsourcing import persistence
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import (
    ConflictError,
    DomainError,
    InvalidValueError,
    NotFoundError,
    NotPermittedError,
    QuoteAmbiguousError,
    QuoteNotFoundError,
    UnknownActorError,
)
from infra.ledger.errors import (
    AuthenticationError,
    IdempotencyKeyReusedError,
    PreconditionFailedError,
    ReferenceNotFoundError,
)
from infra.projections.read_model import PositionBeyondHeadError, ViewsBehindError
from service.responses import JSON

log = logging.getLogger("claimtrail")
PROBLEM = "application/problem+json"

# Most specific first.
STATUS: list[tuple[type[DomainError], int, str]] = [
    (AuthenticationError, 401, "Unauthorized"),
    (NotPermittedError, 403, "Forbidden"),
    (PreconditionFailedError, 412, "Precondition failed"),
    (IdempotencyKeyReusedError, 422, "Idempotency-Key reused"),
    (QuoteNotFoundError, 422, "Quote not found"),
    (QuoteAmbiguousError, 422, "Quote ambiguous"),
    (UnknownActorError, 422, "Unknown actor"),
    (ReferenceNotFoundError, 422, "Unknown reference"),
    (InvalidValueError, 422, "Invalid value"),
    (NotFoundError, 404, "Not found"),
    (ConflictError, 409, "Conflict"),
    (DomainError, 422, "Rule violated"),
]
HTTP_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    428: "Precondition required",
    503: "Service unavailable",
}


class HTTPProblem(Exception):
    """Raised by service code for a plain HTTP-level problem (bad header, oversize body)."""

    def __init__(self, status: int, detail: str, code: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.detail, self.code, self.extra = status, detail, code, extra


def problem(
    status: int,
    title: str,
    detail: str,
    code: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSON:
    body = {
        "type": f"/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSON(body, status_code=status, media_type=PROBLEM, headers=headers)


def _domain(request: Request, exc: Exception) -> JSON:
    assert isinstance(exc, DomainError)
    status, title = next((s, t) for cls, s, t in STATUS if isinstance(exc, cls))
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return problem(status, title, exc.detail, exc.code, headers, **exc.extra)


def _http_problem(request: Request, exc: Exception) -> JSON:
    assert isinstance(exc, HTTPProblem)
    return problem(
        exc.status, HTTP_TITLES.get(exc.status, "Error"), exc.detail, exc.code, **exc.extra
    )


def _validation(request: Request, exc: Exception) -> JSON:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")}
        for e in exc.errors()
    ]
    return problem(
        422, "Validation failed", "the request is not valid", "validation-error", errors=errors
    )


def _http(request: Request, exc: Exception) -> JSON:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTP_TITLES.get(exc.status_code, "")
    return problem(
        exc.status_code,
        HTTP_TITLES.get(exc.status_code, "Error"),
        detail,
        f"http-{exc.status_code}",
        dict(exc.headers or {}),
    )


def _unavailable(request: Request, exc: Exception) -> JSON:
    log.warning("database unavailable: %s", exc)
    return problem(
        503,
        "Service unavailable",
        "the database is unavailable; retry shortly",
        "database-unavailable",
        {"Retry-After": "2"},
    )


def _behind(request: Request, exc: Exception) -> JSON:
    assert isinstance(exc, ViewsBehindError)
    return problem(
        503,
        "Service unavailable",
        str(exc),
        "views-behind",
        {"Retry-After": "1"},
        position=exc.position,
        reached=exc.reached,
        behind=exc.behind,
        stopped=exc.stopped,
    )


def _beyond_head(request: Request, exc: Exception) -> JSON:
    assert isinstance(exc, PositionBeyondHeadError)
    return problem(
        422,
        "Position beyond the log",
        str(exc),
        "position-beyond-head",
        position=exc.position,
        head=exc.head,
    )


def _unexpected(request: Request, exc: Exception) -> JSON:
    log.exception("unexpected error", exc_info=exc)
    return problem(500, "Internal server error", "an unexpected error occurred", "internal")


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(HTTPProblem, _http_problem)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    # TimeoutError: a command waited too long for the writer (group commit). The recorders
    # re-raise driver errors as eventsourcing's own OperationalError/InterfaceError.
    for unavailable in (
        psycopg.OperationalError,
        psycopg_pool.PoolTimeout,
        sqlite3.OperationalError,
        TimeoutError,
        persistence.OperationalError,
        persistence.InterfaceError,
    ):
        app.add_exception_handler(unavailable, _unavailable)
    app.add_exception_handler(ViewsBehindError, _behind)
    app.add_exception_handler(PositionBeyondHeadError, _beyond_head)
    app.add_exception_handler(Exception, _unexpected)
