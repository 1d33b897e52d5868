"""The similar-claims view: each claim's features and, per feature, the claims that have it.

Names in statements are resolved with the actor names this view has seen up to the event
(it keeps its own copy of names and aliases, so a rebuild, in one process or in several,
computes the same features). When it learns a name (an alias added, an actor registered),
the claims indexed before that mention it are indexed again (`similar_index.reindex`), so
"Bejing backs Moscow" has `a:russia` once "Moscow" is an alias of Russia, whenever it was
recorded. Each claim's shape (statement, subject, relation, object, negation) is kept for
that. Retracted claims leave the index. Features are computed in `apply`, event by event;
the rows of claims recorded in a batch are written once per batch (COPY on PostgreSQL).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson

from domain.actors import Actor
from domain.claims import Claim
from domain.similarity import ClaimShape, NameMatcher, features
from domain.similarity.scoring import indexed
from infra.projections.projector import Change
from infra.projections.similar_index import reindex, replace
from infra.projections.store import Cursor
from infra.store.event_types import uuid_text

TABLES = [
    "CREATE TABLE IF NOT EXISTS {rm_similar_names} (name TEXT NOT NULL, actor TEXT NOT NULL,"
    " seq BIGINT NOT NULL, PRIMARY KEY (name, actor))",
    "CREATE TABLE IF NOT EXISTS {rm_similar_claims} (seq BIGINT PRIMARY KEY,"
    " id TEXT NOT NULL UNIQUE, features TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {rm_similar_postings} (feature TEXT NOT NULL,"
    " seq BIGINT NOT NULL, PRIMARY KEY (feature, seq))",
    # [statement, subject, relation, object, negated]: to compute a claim's features again
    "CREATE TABLE IF NOT EXISTS {rm_similar_shapes} (seq BIGINT PRIMARY KEY, shape TEXT NOT NULL)",
]
CHANGES_FEATURES = (Claim.Recorded, Claim.Corrected, Claim.Retracted)


def shape(claim: Claim) -> ClaimShape:
    return ClaimShape(
        claim.statement,
        claim.subject.id,
        claim.relation.slug,
        claim.object.id if claim.object else None,
        claim.negated,
    )


class Names:
    """The actor names a view or a query has read, checked against the table by a
    fingerprint (row count, highest seq) so another process's additions are seen."""

    def __init__(self) -> None:
        self.pairs: set[tuple[str, str]] = set()
        self.fingerprint: tuple[int, int] = (-1, -1)
        self._matcher: NameMatcher | None = None

    def refresh(self, cursor: Cursor) -> None:
        row = cursor.execute(
            "SELECT COUNT(*) AS n, COALESCE(MAX(seq), 0) AS m FROM {rm_similar_names}"
        ).fetchone()
        self.check(cursor, (int(row["n"]), int(row["m"])) if row is not None else (0, 0))

    def check(self, cursor: Cursor, found: tuple[int, int]) -> bool:
        """Reload the names if the table's fingerprint is not `found`; whether it did."""
        if found == self.fingerprint:
            return False
        rows = cursor.execute("SELECT name, actor FROM {rm_similar_names}").fetchall()
        self.pairs = {(r["name"], r["actor"]) for r in rows}
        self.fingerprint, self._matcher = found, None
        return True

    def add(self, pairs: list[tuple[str, str]], seq: int) -> None:
        self.pairs.update(pairs)
        count, _ = self.fingerprint
        self.fingerprint, self._matcher = (count + len(pairs), seq), None

    @property
    def matcher(self) -> NameMatcher:
        if self._matcher is None:
            self._matcher = NameMatcher(self.pairs)
        return self._matcher


@dataclass
class Pending:
    """Claims recorded in this transaction: id -> (seq, features, shape), and the actor names
    it learnt, written at its end."""

    fresh: dict[str, tuple[int, frozenset[str], ClaimShape]] = field(default_factory=dict)
    names: list[tuple[str, str, int]] = field(default_factory=list)
    indexed: bool | None = None  # whether the table held a claim (asked once, if needed)


