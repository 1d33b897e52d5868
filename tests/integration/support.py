"""Helpers shared by the integration tests (plain functions, not fixtures)."""

from __future__ import annotations

from uuid import UUID

from infra.ledger.application import Ledger


def head(ledger: Ledger) -> int | None:
    """The position of the newest event in the whole log."""
    return ledger.recorder.max_notification_id()


def log_and_version(ledger: Ledger, claim_id: UUID) -> tuple[int | None, int]:
    """What a rejected command must leave as it was: the log's head and the claim's version."""
    return head(ledger), ledger.claims.get(claim_id).version
