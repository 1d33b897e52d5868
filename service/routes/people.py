"""People: each principal's public face (display name, organization) for readers and the UI.

Served from the people view, which holds nothing but these fields: no role, no key, no hash.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel

from infra.projections.read_model import ReadModel
from service.deps import Reader, fresh
from service.errors import HTTPProblem
from service.pagination import CursorParam, Limit, decode, page
from service.responses import JSON

router = APIRouter(prefix="/people", tags=["people"], dependencies=[Reader])
PeopleView = Annotated[ReadModel, fresh("people")]


class PersonOut(BaseModel):
    id: UUID
    display_name: str
    organization: Any = None


class PeopleOut(BaseModel):
    items: list[PersonOut]
    next_cursor: str | None


@router.get("", response_model=PeopleOut)
def list_people(
    request: Request, views: PeopleView, limit: Limit = 50, cursor: CursorParam = None
) -> JSON:
    """Every principal's display name (and organization), in the order they were created."""
    items, next_key = views.people(decode(cursor, int) or 0, limit)
    return page(request, items, next_key)


@router.get("/{principal_id}", response_model=PersonOut)
def get_person(principal_id: UUID, views: PeopleView) -> JSON:
    found = views.people_by_id([str(principal_id)]).get(str(principal_id))
    if found is None:
        raise HTTPProblem(404, f"no principal {principal_id}", "not-found")
    return JSON(found)


def display_names(views: ReadModel, items: list[dict[str, Any]], field: str) -> None:
    """Put `<field>_name` (the display name of the principal id in `field`) beside it."""
    ids = sorted({item[field] for item in items if item.get(field)})
    people = views.people_by_id(ids) if ids else {}
    for item in items:
        person = people.get(item.get(field) or "")
        item[f"{field}_name"] = person["display_name"] if person else None
