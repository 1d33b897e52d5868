"""The web UI, served at `/`."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                               "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


@cache
def _page() -> str:
    return files("service.web").joinpath("index.html").read_text(encoding="utf-8")


@router.get("/")
def index() -> HTMLResponse:
    return HTMLResponse(_page(), headers=SECURITY_HEADERS)
