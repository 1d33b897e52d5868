"""Fetching a page: bounded in time, size and redirects, HTML or plain text only."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from infra.capture.errors import (
    CaptureError,
    CaptureTimeoutError,
    ContentTooLargeError,
    TooManyRedirectsError,
    UnsupportedContentError,
)

ACCEPTED = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 5 * 1024 * 1024
    timeout: float = 10.0
    max_redirects: int = 5


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str  # the media type, without parameters
    raw: bytes


def media_type(header: str | None) -> str:
    return (header or "").split(";")[0].strip().lower()


def check_type(content_type: str) -> None:
    if content_type not in ACCEPTED:
        raise UnsupportedContentError(
            f"'{content_type or 'no content type'}' is not HTML or plain text",
            content_type=content_type,
        )


def fetch(url: str, limits: Limits) -> Fetched:
    """The page's raw bytes; a CaptureError for a timeout, a redirect loop, another type or a
    page over the size limit (read no further than the limit)."""
    headers = {"User-Agent": "claimtrail-capture/0.1", "Accept": ", ".join(ACCEPTED)}
    try:
        with (
            httpx.Client(
                timeout=limits.timeout,
                follow_redirects=True,
                max_redirects=limits.max_redirects,
                headers=headers,
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise CaptureError(
                    f"the page answered {response.status_code}",
                    upstream_status=response.status_code,
                )
            content_type = media_type(response.headers.get("content-type"))
            check_type(content_type)
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limits.max_bytes:
                raise _too_large(limits)
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limits.max_bytes:
                    raise _too_large(limits)
                chunks.append(chunk)
            return Fetched(str(response.url), content_type, b"".join(chunks))
    except httpx.TooManyRedirects:
        raise TooManyRedirectsError(
            f"the page redirects more than {limits.max_redirects} times"
        ) from None
    except httpx.TimeoutException:
        raise CaptureTimeoutError(f"the page did not answer within {limits.timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise CaptureError(f"the page could not be fetched: {exc}") from None


def _too_large(limits: Limits) -> ContentTooLargeError:
    return ContentTooLargeError(
        f"the page is larger than {limits.max_bytes} bytes", max_bytes=limits.max_bytes
    )
