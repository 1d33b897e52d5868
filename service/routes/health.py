"""Operations: liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter

from service.deps import ReadModelDep
from service.responses import JSON

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up (async: no thread-pool hop for an answer that does no I/O)."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(read_model: ReadModelDep) -> JSON:
    """The database answers; `position` is the head of the log, `view_lag` how many events
    the slowest view still has to process. A view stopped at an event it cannot apply shows
    `stuck` (the event's position, the error, attempts so far, when it is tried again) and the
    status is `degraded`: the other views go on."""
    head, views = read_model.head(), read_model.projector.positions()
    stuck = read_model.projector.stuck()
    return JSON(
        {
            "status": "degraded" if stuck else "ready",
            "position": head,
            "views": {
                name: {
                    "position": p,
                    "lag": max(0, head - p),
                    "stuck": stuck[name].as_json() if name in stuck else None,
                }
                for name, p in views.items()
            },
            "view_lag": max(0, head - min(views.values())),
        }
    )
