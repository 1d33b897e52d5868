"""What a verification found: counts, and the positions where the log does not check out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[int, int], Any]  # (events done, events expected)


@dataclass(frozen=True)
class Finding:
    position: int
    reason: str


@dataclass
class Report:
    events: int = 0
    leaves: int = 0
    pending: int = 0  # events the audit view has not processed yet (not an error)
    checkpoints: int = 0
    proofs: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first_bad(self) -> Finding | None:
        return min(self.findings, key=lambda f: f.position, default=None)

    def add(self, position: int, reason: str) -> None:
        self.findings.append(Finding(position, reason))

    def summary(self) -> str:
        text = (f"{self.events} events, {self.leaves} leaves checked, {self.checkpoints}"
                f" checkpoints (roots and signatures)")
        if self.proofs:
            text += f", {self.proofs} proofs"
        if self.pending:
            text += f"; {self.pending} events not yet in the audit log"
        return text
