"""Operations: liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter

from service.deps import ReadModelDep
from service.responses import JSON

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(read_model: ReadModelDep) -> JSON:
    """The database answers; `position` is the head of the log, `view_lag` how many events
    the slowest view still has to process."""
    head, views = read_model.head(), read_model.projector.positions()
    return JSON(
        {
            "status": "ready",
            "position": head,
            "views": {name: {"position": p, "lag": max(0, head - p)} for name, p in views.items()},
            "view_lag": max(0, head - min(views.values())),
        }
    )
