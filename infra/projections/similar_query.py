"""Claims similar to a given one, read from the similar-claims view.

One statement counts, for each of the claim's indexed features, its claims up to CAP (and
reads the names table's fingerprint, to notice names added since they were last read); a
second reads the claims of the rare ones (all of them), and of the common ones (the newest
CAP) only when the common features alone could reach the threshold. The claims that may reach
it (domain.similarity.scoring) are then read with their features and scored. The view may
lag the log: a claim recorded a moment ago may not be found yet. Several questions are answered
with the statements of one (`find_many`, for the lookups of concurrent writes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from domain.similarity import ClaimShape, Similar, features, rank
from domain.similarity.scoring import bounds, indexed, total, worth_scoring
from infra.projections.similar_view import Names
from infra.projections.store import Cursor

CAP = 200  # postings read per feature: a feature held by more claims is "common"
MOST = 50  # claims read and scored at most
T = TypeVar("T")


@dataclass(frozen=True)
class Ask:
    """One similar-claims question: claims scoring at least `threshold` with `claim`, at most
    `limit`, never `exclude`."""

    claim: ClaimShape
    exclude: str | None
    threshold: float
    limit: int


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
        [found] = self.find_many(cursor, [Ask(claim, exclude, threshold, limit)])
        return found

    def find_many(self, cursor: Cursor, asks: list[Ask]) -> list[list[Similar]]:
        """The answers to several questions with the statements of one: each statement reads
        the features (or claims) of all of them at once. A feature's count and postings do not
        depend on the question, so each answer is the one `find` gives alone."""
        queries = [features(ask.claim, self.names.matcher) for ask in asks]
        counts, fingerprint = _counts(cursor, _union(indexed(q) for q in queries))
        if self.names.check(cursor, fingerprint):  # names changed: features may too
            queries = [features(ask.claim, self.names.matcher) for ask in asks]
            counts, _ = _counts(cursor, _union(indexed(q) for q in queries))
        plans = [
            _plan(query, ask.threshold, counts) for query, ask in zip(queries, asks, strict=True)
        ]
        postings = _postings(cursor, _union(read for read, _ in plans))
        seqs = [
            worth_scoring(
                query, bounds(query, {k: postings[k] for k in read}, common), ask.threshold, MOST
            )
            for query, ask, (read, common) in zip(queries, asks, plans, strict=True)
        ]
        wanted = _union(seqs)
        if not wanted:  # nothing can reach the threshold: no statement
            return [[] for _ in asks]
        rows = cursor.select_in(
            "SELECT seq, id, features FROM {rm_similar_claims} WHERE seq IN (?...)", wanted
        )
        found = {
            int(r["seq"]): (int(r["seq"]), r["id"], frozenset(r["features"].split())) for r in rows
        }
        return [
            rank(
                query, [found[s] for s in mine if s in found], ask.threshold, ask.limit, ask.exclude
            )
            for query, ask, mine in zip(queries, asks, seqs, strict=True)
        ]


def _plan(
    query: frozenset[str], threshold: float, counts: dict[str, int]
) -> tuple[list[str], list[str]]:
    """The features whose postings are read for `query`, and its common ones."""
    keys = indexed(query)
    common = [k for k in keys if counts.get(k, 0) >= CAP]
    need = threshold * total(query)
    # A claim listed only under common features can reach the threshold only if those
    # alone weigh enough; otherwise only the rare features' (complete) lists are read.
    wanted = keys if total(common) >= need else [k for k in keys if k not in common]
    return [k for k in wanted if counts.get(k, 0)], common


def _union(lists: Iterable[list[T]]) -> list[T]:
    """The items of `lists`, each once, in the order first met."""
    return list(dict.fromkeys(item for items in lists for item in items))


def _counts(cursor: Cursor, keys: list[str]) -> tuple[dict[str, int], tuple[int, int]]:
    """How many claims hold each feature, counted up to CAP (an index range each), and the
    fingerprint of the names table (its row count and highest seq), in one statement.

    On PostgreSQL the statement's text is fixed (the features are one array parameter, each
    counted in a LATERAL subquery), so it stays prepared: a text that changed with the number
    of features was planned afresh on almost every write (0.8 ms of server CPU per POST)."""
    names = [
        "SELECT -1 AS k, COUNT(*) AS n FROM {rm_similar_names}",
        "SELECT -2 AS k, COALESCE(MAX(seq), 0) AS n FROM {rm_similar_names}",
    ]
    if cursor.store.postgres:
        each = (
            "SELECT f.k - 1 AS k, (SELECT COUNT(*) FROM (SELECT 1 FROM {rm_similar_postings} p"
            " WHERE p.feature = f.feature LIMIT ?) AS c) AS n"
            " FROM unnest(?::text[]) WITH ORDINALITY AS f(feature, k)"
        )
        statement = " UNION ALL ".join([*names, each])
        params: list[object] = [CAP, _texts(keys)]
    else:
        arm = (
            "SELECT {i} AS k, COUNT(*) AS n FROM (SELECT 1 FROM {{rm_similar_postings}}"
            " WHERE feature = ? LIMIT ?) AS p{i}"
        )
        statement = " UNION ALL ".join([*names, *(arm.format(i=i) for i in range(len(keys)))])
        params = [value for key in keys for value in (key, CAP)]
    found = {int(r["k"]): int(r["n"]) for r in cursor.execute(statement, params).fetchall()}
    counts = {key: found.get(i, 0) for i, key in enumerate(keys)}
    return counts, (found.get(-1, 0), found.get(-2, 0))


def _postings(cursor: Cursor, keys: list[str]) -> dict[str, list[int]]:
    """Up to CAP claims (seqs, newest first) per feature, in one statement (of fixed text on
    PostgreSQL, as in _counts)."""
    if not keys:
        return {}
    if cursor.store.postgres:
        statement = (
            "SELECT f.k - 1 AS k, p.seq FROM unnest(?::text[]) WITH ORDINALITY AS f(feature, k)"
            " CROSS JOIN LATERAL (SELECT seq FROM {rm_similar_postings}"
            " WHERE feature = f.feature ORDER BY seq DESC LIMIT ?) AS p ORDER BY f.k, p.seq DESC"
        )
        params: list[object] = [_texts(keys), CAP]
    else:
        arm = (
            "SELECT {i} AS k, seq FROM (SELECT seq FROM {{rm_similar_postings}} WHERE feature = ?"
            " ORDER BY seq DESC LIMIT ?) AS p{i}"
        )
        statement = " UNION ALL ".join(arm.format(i=i) for i in range(len(keys)))
        params = [value for key in keys for value in (key, CAP)]
    found: dict[str, list[int]] = {key: [] for key in keys}
    for row in cursor.execute(statement, params).fetchall():
        found[keys[int(row["k"])]].append(int(row["seq"]))
    return found


def _texts(keys: list[str]) -> list[str]:
    """Features as a PostgreSQL text array (which cannot hold NUL, as Cursor.params says)."""
    return [key.replace("\x00", "\ufffd") for key in keys]
