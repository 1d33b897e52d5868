"""Candidate claims in a text: what each sentence asserts, who asserts it, anchored exactly.

Deterministic and explainable: the same text and registry give the same candidates, and each
names the rules that fired. The rules are English; other languages get no candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from domain.extraction.actors import ActorEntry, ActorIndex, slugify
from domain.extraction.attribution import attribute
from domain.extraction.quotes import quotations
from domain.extraction.reading import Candidate, Reading, Said, read_sentence
from domain.extraction.text import Sentence, fold, sentences, words

__all__ = ["Candidate", "extract"]

_BYLINE = re.compile(r"^\s*by[:\s]+([A-Z][\w.'\u2019-]+(?:\s+[A-Z][\w.'\u2019-]+){0,3})\s*$", re.I)
_URL = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")


def extract(
    text: str,
    actors: Iterable[ActorEntry],
    authors: Sequence[str] = (),
    language: str | None = None,
) -> list[Candidate]:
    """The candidate claims of `text`, in text order."""
    if language and not language.lower().startswith("en"):
        return []
    index = ActorIndex(actors)
    found = sentences(text)
    reading = Reading(text, fold(text), quotations(text, found), _author(found, authors, index))
    last_person: ActorEntry | None = None
    candidates = []
    for sentence in found:
        if _boilerplate(sentence):
            continue
        mentions = index.mentions(text, sentence.start, sentence.end)
        said = attribute(text, reading.folded, sentence, mentions, reading.quotes)
        speaker = said.speaker.actor if said and said.speaker else None
        if said is not None and said.pronoun and speaker is None:
            speaker = last_person  # "he said": the person last named as a speaker
        if speaker is not None and speaker.kind == "person":
            last_person = speaker
        attributed = Said(said, speaker) if said is not None else None
        candidate = read_sentence(reading, sentence, mentions, attributed)
        if candidate is not None:
            candidates.append(candidate)
    return candidates


def _boilerplate(sentence: Sentence) -> bool:
    return (
        len(words(sentence.text)) < 4
        or bool(_BYLINE.match(sentence.text) or _URL.match(sentence.text))
        or sentence.text.rstrip().endswith(":")
    )


def _author(found: list[Sentence], authors: Sequence[str], index: ActorIndex) -> ActorEntry | None:
    """The source's first author, or the byline's ("By: Genevieve Weiss"), as an actor."""
    names = list(authors) or [m.group(1) for s in found if (m := _BYLINE.match(s.text))]
    if not names:
        return None
    name = names[0].strip()
    for mention in index.known(name):
        if mention.start == 0 and mention.end == len(name):
            return mention.actor
    return ActorEntry(slugify(name), name, "person", known=False)
