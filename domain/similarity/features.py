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
from domain.extraction.actors import case_sensitive
from domain.extraction.lexicon import DEMONYMS
from domain.extraction.text import fold
from domain.similarity.names import NameMatcher, name_key, tokens
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
    if claim.negated or signals.negated(folded):
        out.add("x:not")
    named: set[int] = set()
    for mention in names.find(claim.statement, found):
        out.add(f"a:{mention.actor}")
        named.update(range(mention.first, mention.last))
    end = found[-1].end if found else 0
    cues = signals.cue_spans(folded, 0, end)
    out.update(f"r:{slug}" for _, _, slug in cues)
    # A cue's first and last words ("signed" and "deal" of "signed a $400 billion gas deal")
    # are the relation; its other words still count.
    starts, ends = {c[0] for c in cues}, {c[1] for c in cues}
    for i, (start, stop, text) in enumerate(found):
        if i in named or start in starts or stop in ends:
            continue
        feature = _WORDS.get(text)
        if feature is None:
            feature = _word(text)
        if feature:
            out.add(feature)
    return frozenset(out)


def name_words(name: str) -> frozenset[str]:
    """The features a statement has for the words of `name` (and of its demonyms: "Chinese"
    for "China") while it is not a name: `w:moscow` for "Moscow". Empty when none of its words
    is a feature (stop words, single letters: "US")."""
    spoken = [name, *_DEMONYMS_OF.get(name_key(name), ())]
    return frozenset(f for n in spoken for t in tokens(fold(n)) if (f := _word(t.text)))


def wordless(name: str) -> bool:
    """Whether no word of `name` itself is a feature ("US", "The Who"): a statement that
    mentions it does not have its words among its features, so it is found by its text."""
    return not any(_word(t.text) for t in tokens(fold(name)))


def may_mention(statement: str, name: str) -> bool:
    """Whether `statement` may mention `name`: never False when it does. A short name must
    appear with its case ("US"), a longer one with each of its folded words."""
    if case_sensitive(name):
        return name in statement
    folded = fold(statement)
    return all(t.text in folded for t in tokens(fold(name)))


def _demonyms_by_key() -> dict[tuple[str, ...], list[str]]:
    """A name's key -> the demonyms of the place it names ("Chinese" for "China")."""
    found: dict[tuple[str, ...], list[str]] = {}
    for demonym, held in sorted(DEMONYMS.items()):
        found.setdefault(name_key(held), []).append(demonym)
    return found


_DEMONYMS_OF = _demonyms_by_key()


# Word -> its feature ("" for none): stemming every word of every claim again was a tenth of
# the cost of its features. Numbers are not kept (there are too many, and they are cheap).
_WORDS: dict[str, str] = {}
_KEPT_WORDS = 50_000  # ~7 MB at most


def _word(text: str) -> str:
    if text in STOP_WORDS:
        feature = ""
    elif text[0].isdigit():
        return "n:" + text.replace(",", "")
    else:
        feature = "w:" + stem(text) if len(text) > 1 else ""
    if len(_WORDS) < _KEPT_WORDS:
        _WORDS[text] = feature
    return feature
