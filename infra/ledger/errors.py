"""Errors raised at the application boundary (the domain's own errors live in domain.errors)."""

from __future__ import annotations

from domain.errors import ConflictError, DomainError, NotFoundError


class PreconditionFailedError(DomainError):
    """Raised when If-Match names a version that is no longer current (a 412)."""

    code = "precondition-failed"


class IdempotencyKeyReusedError(DomainError):
    """Raised when an Idempotency-Key comes back with a different request (a 422)."""

    code = "idempotency-key-reused"


class ConcurrencyError(ConflictError):
    """Raised when a command keeps losing the race for the aggregate's next version."""

    code = "concurrent-modification"


class AuthenticationError(DomainError):
    """Raised when a token is missing, malformed, unknown or revoked (a 401)."""

    code = "unauthorized"


class ReferenceNotFoundError(DomainError):
    """Raised when a request body refers to a source, claim or actor that does not exist (a 422)."""

    code = "unknown-reference"


class AggregateMissingError(NotFoundError):
    """Raised when the aggregate a path names does not exist (a 404)."""
