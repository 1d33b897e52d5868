"""Operations: liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter

from service.deps import LedgerDep
from service.responses import JSON

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(ledger: LedgerDep) -> JSON:
    """The database answers; `position` is the head of the log."""
    head = ledger.recorder.max_notification_id() or 0
    return JSON({"status": "ready", "position": head})
