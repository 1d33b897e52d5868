"""A short history, projected into the audit view with two signed checkpoints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from infra.integrity import recompute
from infra.integrity.keys import load_signer
from infra.integrity.report import Report
from infra.integrity.verify import verify_ledger
from infra.ledger.application import Ledger
from infra.projections.read_model import ReadModel
from tests.factories import claim, context
from tests.integration.audit.tamper import Tamper


@dataclass
class History:
    ledger: Ledger
    read_model: ReadModel
    tamper: Tamper
    claims: list[Any]

    def recorded_at(self, index: int) -> int:
        """The position of the `index`-th claim's Recorded event."""
        return self.ledger.position_of(self.claims[index].id, 1)

    def head(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def verify(self) -> Report:
        return verify_ledger(self.ledger, load_signer(create=False).public_key)


@pytest.fixture(params=["in-process", "worker-processes"])
def recompute_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Verify small logs in this process, and (forced here) in worker processes that read the
    database themselves, as it does for long logs: the same findings either way."""
    if request.param == "worker-processes":
        monkeypatch.setattr(recompute, "POOLED_FROM", 0)
        monkeypatch.setattr(recompute, "PAGE", 8)  # several ranges, several in flight
    return str(request.param)


@pytest.fixture
def history(ledger: Ledger, database_url: str, recompute_mode: str) -> History:
    read_model = ReadModel(ledger)
    claims = [claim(ledger) for _ in range(3)]
    ledger.claims.dispute(context(), claims[0].id, reason="the quote is out of context")
    read_model.projector.catch_up()  # the first checkpoint
    claims += [claim(ledger) for _ in range(2)]
    read_model.projector.catch_up()  # the second
    return History(ledger, read_model, Tamper(ledger, database_url), claims)
