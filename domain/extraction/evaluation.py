"""How candidates compare with assertions recorded by hand (the gold set).

An assertion is found when one candidate holds at least COVER of its characters and names its
claimant (or, for an assertion whose speaker the text leaves unnamed, names none). A candidate
is real when it holds COVER of some assertion, spurious otherwise. Tightness is how much of a
real candidate's span is assertion (1.0: nothing else).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.extraction.reading import Candidate

COVER = 0.8


@dataclass(frozen=True)
class Assertion:
    key: str
    start: int
    end: int
    claimant: str | None


@dataclass(frozen=True)
class Scores:
    assertions: int
    found: int  # covered, with the right claimant
    covered: int  # covered, whoever the claimant
    candidates: int
    real: int
    spurious: int
    tightness: float
    missed: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.found / self.assertions if self.assertions else 1.0

    @property
    def precision(self) -> float:
        return self.real / self.candidates if self.candidates else 1.0


def _holds(candidate: Candidate, assertion: Assertion) -> bool:
    overlap = min(candidate.end, assertion.end) - max(candidate.start, assertion.start)
    return overlap >= COVER * (assertion.end - assertion.start)


def _claimant(candidate: Candidate) -> str | None:
    return candidate.claimant.id if candidate.claimant else None


def evaluate(candidates: Sequence[Candidate], gold: Sequence[Assertion]) -> Scores:
    found, covered, missed = 0, 0, []
    for assertion in gold:
        holders = [c for c in candidates if _holds(c, assertion)]
        covered += bool(holders)
        right = [c for c in holders if _claimant(c) == assertion.claimant]
        found += bool(right)
        if not right:
            missed.append(assertion.key)
    real = [c for c in candidates if any(_holds(c, a) for a in gold)]
    spans = []
    for candidate in real:
        inside: set[int] = set()
        for a in gold:
            if _holds(candidate, a):
                inside.update(range(max(a.start, candidate.start), min(a.end, candidate.end)))
        spans.append(len(inside) / (candidate.end - candidate.start))
    return Scores(
        assertions=len(gold),
        found=found,
        covered=covered,
        candidates=len(candidates),
        real=len(real),
        spurious=len(candidates) - len(real),
        tightness=round(sum(spans) / len(spans), 3) if spans else 0.0,
        missed=tuple(missed),
    )
