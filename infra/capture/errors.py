"""Why a capture failed. Each is a 422 problem with its own type; nothing is written."""

from __future__ import annotations

from domain.errors import DomainError


class CaptureError(DomainError):
    """Raised when a page cannot be captured."""

    code = "capture-failed"


class CaptureTimeoutError(CaptureError):
    """Raised when the page does not answer in time."""

    code = "capture-timeout"


class TooManyRedirectsError(CaptureError):
    """Raised when the page redirects more often than allowed (or in a loop)."""

    code = "capture-too-many-redirects"


class UnsupportedContentError(CaptureError):
    """Raised when the page is neither HTML nor plain text."""

    code = "capture-unsupported-content"


class ContentTooLargeError(CaptureError):
    """Raised when the page is larger than the limit."""

    code = "capture-too-large"


class NoTextError(CaptureError):
    """Raised when no main text can be extracted from the page."""

    code = "capture-no-text"
