"""Signals in a stretch of text: quantities, dates, negations, hedges, the future, opinion
words and relation cues. Each returns what it found with offsets, so a rule can explain itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.extraction import lexicon as lx
from domain.extraction.prefilter import heads, quick
from domain.extraction.text import Span, fold


@dataclass(frozen=True)
class Hit:
    rule: str
    start: int
    end: int
    value: str = ""


_MONEY = re.compile(
    r"(?:[$\u20ac\u00a3\u00a5]|\b(?:us\$|usd|eur|gbp|rmb)\s?)\d[\d,.]*"
    r"(?:\s?(?:trillion|billion|million|bn|m|k)\b)?",
)
_NUMBER_UNIT = re.compile(
    rf"\b\d[\d,.]*(?:\s|-)?(?:{lx.UNITS})\b|\b(?:{lx.NUMBER_WORDS})(?:\s|-)(?:{lx.UNITS})\b"
    rf"|\b(?:hundreds|thousands|millions|billions|dozens) of\b|\b\d+(?:\.\d+)?\s?%"
)
_COUNT = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:\.\d+)?\b")
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")
_DATE = re.compile(
    rf"\b(?:{lx.MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{lx.MONTHS})\b(?:,? \d{{4}})?"
    rf"|\b(?:{lx.MONTHS}) \d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
    rf"|\b(?:on |last |next |this )(?:{lx.WEEKDAYS})\b|\b(?:{lx.WEEKDAYS})\b"
    r"|\b(?:this|last|next) (?:week|month|year|weekend)\b|\byesterday\b|\btoday\b|\btomorrow\b"
    r"|\bin the past\b|\bearlier this (?:week|month|year)\b"
)


def _find(pattern: re.Pattern[str], rule: str, folded: str, span: Span) -> list[Hit]:
    return [
        Hit(rule, m.start(), m.end(), m.group())
        for m in pattern.finditer(folded, span.start, span.end)
    ]


def quantities(folded: str, span: Span) -> list[Hit]:
    found = _find(_MONEY, "quantity:money", folded, span)
    found += _find(_NUMBER_UNIT, "quantity:measure", folded, span)
    covered = [(h.start, h.end) for h in found]
    years = {(h.start, h.end) for h in _find(_YEAR, "", folded, span)}
    for hit in _find(_COUNT, "quantity:count", folded, span):
        inside = any(s <= hit.start < e for s, e in covered)
        if not inside and (hit.start, hit.end) not in years:
            found.append(hit)
    return sorted(found, key=lambda h: (h.start, h.rule))


def dates(folded: str, span: Span) -> list[Hit]:
    found = _find(_DATE, "date", folded, span)
    covered = [(h.start, h.end) for h in found]
    for hit in _find(_YEAR, "date:year", folded, span):
        if not any(s <= hit.start < e for s, e in covered):
            found.append(hit)
    return sorted(found, key=lambda h: h.start)


_NEGATION = re.compile(quick(lx.NEGATIONS))
_HEDGE = re.compile(lx.HEDGES)
_FUTURE = re.compile(lx.FUTURE)
_OPINION = re.compile(lx.OPINION)


def negations(folded: str, span: Span) -> list[Hit]:
    return _find(_NEGATION, "negation", folded, span)


def negated(folded: str) -> bool:
    """Whether the text has a negation: bool(negations(folded, Span(0, len(folded))))."""
    return _NEGATION.search(folded) is not None


def hedges(text: str, folded: str, span: Span) -> list[Hit]:
    # "May 2014" is a month, not a possibility.
    return [
        h
        for h in _find(_HEDGE, "hedge", folded, span)
        if not (text[h.start : h.end] == "May" and re.match(r"\s+\d", text[h.end : h.end + 3]))
    ]


def future(folded: str, span: Span) -> list[Hit]:
    return _find(_FUTURE, "prediction", folded, span)


def opinions(folded: str, span: Span) -> list[Hit]:
    return _find(_OPINION, "opinion", folded, span)


_CUES = [(re.compile(pattern), slug) for pattern, slug in lx.RELATION_CUES]


def _by_head() -> tuple[re.Pattern[str], dict[str, frozenset[int]], frozenset[int]]:
    """A search for every cue head, what each found head says may match (the cues of the heads
    it starts with: at one place the search finds the longest), and the cues without heads."""
    of_head: dict[str, set[int]] = {}
    always = set()
    for index, (pattern, _) in enumerate(lx.RELATION_CUES):
        found = heads(pattern)
        if found is None:
            always.add(index)
        for head in found or ():
            of_head.setdefault(head, set()).add(index)
    longest_first = sorted(of_head, key=lambda h: (-len(h), h))
    search = re.compile(quick(r"\b(?:" + "|".join(longest_first) + ")"))
    cues = {
        head: frozenset(
            i for other, found in of_head.items() if head.startswith(other) for i in found
        )
        for head in of_head
    }
    return search, cues, frozenset(always)


_HEADS, _CUES_OF_HEAD, _ALWAYS = _by_head()
_ONLY = {head: [_CUES[i] for i in sorted(_ALWAYS | found)] for head, found in _CUES_OF_HEAD.items()}


def _possible(folded: str, start: int, end: int) -> list[tuple[re.Pattern[str], str]]:
    """The cues that may match in the span, in listed order: those whose head it has."""
    found = _HEADS.findall(folded, start, end)
    if len(found) == 1:  # most statements
        return _ONLY[found[0]]
    wanted = _ALWAYS.union(*[_CUES_OF_HEAD[head] for head in found])
    return [_CUES[i] for i in sorted(wanted)]


def relation_cue(folded: str, span: Span) -> Hit | None:
    """The earliest relation cue in the span (the first listed among cues at one place)."""
    best: Hit | None = None
    for pattern, slug in _possible(folded, span.start, span.end):
        match = pattern.search(folded, span.start, span.end)
        if match and (best is None or match.start() < best.start):
            best = Hit("relation", match.start(), match.end(), slug)
    return best


def relation_cues(folded: str, span: Span) -> list[Hit]:
    """Every relation cue in the span, in text order."""
    found = [Hit("relation", *cue) for cue in cue_spans(folded, span.start, span.end)]
    return sorted(found, key=lambda h: (h.start, h.end, h.value))


def cue_spans(folded: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, slug) of the relation cues between `start` and `end`, in no order: those of
    relation_cues, without a Hit (and a Span) per call, for code that compares many texts."""
    return [
        (m.start(), m.end(), slug)
        for pattern, slug in _possible(folded, start, end)
        for m in pattern.finditer(folded, start, end)
    ]


def folded_text(text: str) -> str:
    return fold(text)
