"""Claims similar to a given one, read from the similar-claims view.

One statement counts, for each of the claim's indexed features, its claims up to CAP; a
second reads the claims of the rare ones (all of them), and of the common ones (the newest
CAP) only when the common features alone could reach the threshold. The claims that may reach
it (domain.similarity.scoring) are then read with their features and scored. The view may
lag the log: a claim recorded a moment ago may not be found yet.
"""

from __future__ import annotations

from domain.similarity import ClaimShape, Similar, features, rank
from domain.similarity.scoring import bounds, indexed, total, worth_scoring
from infra.projections.similar_view import Names
from infra.projections.store import Cursor

CAP = 500  # postings read per feature: a feature held by more claims is "common"
MOST = 100  # claims read and scored at most


class SimilarQuery:
    """Answers similar-claim questions; keeps the actor names it last read."""

    def __init__(self) -> None:
        self.names = Names()

    def find(
        self,
        cursor: Cursor,
        claim: ClaimShape,
        *,
        exclude: str | None,
        threshold: float,
        limit: int,
    ) -> list[Similar]:
        self.names.refresh(cursor)
        query = features(claim, self.names.matcher)
        keys = indexed(query)
        counts = _counts(cursor, keys)
        common = [k for k in keys if counts.get(k, 0) >= CAP]
        need = threshold * total(query)
        # A claim listed only under common features can reach the threshold only if those
        # alone weigh enough; otherwise only the rare features' (complete) lists are read.
        wanted = keys if total(common) >= need else [k for k in keys if k not in common]
        postings = _postings(cursor, [k for k in wanted if counts.get(k, 0)])
        seqs = worth_scoring(query, bounds(query, postings, common), threshold, MOST)
        rows = cursor.select_in(
            "SELECT seq, id, features FROM {rm_similar_claims} WHERE seq IN (?...)", seqs
        )
        scored = [(int(r["seq"]), r["id"], frozenset(r["features"].split())) for r in rows]
        return rank(query, scored, threshold, limit, exclude)


def _counts(cursor: Cursor, keys: list[str]) -> dict[str, int]:
    """How many claims hold each feature, counted up to CAP (an index range each)."""
    if not keys:
        return {}
    arm = (
        "SELECT {i} AS k, COUNT(*) AS n FROM (SELECT 1 FROM {{rm_similar_postings}}"
        " WHERE feature = ? LIMIT ?) AS p{i}"
    )
    union = " UNION ALL ".join(arm.format(i=i) for i in range(len(keys)))
    params = [value for key in keys for value in (key, CAP)]
    return {keys[int(r["k"])]: int(r["n"]) for r in cursor.execute(union, params).fetchall()}


def _postings(cursor: Cursor, keys: list[str]) -> dict[str, list[int]]:
    """Up to CAP claims (seqs, newest first) per feature, in one statement."""
    if not keys:
        return {}
    arm = (
        "SELECT {i} AS k, seq FROM (SELECT seq FROM {{rm_similar_postings}} WHERE feature = ?"
        " ORDER BY seq DESC LIMIT ?) AS p{i}"
    )
    union = " UNION ALL ".join(arm.format(i=i) for i in range(len(keys)))
    params = [value for key in keys for value in (key, CAP)]
    found: dict[str, list[int]] = {key: [] for key in keys}
    for row in cursor.execute(union, params).fetchall():
        found[keys[int(row["k"])]].append(int(row["seq"]))
    return found
