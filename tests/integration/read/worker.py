"""Running the `claimtrail project` worker as a real process, and writing while it runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from domain.values import Stance
from infra.ledger.application import Ledger
from infra.ledger.claim_inputs import EvidenceInput, Quote
from tests import factories

ROOT = Path(__file__).parents[3]
WORKER = [sys.executable, "-c", "from service.cli import main; main()", "project"]


@contextmanager
def running_worker(
    database_url: str, log: Path, *args: str, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """`claimtrail project` on the database (`args`: its options; `env`: added to this
    environment); killed on the way out if still running."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            [*WORKER, "--database-url", database_url, *args],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    """Poll `condition` until it holds; fail after `timeout` seconds (a bound, not a claim)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what} after {timeout} s")
        time.sleep(0.005)


class Writer:
    """Claims with evidence between two fixed actors, two events per `write`."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger, self.ctx = ledger, factories.context()
        self.subject = factories.actor(ledger, self.ctx).slug
        self.object = factories.actor(ledger, self.ctx).slug
        self.quote = Quote(factories.source(ledger, self.ctx).id, factories.QUOTE)
        self.count = 0

    def write(self, times: int = 1) -> None:
        for _ in range(times):
            self.count += 1
            claim = factories.claim(
                self.ledger,
                self.ctx,
                subject=self.subject,
                object=self.object,
                appearance=self.quote,
                statement=f"Claim number {self.count}",
            )
            self.ledger.claims.add_evidence(
                self.ctx, claim.id, EvidenceInput(Stance.SUPPORTS, f"note {self.count}")
            )