class SimilarView:
    name = "similar"
    tables = TABLES
    # The events it reads (actors' names, claims' statements): the projector decodes no other
    # (a source's text, a reservation) for it, nor rebuilds their aggregates' states.
    consumes = (Claim.Event, Actor.Event)

    def __init__(self) -> None:
        self.names = Names()
        self.indexed = False  # once a claim is indexed, it need not be asked again

    def apply(self, cursor: Cursor, change: Change) -> None:
        if isinstance(change.state, Actor):
            self._actor(cursor, change.state, change.position)
        elif isinstance(change.event, CHANGES_FEATURES):
            self._claim(cursor, change.state, change.position)

    def _begin(self, cursor: Cursor) -> Pending:
        self.names.refresh(cursor)  # first change of the transaction
        return Pending()

    def _pending(self, cursor: Cursor) -> Pending:
        pending: Pending = cursor.deferred(self.name, lambda: self._begin(cursor), self._flush)
        return pending

    def _actor(self, cursor: Cursor, actor: Actor, position: int) -> None:
        pending = self._pending(cursor)
        pairs = sorted({(n, actor.slug) for n in [actor.name, *actor.aliases]} - self.names.pairs)
        if pairs:
            pending.names += [(n, a, position) for n, a in pairs]
            self.names.add(pairs, position)
            new = [n for n, _ in pairs]
            reindex(cursor, pending.fresh, self.names, new, self._indexed(cursor))

    def _indexed(self, cursor: Cursor) -> bool:
        """Whether any claim was indexed before this transaction: on a log that registers
        its actors first, their names are learnt with nothing to index again, and one
        question per transaction replaces a lookup per name (1,000 on the bench's log)."""
        pending = self._pending(cursor)
        if not self.indexed and pending.indexed is None:
            row = cursor.execute("SELECT 1 AS one FROM {rm_similar_claims} LIMIT 1").fetchone()
            pending.indexed = self.indexed = row is not None
        return self.indexed

    def _claim(self, cursor: Cursor, claim: Claim, position: int) -> None:
        pending = self._pending(cursor)
        claim_id = uuid_text(claim.id)  # (the claims view writes it too: remembered)
        retracted = claim.is_retracted  # (its status, without scanning disputes and reviews)
        now = shape(claim)
        found = None if retracted else features(now, self.names.matcher)
        if claim_id in pending.fresh or claim.version == 1:
            seq = pending.fresh.pop(claim_id, (position,))[0]
            if found is not None:
                pending.fresh[claim_id] = (seq, found, now)
            return
        row = cursor.execute(
            "SELECT seq, features FROM {rm_similar_claims} WHERE id = ?", (claim_id,)
        ).fetchone()
        if row is not None:
            seq = int(row["seq"])
            replace(cursor, seq, frozenset(row["features"].split()), found)
            cursor.execute("DELETE FROM {rm_similar_shapes} WHERE seq = ?", (seq,))
            if found is not None:
                cursor.insert("rm_similar_shapes", ("seq", "shape"), [(seq, _shape_text(now))])

    def _flush(self, cursor: Cursor, pending: Pending) -> None:
        cursor.executemany(
            "INSERT INTO {rm_similar_names} (name, actor, seq) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            pending.names,
        )
        fresh = sorted((seq, claim_id, f, s) for claim_id, (seq, f, s) in pending.fresh.items())
        rows = [(seq, claim_id, " ".join(sorted(f))) for seq, claim_id, f, _ in fresh]
        postings = [(k, seq) for seq, _, f, _ in fresh for k in indexed(f)]
        shapes = [(seq, _shape_text(s)) for seq, _, _, s in fresh]
        cursor.insert("rm_similar_claims", ("seq", "id", "features"), rows)
        cursor.insert("rm_similar_postings", ("feature", "seq"), postings)
        cursor.insert("rm_similar_shapes", ("seq", "shape"), shapes)


def _shape_text(claim: ClaimShape) -> str:
    """The shape as a JSON array, read back by ClaimShape(*array) (not dataclasses.astuple,
    which copies each field deeply: ~5 us a claim against ~0.2 us)."""
    c = claim
    return orjson.dumps((c.statement, c.subject, c.relation, c.object, c.negated)).decode()
