"""What a verification found: counts, and the positions where the log does not check out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[int, int], Any]  # (events done, events expected)


@dataclass(frozen=True)
class Finding:
    """A position that does not check out; or, when a signed root or a stored subtree hash is
    wrong, the first of a range of positions (to `until`) one of which was changed."""

    position: int
    reason: str
    until: int | None = None


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
        """The earliest finding that no narrower finding inside its range explains."""
        unexplained = [f for f in self.findings if not any(_narrows(g, f) for g in self.findings)]
        return min(unexplained, key=lambda f: f.position, default=None)

    def add(self, position: int, reason: str, until: int | None = None) -> None:
        self.findings.append(Finding(position, reason, until))

    def summary(self) -> str:
        text = (
            f"{self.events} events, {self.leaves} leaves checked, {self.checkpoints}"
            f" checkpoints (roots and signatures)"
        )
        if self.proofs:
            text += f", {self.proofs} proofs"
        if self.pending:
            text += f"; {self.pending} events not yet in the audit log"
        return text


def _end(finding: Finding) -> int:
    return finding.position if finding.until is None else finding.until


def _narrows(inner: Finding, outer: Finding) -> bool:
    return (
        outer.position <= inner.position
        and _end(inner) <= _end(outer)
        and _end(inner) - inner.position < _end(outer) - outer.position
    )
