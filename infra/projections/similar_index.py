"""The similar view's index rows of claims already stored: a claim's features replaced (a
correction, a retraction) and the claims indexed again when the view learns an actor name.

A statement that mentions a name before it is one has the name's words as features
(`w:moscow`), so the claims to check are those listed under them. A name none of whose words
is a feature ("US", "The Who") leaves no such trace: the claims whose text may mention it are
found by that text instead (the exact text of a short name, whose case counts, searched in the
stored shapes; every shape, checked in Python, for a longer one, which is rare).
"""

from __future__ import annotations

from typing import Protocol

import orjson

from domain.extraction.actors import case_sensitive
from domain.similarity import ClaimShape, NameMatcher, features
from domain.similarity.features import may_mention, name_words, wordless
from domain.similarity.names import name_key
from domain.similarity.scoring import indexed
from infra.projections.store import Cursor, Row

SHAPED = (
    "SELECT c.seq, c.features, s.shape FROM {rm_similar_claims} c"
    " JOIN {rm_similar_shapes} s ON s.seq = c.seq"
)
SHAPED_WITH_FEATURE = (
    SHAPED  # noqa: S608 - two constant texts
    + " WHERE c.seq IN (SELECT seq FROM {rm_similar_postings} WHERE feature IN (?...))"
)
Fresh = dict[str, tuple[int, frozenset[str], ClaimShape]]  # claim id -> (seq, features, shape)


class Learnt(Protocol):
    """The names a view knows once it has learnt the new ones."""

    @property
    def matcher(self) -> NameMatcher: ...


def reindex(cursor: Cursor, fresh: Fresh, names: Learnt, new: list[str], stored: bool) -> None:
    """Index again, with `names`, the claims that may mention one of the `new` names: those of
    this transaction (`fresh`, rewritten in place) and, if `stored`, those in the tables."""
    words = frozenset().union(*(name_words(name) for name in new))
    bare = [name for name in new if name_key(name) and wordless(name)]  # (no key: no match)

    def affected(found: frozenset[str], claim: ClaimShape) -> bool:
        if not found.isdisjoint(words):
            return True
        return any(may_mention(claim.statement, name) for name in bare)

    for claim_id, (seq, found, claim) in list(fresh.items()):
        if affected(found, claim):
            fresh[claim_id] = (seq, features(claim, names.matcher), claim)
    if not stored:
        return
    rows = cursor.select_in(SHAPED_WITH_FEATURE, sorted(words)) if words else []
    if bare:
        rows += _with_text(cursor, bare)
    for row in {int(r["seq"]): r for r in rows}.values():  # (SQLite reads chunks of words)
        old = frozenset(row["features"].split())
        claim = ClaimShape(*orjson.loads(row["shape"]))
        if affected(old, claim):
            found = features(claim, names.matcher)
            if found != old:
                replace(cursor, int(row["seq"]), old, found)


def _with_text(cursor: Cursor, bare: list[str]) -> list[Row]:
    """Stored claims whose shape holds the exact text of one of the short `bare` names (a
    superset of those that mention it: the id fields count too); every claim if one of them
    is longer (its case and accents do not count, so only Python's fold can tell)."""
    if not all(_searchable(name) for name in bare):
        return cursor.execute(SHAPED).fetchall()
    search = "strpos" if cursor.store.postgres else "instr"
    where = " OR ".join([f"{search}(s.shape, ?) > 0"] * len(bare))
    return cursor.execute(f"{SHAPED} WHERE {where}", bare).fetchall()


def _searchable(name: str) -> bool:
    """Whether a mention of `name` has its exact text in a stored shape (JSON: a name with a
    quote, a backslash or a control character is escaped there)."""
    return case_sensitive(name) and orjson.dumps(name).decode()[1:-1] == name


def replace(cursor: Cursor, seq: int, old: frozenset[str], new: frozenset[str] | None) -> None:
    """A claim's new features (None: retracted, out of the index)."""
    kept = new or frozenset()
    gone = [(f, seq) for f in indexed(old - kept)]
    cursor.executemany("DELETE FROM {rm_similar_postings} WHERE feature = ? AND seq = ?", gone)
    added = [(f, seq) for f in indexed(kept - old)]
    cursor.insert("rm_similar_postings", ("feature", "seq"), added)
    if new is None:
        cursor.execute("DELETE FROM {rm_similar_claims} WHERE seq = ?", (seq,))
    else:
        cursor.execute(
            "UPDATE {rm_similar_claims} SET features = ? WHERE seq = ?",
            (" ".join(sorted(new)), seq),
        )
