"""Named domain errors. Each broken rule has its own class so the service can map it precisely."""

from __future__ import annotations


class DomainError(Exception):
    """Raised when a command breaks a rule of the domain."""

    code = "rule-violated"

    def __init__(self, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class InvalidValueError(DomainError, ValueError):
    """Raised when a value object is given something it cannot represent."""

    code = "invalid-value"


class NotFoundError(DomainError):
    """Raised when a referenced aggregate does not exist."""

    code = "not-found"


class ConflictError(DomainError):
    """Raised when a command conflicts with the current state (a 409)."""

    code = "conflict"


class ClaimRetractedError(ConflictError):
    """Raised when a command other than a link targets a retracted claim."""

    code = "claim-retracted"


class DisputeNotFoundError(NotFoundError):
    """Raised when a dispute id is not one of the claim's disputes."""

    code = "dispute-not-found"


class DisputeAlreadyResolvedError(ConflictError):
    """Raised when a dispute that is already resolved is resolved again."""

    code = "dispute-already-resolved"


class NothingToCorrectError(ConflictError):
    """Raised when a correction would not change anything."""

    code = "nothing-to-correct"


class InvalidLinkError(ConflictError):
    """Raised when a link is not allowed (to itself, or already present)."""

    code = "invalid-link"


class ReviewNotFoundError(NotFoundError):
    """Raised when a review id is not one of the claim's reviews."""

    code = "review-not-found"


class ReviewAlreadyPublishedError(ConflictError):
    """Raised when a review that is published is published again."""

    code = "review-already-published"


class ReviewNotPublishedError(ConflictError):
    """Raised when a review that is not published (a draft, or unpublished) is unpublished."""

    code = "review-not-published"


class AlreadyAssignedError(ConflictError):
    """Raised when a claim is assigned to the principal it is already assigned to."""

    code = "already-assigned"


class NotAssignedError(ConflictError):
    """Raised when a claim nobody is assigned to is unassigned or marked in progress."""

    code = "not-assigned"


class AlreadyInProgressError(ConflictError):
    """Raised when a claim already in progress is marked in progress again."""

    code = "already-in-progress"


class AssigneeCannotReviewError(DomainError):
    """Raised when a claim is assigned to a principal whose role does not include reviewer."""

    code = "assignee-cannot-review"


class DuplicateError(ConflictError):
    """Raised when something unique (an actor id, an alias, a url) is already taken."""

    code = "duplicate"


class NotPermittedError(DomainError):
    """Raised when the acting principal may not do this to this aggregate."""

    code = "forbidden"


class KeyNotFoundError(NotFoundError):
    """Raised when an API key id is not one of the principal's keys."""

    code = "key-not-found"


class QuoteNotFoundError(DomainError):
    """Raised when a quote does not occur in the source text."""

    code = "quote-not-found"


class QuoteAmbiguousError(DomainError):
    """Raised when a quote occurs more than once and prefix/suffix do not tell which."""

    code = "quote-ambiguous"


class UnknownActorError(DomainError):
    """Raised when a claim names an actor the ledger does not know."""

    code = "unknown-actor"


class UnknownRelationError(InvalidValueError):
    """Raised when a relation is neither a vocabulary slug nor a known CAMEO code."""

    code = "unknown-relation"
