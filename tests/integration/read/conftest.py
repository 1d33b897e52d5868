"""Fixtures of the read-side integration tests: the read model beside the test ledger."""

from __future__ import annotations

import pytest

from infra.ledger.application import Ledger
from infra.projections.read_model import ReadModel


@pytest.fixture
def read_model(ledger: Ledger) -> ReadModel:
    """The live views (tables under `rm_`), created but not yet projected."""
    return ReadModel(ledger)
