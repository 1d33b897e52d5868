"""Fixtures of the integration tests: a second ledger that reads only what storage holds."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from infra.ledger.application import Ledger


@pytest.fixture
def stored(reopen: Callable[[], Ledger]) -> Ledger:
    """Another ledger on the same database: what it loads went through the transcoder."""
    return reopen()
