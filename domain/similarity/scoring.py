"""How alike two claims are, and which claims of an index are worth scoring.

The score is a weighted Jaccard index of the two feature sets: the weight of the features
both have over the weight of those either has (1.0: the same features). Actors, the claim's
structure and numbers weigh 2, relations, negation and words 1. A fixed weight per kind of
feature (no corpus statistics) makes a pair's score the same whenever and wherever it is
computed.

Candidates come from an index of feature -> claims. A claim B scoring at least t with A
shares features weighing at least t * weight(A), so a claim is scored only if it may share
that much of A: the features it is listed under, plus the common features (held by so many
claims that their lists are read in part or not at all), counted as possibly shared.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

WEIGHTS = {"a": 2.0, "t": 2.0, "n": 2.0, "r": 1.0, "x": 1.0, "w": 1.0}
THRESHOLD = 0.7  # Meedan Check suggests matches from 0.70-0.75
UNINDEXED = ("r:",)  # every claim has a relation: its posting lists would find everything


def weight(feature: str) -> float:
    return WEIGHTS.get(feature[:1], 1.0)


def total(features: Iterable[str]) -> float:
    return sum(weight(f) for f in features)


def score(a: frozenset[str], b: frozenset[str], total_a: float | None = None) -> float:
    """`total_a`: total(a), when the caller scores `a` against many claims."""
    shared = total(a & b)
    union = (total(a) if total_a is None else total_a) + total(b) - shared
    return round(shared / union, 3) if union else 0.0


def indexed(features: Iterable[str]) -> list[str]:
    """The features that get posting lists, sorted."""
    return sorted(f for f in features if not f.startswith(UNINDEXED))


@dataclass(frozen=True)
class Similar:
    id: str
    score: float
    seq: int  # the claim's place in the log: equal scores list the earlier claim first


def bounds(
    query: frozenset[str], postings: Mapping[str, Sequence[int]], cut: Collection[str] = ()
) -> dict[int, float]:
    """The most each claim in `postings` can share with `query`: the weight of the features
    it is listed under, plus that of every feature in `cut` (whose list was read only in part,
    or not at all: the claim may be on it)."""
    unknown = sum(weight(f) for f in cut)
    found: dict[int, float] = {}
    for feature, seqs in postings.items():
        w = 0.0 if feature in cut else weight(feature)
        for seq in seqs:
            found[seq] = found.get(seq, unknown) + w
    return found


def worth_scoring(
    query: frozenset[str], found: Mapping[int, float], threshold: float, most: int
) -> list[int]:
    """At most `most` claims that may reach `threshold`, the likeliest first."""
    need = threshold * total(query) - 1e-9
    kept = [(-bound, seq) for seq, bound in found.items() if bound >= need]
    return [seq for _, seq in sorted(kept)[:most]]


def rank(
    query: frozenset[str],
    scored: Iterable[tuple[int, str, frozenset[str]]],
    threshold: float,
    limit: int,
    exclude: str | None = None,
) -> list[Similar]:
    """The claims (seq, id, features) scoring at least `threshold`, best first."""
    mine = total(query)
    found = [
        Similar(claim_id, s, seq)
        for seq, claim_id, theirs in scored
        if claim_id != exclude and (s := score(query, theirs, mine)) >= threshold
    ]
    return sorted(found, key=lambda x: (-x.score, x.seq))[:limit]
