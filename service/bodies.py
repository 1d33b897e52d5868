"""Request bodies parsed once: the raw bytes validated straight into the model
(`model_validate_json`), instead of `json.loads` to Python objects and validating those.

A route takes `request` and calls `await parsed(request, Model)`, and declares the body for the
OpenAPI document with `openapi_extra=json_body(Model)`. Errors are the same 422 problems as
FastAPI's own: `loc` starts with "body", and a body that is not JSON is refused the same way.
"""

from __future__ import annotations

from email.message import Message
from functools import lru_cache
from typing import Any, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
REF = "#/components/schemas/{model}"
MODELS: dict[str, type[BaseModel]] = {}  # every model a route parses this way, for the schema


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """The `openapi_extra` of a route whose JSON body is `model`."""
    MODELS[model.__name__] = model
    schema = {"$ref": REF.format(model=model.__name__)}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def components() -> dict[str, Any]:
    """The schemas of the models above (and of the models they use)."""
    found: dict[str, Any] = {}
    for name, model in MODELS.items():
        schema = model.model_json_schema(ref_template=REF)
        found.update(schema.pop("$defs", {}))
        found[name] = schema
    return found


async def parsed(request: Request, model: type[M]) -> M:
    body = await request.body()  # read once; the command context hashed the same bytes
    if not _is_json(request.headers.get("content-type")):
        raise RequestValidationError(
            [{"type": "json_type", "loc": ("body",), "msg": "the body must be JSON"}]
        )
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from None


@lru_cache(maxsize=64)  # parsing the header with email.message costs ~20 us a request
def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    message = Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )
