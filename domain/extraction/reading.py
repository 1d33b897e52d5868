"""One sentence read into at most one candidate: its span, claimant, kind, actors, score, rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.anchoring import CONTEXT
from domain.extraction import signals
from domain.extraction.actors import ActorEntry, Mention
from domain.extraction.attribution import Attribution
from domain.extraction.quotes import Quote
from domain.extraction.text import Sentence, Span, words
from domain.values import Relation
from domain.vocabulary import resolve_relation

MIN_QUOTE_WORDS = 4  # fewer quoted words are a term ("security concerns"), not a quotation
_PREDICTIVE_HEDGES = re.compile(r"may|might|could|likely|probably|head|expected")
_WEIGHTS = {
    "attribution": 0.25,
    "quotation": 0.15,
    "quantity": 0.2,
    "date": 0.1,
    "negation": 0.05,
    "hedge": -0.1,
    "opinion": -0.1,
    "prediction": -0.05,
}


@dataclass(frozen=True)
class Candidate:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    statement: str
    kind: str  # a ClaimKind value: fact, quote, opinion, prediction
    claimant: ActorEntry | None
    subject: ActorEntry | None
    relation: Relation | None
    object: ActorEntry | None
    score: float
    rules: tuple[str, ...]


@dataclass
class Reading:
    """What is known of the whole text while its sentences are read in order."""

    text: str
    folded: str
    quotes: list[Quote]
    author: ActorEntry | None
    speakers: dict[Quote, ActorEntry | None] = field(default_factory=dict)
    last_quoted: tuple[int, ActorEntry | None] = (-1, None)  # (paragraph, speaker)


@dataclass(frozen=True)
class Said:
    attribution: Attribution
    speaker: ActorEntry | None


def _long_quote(reading: Reading, sentence: Sentence) -> Quote | None:
    """The quotation the sentence lies in, or the first long one that starts in it."""
    for quote in reading.quotes:
        inside = quote.start <= sentence.start < quote.end
        starts = sentence.start <= quote.start < sentence.end
        quoted = reading.text[quote.start : quote.end]
        if (inside or starts) and len(words(quoted)) >= MIN_QUOTE_WORDS:
            return quote
    return None


def _trimmed(text: str, start: int, end: int) -> Span:
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:"):
        end -= 1
    return Span(start, end)


def read_sentence(
    reading: Reading, sentence: Sentence, mentions: list[Mention], said: Said | None
) -> Candidate | None:
    text = reading.text
    rules: list[str] = []
    span = _trimmed(text, sentence.start, sentence.end)
    claimant, kind = reading.author, ""
    quote = _long_quote(reading, sentence)
    quote_rule = "quotation" if quote is None or quote.closed else "quotation:unclosed"
    speaker_at: Mention | None = None
    if said is not None:
        found = said.attribution
        rules.append(found.rule)
        speaker_at = found.speaker
        content = Span(found.content_start, found.content_end)
        quoted = quote is not None and quote.start < content.end and content.start < quote.end
        if quoted and quote is not None:
            rules.append(quote_rule)
            reading.speakers[quote] = said.speaker
            reading.last_quoted = (sentence.paragraph, said.speaker)
        according = found.rule in {"attribution:according-to", "attribution:after-clause"}
        if said.speaker is None or said.speaker.kind == "person" or quoted or according:
            claimant, kind, span = said.speaker, "quote", content
            if said.speaker is None:
                rules.append("attribution:unnamed")
        else:  # a state or an organisation, reported: the writer says that it said so
            rules.append("attribution:reported")
            speaker_at = None  # ... and what it said is about itself
    elif quote is not None:
        rules.append(quote_rule)
        span = _trimmed(text, max(quote.start, span.start), min(quote.end, span.end))
        claimant, kind = reading.speakers.get(quote), "quote"
        if quote not in reading.speakers and reading.last_quoted[0] == sentence.paragraph:
            claimant = reading.last_quoted[1]  # the next quotation of the paragraph's speaker
        reading.speakers.setdefault(quote, claimant)
    return _finish(reading, span, mentions, speaker_at, claimant, kind, rules)


def _finish(
    reading: Reading,
    span: Span,
    mentions: list[Mention],
    speaker_at: Mention | None,
    claimant: ActorEntry | None,
    kind: str,
    rules: list[str],
) -> Candidate | None:
    text, folded = reading.text, reading.folded
    found = signals.quantities(folded, span) + signals.dates(folded, span)
    found += signals.negations(folded, span) + signals.hedges(text, folded, span)
    found += signals.future(folded, span) + signals.opinions(folded, span)
    rules += sorted({h.rule for h in found})
    inside = [
        m
        for m in mentions
        if span.start <= m.start
        and m.end <= span.end
        and m != speaker_at
        and (m.actor.known or len(m.text.split()) >= 2)
    ]
    cue = signals.relation_cue(folded, span)
    if not rules and not (cue and any(m.actor.known for m in inside)):
        return None
    subject, obj = _roles(inside, cue)
    if subject is None and speaker_at is not None:  # "Putin noted joint efforts to ..."
        subject = speaker_at.actor
    relation = resolve_relation(cue.value) if cue and subject else None
    if relation is not None:
        rules.append(f"relation:{relation.slug}")
    kind = kind or _kind(found)
    exact = text[span.start : span.end]
    return Candidate(
        exact=exact,
        prefix=text[max(0, span.start - CONTEXT) : span.start],
        suffix=text[span.end : span.end + CONTEXT],
        start=span.start,
        end=span.end,
        statement=_statement(exact),
        kind=kind,
        claimant=claimant,
        subject=subject,
        relation=relation,
        object=obj,
        score=_score(rules, subject, obj),
        rules=tuple(dict.fromkeys(rules)),
    )


def _roles(
    mentions: list[Mention], cue: signals.Hit | None
) -> tuple[ActorEntry | None, ActorEntry | None]:
    """Subject: the actor named nearest before the relation cue (else the first named);
    object: the first other actor after the cue (else any other)."""
    if not mentions:
        return None, None
    before = [m for m in mentions if cue is not None and m.end <= cue.start]
    subject = (before[-1] if before else mentions[0]).actor
    others = [m for m in mentions if m.actor != subject]
    after = [m for m in others if cue is not None and m.start >= cue.start]
    chosen = after[0] if after else (others[0] if others else None)
    return subject, chosen.actor if chosen else None


def _kind(found: list[signals.Hit]) -> str:
    rules = {h.rule for h in found}
    if "prediction" in rules:
        return "prediction"
    hedges = [h.value for h in found if h.rule == "hedge"]
    if any(_PREDICTIVE_HEDGES.search(v) for v in hedges):
        return "prediction"
    return "opinion" if hedges or "opinion" in rules else "fact"


def _statement(exact: str) -> str:
    plain = " ".join(exact.split()).strip("\"'\u201c\u201d\u2018\u2019 ")
    plain = plain[:1].upper() + plain[1:]
    return plain if plain.endswith((".", "!", "?")) else plain + "."


def _score(rules: list[str], subject: ActorEntry | None, obj: ActorEntry | None) -> float:
    """Check-worthiness in [0, 1]: attributed words, numbers and dates raise it, hedges and
    opinion lower it (they are less checkable), named actors raise it."""
    families = {r.split(":")[0] for r in rules}
    score = 0.2 + sum(_WEIGHTS.get(f, 0.0) for f in families)
    score += 0.1 if subject is not None and subject.known else 0.0
    score += 0.05 if obj is not None and obj.known else 0.0
    if "attribution:unnamed" in rules:
        score -= 0.1
    return round(min(1.0, max(0.05, score)), 2)
