"""A claim as a set of features, so that claims saying nearly the same thing share most of
theirs whatever their word order, inflection or names:

- `a:<actor id>`: an actor, from the claim's subject and object and from every name, alias or
  demonym of a registry actor in the statement ("Bejing", "Chinese" -> `a:china`);
- `r:<relation slug>`: the claim's relation, and the relations the statement's verbs cue
  ("backs", "stands by" -> `r:supports`; the cues of candidate extraction);
- `t:<subject>><relation>><object>`: the claim's structure (`t:!...` when negated);
- `x:not`: a negated claim, or a statement with a negation;
- `n:<number>` and `w:<stem>`: numbers, and the other words, stop words out, stemmed.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.extraction import signals
from domain.extraction.text import Span, fold
from domain.similarity.names import NameMatcher, Token, tokens
from domain.similarity.words import STOP_WORDS, stem

MAX_WORDS = 60  # a statement's first words are enough to compare it


@dataclass(frozen=True)
class ClaimShape:
    """What of a claim is compared: its statement and its structure (actor ids, a slug)."""

    statement: str
    subject: str
    relation: str
    object: str | None = None
    negated: bool = False


def features(claim: ClaimShape, names: NameMatcher) -> frozenset[str]:
    folded = fold(claim.statement)
    found = tokens(folded)[:MAX_WORDS]
    out = {f"a:{claim.subject}", f"r:{claim.relation}"}
    if claim.object:
        out.add(f"a:{claim.object}")
    bang = "!" if claim.negated else ""
    out.add(f"t:{bang}{claim.subject}>{claim.relation}>{claim.object or ''}")
    if claim.negated or signals.negations(folded, Span(0, len(folded))):
        out.add("x:not")
    named: set[int] = set()
    for mention in names.find(claim.statement, found):
        out.add(f"a:{mention.actor}")
        named.update(range(mention.first, mention.last))
    end = found[-1].end if found else 0
    cues = signals.relation_cues(folded, Span(0, end))
    out.update(f"r:{cue.value}" for cue in cues)
    for i, token in enumerate(found):
        if i in named or token.text in STOP_WORDS or _inside(token, cues):
            continue
        if token.text[0].isdigit():
            out.add("n:" + token.text.replace(",", ""))
        elif len(token.text) > 1:
            out.add("w:" + stem(token.text))
    return frozenset(out)


def _inside(token: Token, cues: list[signals.Hit]) -> bool:
    """Whether the token is a cue's first or last word ("signed" and "deal" of "signed a
    $400 billion gas deal", whose other words still count)."""
    return any(token.start == c.start or token.end == c.end for c in cues)
