"""Who says what in a sentence: "X said (that) ...", "according to X, ...", '"...," X said'."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.extraction.actors import Mention
from domain.extraction.lexicon import SPEECH_VERBS
from domain.extraction.quotes import Quote
from domain.extraction.text import Sentence

_ADVERBS = r"(?:also|publicly|publically|previously|repeatedly|reportedly|recently|later|again)"
_VERB = re.compile(
    rf"\b(?:(?:has|have|had)\s+)?(?:{_ADVERBS}\s+)?(?:{SPEECH_VERBS})\b(?:\s+that\b)?\s*[:,]?\s*"
)
_ACCORDING = re.compile(r"\baccording to\b")
# A part of the words before the verb that cannot hold the speaker: a fronted phrase.
_FRONTED = re.compile(
    r"^\s*(?:with|after|before|despite|in|for|shortly|while|when|as|although|since|given|amid"
    r"|following|on|at|during|under|earlier|later|meanwhile|however)\b"
)
_MARKS = '"\u201c\u201d\u201e\u00ab\u00bb'
_PRONOUNS = re.compile(r"^\s*(?:he|she)\b")
# Who speaks without a name: a few lower-case words ("officials", "local police", "the
# ministry's spokesman"), nothing a name could be.
_UNNAMED = re.compile(r"\s*(?:[a-z][\w'\u2019-]*\s+){0,3}[a-z][\w'\u2019-]*\s*$")
_DETERMINER = re.compile(r"(?:\bthe|\ba|\ban|\bhis|\bher|\bits|\btheir|\bthese|\bthose)\s+$")


def _speech_verb(
    folded: str, start: int, end: int, mentions: list[Mention]
) -> re.Match[str] | None:
    """The first speech verb that is a verb: not inside a name ("United States"), not a noun
    after a determiner ("the claims")."""
    for match in _VERB.finditer(folded, start, end):
        if any(m.start < match.end() and match.start() < m.end for m in mentions):
            continue
        if _DETERMINER.search(folded, max(0, match.start() - 8), match.start()):
            continue
        return match
    return None


@dataclass(frozen=True)
class Attribution:
    rule: str
    speaker: Mention | None
    content_start: int
    content_end: int
    pronoun: bool = False


def _speaker_before(
    folded: str, sentence: Sentence, verb_at: int, mentions: list[Mention]
) -> tuple[Mention | None, bool]:
    """The first name in the first comma-separated part before the verb that is not a fronted
    phrase: "Yuri Ushakov, Kremlin aide in Russia, announced" names Ushakov; "With the crisis in
    Ukraine, Bejing has announced" names Beijing."""
    at = sentence.start
    for part in folded[sentence.start : verb_at].split(","):
        part_start, part_end = at, at + len(part)
        at = part_end + 1
        if not part.strip() or _FRONTED.match(part):
            continue
        for mention in mentions:
            if part_start <= mention.start < part_end:
                return mention, False
        return None, bool(_PRONOUNS.match(part))
    return None, False


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Without the spaces and punctuation around it, nor a quotation mark left unpaired."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:"):
        end -= 1
    marks = sum(text[start:end].count(q) for q in _MARKS)
    if marks % 2 and start < end and text[start] in _MARKS:
        start += 1
    elif marks % 2 and start < end and text[end - 1] in _MARKS:
        end -= 1
    return start, end


def _after_clause(
    text: str, sentence: Sentence, verb: re.Match[str], mentions: list[Mention]
) -> Attribution | None:
    """ "The words, X warned." : the speaker named after the last comma, before the verb; or
    no one named ("The words, officials said."): a speaker the text leaves unnamed."""
    comma = text.rfind(",", sentence.start, verb.start())
    if comma == -1:
        return None
    speaker = next((m for m in mentions if comma < m.start < verb.start()), None)
    start, end = _trim(text, sentence.start, comma)
    if end - start < 12:
        return None
    if speaker is None and not _UNNAMED.match(text, comma + 1, verb.start()):
        return None
    return Attribution("attribution:after-clause", speaker, start, end)


def attribute(
    text: str, folded: str, sentence: Sentence, mentions: list[Mention], quotes: list[Quote]
) -> Attribution | None:
    """The attribution of the sentence, if it has one."""
    s, e = sentence.start, sentence.end
    according = _ACCORDING.search(folded, s, e)
    if according:
        after = [m for m in mentions if m.start >= according.end()]
        speaker = after[0] if after else None
        if according.start() - s < 3:  # "According to X, the words."
            comma = folded.find(",", according.end(), e)
            start, end = _trim(text, comma + 1 if comma != -1 else according.end(), e)
        else:  # "The words, according to X."
            start, end = _trim(text, s, according.start())
        return Attribution("attribution:according-to", speaker, start, end)
    for quote in quotes:
        if s <= quote.start < e and quote.closed:
            verb = _speech_verb(folded, quote.end, e, mentions)
            if verb and verb.start() - quote.end < 40:
                after = [m for m in mentions if m.start >= quote.end]
                speaker = after[0] if after else None
                return Attribution("attribution:after-quote", speaker, quote.start, quote.end)
    verb = _speech_verb(folded, s, e, mentions)
    if verb is None or verb.start() == s:
        return None
    speaker, pronoun = _speaker_before(folded, sentence, verb.start(), mentions)
    start, end = _trim(text, verb.end(), e)
    if end - start < 12:
        return _after_clause(text, sentence, verb, mentions)
    for quote in quotes:
        if s <= quote.start < e and quote.start - verb.end() <= 2:
            start, end = quote.start, min(quote.end, e)
    if end - start < 12:
        return None
    return Attribution("attribution:speech-verb", speaker, start, end, pronoun)
