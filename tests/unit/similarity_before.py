"""A frozen copy of `features()` and `relation_cues()` as they were before they were made
faster (main at 1acb7a7), so the tests can check that the faster code gives the same output for
every input. Only the word lists (lexicon, stop words, irregular forms) and `fold` are shared:
they are data, not the algorithm."""

from __future__ import annotations

import re
from typing import NamedTuple

from domain.extraction import lexicon as lx
from domain.extraction.actors import case_sensitive
from domain.extraction.signals import Hit
from domain.extraction.text import Span, fold
from domain.similarity.features import MAX_WORDS, ClaimShape
from domain.similarity.words import IRREGULAR, STOP_WORDS

TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+")
_CUES = [(re.compile(pattern), slug) for pattern, slug in lx.RELATION_CUES]
_NEGATION = re.compile(lx.NEGATIONS)
_DOUBLED = frozenset("bdgmnprt")


class Token(NamedTuple):
    start: int
    end: int
    text: str


def tokens(folded):
    return [Token(m.start(), m.end(), m.group()) for m in TOKEN.finditer(folded)]


def name_key(name):
    return tuple(t.text for t in tokens(fold(name)))


def relation_cue(folded, span):
    best = None
    for pattern, slug in _CUES:
        match = pattern.search(folded, span.start, span.end)
        if match and (best is None or match.start() < best.start):
            best = Hit("relation", match.start(), match.end(), slug)
    return best


def relation_cues(folded, span):
    found = [
        Hit("relation", m.start(), m.end(), slug)
        for pattern, slug in _CUES
        for m in pattern.finditer(folded, span.start, span.end)
    ]
    return sorted(found, key=lambda h: (h.start, h.end, h.value))


class NameMatcher:
    def __init__(self, names):
        self.keys = {}
        for name, actor in sorted(names):
            key = name_key(name)
            if key:
                self.keys.setdefault(key, (actor, name if case_sensitive(name) else None))
        for demonym, name in sorted(lx.DEMONYMS.items()):
            held = self.keys.get(name_key(name))
            if held is not None:
                self.keys.setdefault((demonym,), (held[0], None))
        lengths = {}
        for key in self.keys:
            lengths.setdefault(key[0], set()).add(len(key))
        self.lengths = {first: sorted(sizes, reverse=True) for first, sizes in lengths.items()}

    def find(self, text, found):
        mentions, i = [], 0
        while i < len(found):
            mention = self._at(text, found, i)
            if mention is None:
                i += 1
            else:
                mentions.append(mention)
                i = mention[1]
        return mentions

    def _at(self, text, found, i):
        sizes = self.lengths.get(found[i].text)
        if sizes is None:
            return None
        left = len(found) - i
        for size in sizes:
            if size > left:
                continue
            held = self.keys.get(tuple([t.text for t in found[i : i + size]]))
            if held is None:
                continue
            actor, exact = held
            if exact is not None and text[found[i].start : found[i + size - 1].end] != exact:
                continue
            return (i, i + size, actor)
        return None


def stem(word):
    word = IRREGULAR.get(word, word)
    if len(word) <= 3 or not word.isalpha():
        return word
    word = _strip_suffix(word)
    if len(word) > 4 and word.endswith("e"):
        word = word.rstrip("e") if len(word.rstrip("e")) >= 3 else word
    if word.endswith("iz"):
        word = word[:-2] + "is"
    return word


def _strip_suffix(word):
    if word.endswith(("ies", "ied")) and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return _undouble(word[: -len(suffix)])
    if word.endswith(("ches", "shes", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _undouble(word):
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] in _DOUBLED:
        return word[:-1]
    return word


def features(claim: ClaimShape, names: NameMatcher) -> frozenset[str]:
    folded = fold(claim.statement)
    found = tokens(folded)[:MAX_WORDS]
    out = {f"a:{claim.subject}", f"r:{claim.relation}"}
    if claim.object:
        out.add(f"a:{claim.object}")
    bang = "!" if claim.negated else ""
    out.add(f"t:{bang}{claim.subject}>{claim.relation}>{claim.object or ''}")
    if claim.negated or list(_NEGATION.finditer(folded, 0, len(folded))):
        out.add("x:not")
    named = set()
    for first, last, actor in names.find(claim.statement, found):
        out.add(f"a:{actor}")
        named.update(range(first, last))
    end = found[-1].end if found else 0
    cues = relation_cues(folded, Span(0, end))
    out.update(f"r:{cue.value}" for cue in cues)
    for i, token in enumerate(found):
        if i in named or token.text in STOP_WORDS or _inside(token, cues):
            continue
        if token.text[0].isdigit():
            out.add("n:" + token.text.replace(",", ""))
        elif len(token.text) > 1:
            out.add("w:" + stem(token.text))
    return frozenset(out)


def _inside(token, cues):
    return any(token.start == c.start or token.end == c.end for c in cues)
