"""The OpenAPI document, made honest about errors: every error an operation can answer is
declared once, here, as an RFC 9457 `Problem` in `application/problem+json`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from pydantic import BaseModel, ConfigDict, Field

from domain.values import Role
from service import bodies
from service.deps import RoleGate
from service.errors import PROBLEM

REF = "#/components/schemas/{model}"


class Issue(BaseModel):
    """One validation error: where (`loc`) and what (`msg`)."""

    loc: list[str | int] = Field(examples=[["body", "statement"]])
    msg: str
    type: str | None = None


class Problem(BaseModel):
    """An error (RFC 9457). Some problems carry more members: a 409 on a source `existing_id`,
    an unknown actor `candidates`, a views-behind 503 `position`, `reached`, `behind` (the
    views the read waited for that are not there yet) and `stopped` (those of them stopped at
    an event they cannot apply: waiting will not help)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["/problems/validation-error"])
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    errors: list[Issue] | None = Field(None, description="validation errors only")


def _header(description: str) -> dict[str, Any]:
    return {"description": description, "required": True, "schema": {"type": "string"}}


HEADERS = {
    401: {"WWW-Authenticate": _header("`Bearer`")},
    503: {"Retry-After": _header("seconds to wait before retrying")},
}


def _role(dependant: Dependant) -> Role | None:
    """The role a RoleGate among the route's dependencies asks for, if any."""
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, RoleGate):
            return dependency.call.role
        role = _role(dependency)
        if role is not None:
            return role
    return None


def _routes(app: FastAPI) -> Iterator[Any]:
    """The app's API routes with their effective path and dependencies (newer FastAPI
    includes routers lazily and resolves them as route contexts)."""
    contexts = getattr(routing, "iter_route_contexts", None)
    for route in contexts(app.routes) if contexts is not None else app.routes:
        if isinstance(getattr(route, "original_route", route), routing.APIRoute):
            yield route


def _errors(route: Any, method: str, operation: dict[str, Any]) -> Iterator[tuple[int, str]]:
    params = operation.get("parameters", [])
    names = {p["name"].lower() for p in params}
    yield (
        400,
        (
            "A malformed request: a URL that is not UTF-8, a body nested too deeply to "
            "parse, a malformed cursor, If-Match or Idempotency-Key."
        ),
    )
    if "authorization" in names:
        yield 401, "A missing (where one is needed), malformed, unknown or revoked token."
    role = _role(route.dependant)
    if role is not None:
        yield 403, f"The token's principal lacks the '{role.value}' role."
    if any(p["in"] == "path" for p in params):
        yield 404, "A resource the request names does not exist."
    if method != "get":
        yield 409, "The command breaks a rule of the resource's current state."
        yield 413, "The request body is larger than CLAIMTRAIL_MAX_BODY_BYTES."
    if "if-match" in names:
        yield 412, "If-Match names another version than the current one; nothing is written."
    invalid = (
        "The request is not valid: `errors` lists each problem with its `loc`. "
        "A NUL character anywhere in the request is refused too."
    )
    if "min_position" in names:
        invalid += (
            " A `min_position` beyond the log's last position is refused at once"
            " (`position-beyond-head`, naming the log's `head`)."
        )
    yield 422, invalid
    yield 500, "An unexpected error (never the answer to bad input)."
    if route.path_format != "/healthz":
        yield 503, "The database is unavailable, or the views did not reach `min_position` in time."


def _without_null(parameter: dict[str, Any]) -> None:
    """An optional parameter is one that may be left out (`required: false`): FastAPI also
    lets its schema accept null, which no URL or header can carry."""
    schema = parameter.get("schema", {})
    kept = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    if len(kept) == 1 and len(schema["anyOf"]) == 2:
        rest = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
        parameter["schema"] = {**kept[0], **rest}
        if schema.get("default") is not None:
            parameter["schema"]["default"] = schema["default"]


def document_problems(schema: dict[str, Any], app: FastAPI) -> None:
    """Declare each operation's error answers as Problems, replacing FastAPI's default 422,
    and leave null out of optional parameters."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(bodies.components())  # bodies a route parses itself (service/bodies.py)
    problem = Problem.model_json_schema(ref_template=REF)
    components.update(problem.pop("$defs", {}))
    components["Problem"] = problem
    content = {PROBLEM: {"schema": {"$ref": REF.format(model="Problem")}}}
    for route in _routes(app):
        if not route.include_in_schema:
            continue
        for method in sorted(route.methods or ()):
            operation = schema["paths"].get(route.path_format, {}).get(method.lower())
            if operation is None:
                continue
            for parameter in operation.get("parameters", []):
                _without_null(parameter)
            responses = operation.setdefault("responses", {})
            # Errors a route declares itself (`responses={404: ...}`) keep their description.
            declared = {
                int(code): answer.get("description", "")
                for code, answer in (route.responses or {}).items()
                if str(code).isdigit() and int(code) >= 400
            }
            for status, description in [
                *_errors(route, method.lower(), operation),
                *declared.items(),
            ]:
                answer: dict[str, Any] = {
                    "description": declared.get(status, description),
                    "content": content,
                }
                if status in HEADERS:
                    answer["headers"] = HEADERS[status]
                responses[str(status)] = answer
    for default in ("HTTPValidationError", "ValidationError"):
        if f'"{REF.format(model=default)}"' not in json.dumps(schema):
            components.pop(default, None)


def install(app: FastAPI) -> None:
    """Make `app.openapi()` (served at /openapi.json) document every error as a Problem."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document_problems(generate(), app)
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
