"""Text with offsets: a folded copy for matching, paragraphs, sentences.

Every span here is a pair of offsets into the original text, so whatever is found can be
anchored with the text's own characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from domain.extraction.lexicon import ABBREVIATIONS


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str  # the original characters text[start:end]
    paragraph: int


_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"'}
_QUOTES |= {"\u00bb": '"', "\u201e": '"', "\u2013": "-", "\u2014": "-"}


def fold(text: str) -> str:
    """Lower case, accents and curly quotes removed, one character per original character (so
    an offset in the folded text is an offset in the original)."""
    if text.isascii():
        return text.lower()
    return "".join([_FOLDED.get(c) or _fold_char(c) for c in text])


_FOLDED: dict[str, str] = {}


def _fold_char(char: str) -> str:
    given = char
    char = _QUOTES.get(char, char)
    base = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in base if not unicodedata.combining(c))[:1] or char
    lowered = base.lower()
    folded = lowered if len(lowered) == 1 else base
    if len(_FOLDED) < 10_000:
        _FOLDED[given] = folded
    return folded


def paragraphs(text: str) -> list[Span]:
    """Non-blank lines: the texts captured here keep one paragraph per line."""
    found = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            found.append(Span(start, end))
    return found


# A full stop, ! or ? (with closing quotes or brackets), then space, then what starts a sentence.
_BOUNDARY = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"(\w[\w.]*)\.$")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` ends an abbreviation or an initial, not a sentence."""
    word = _LAST_WORD.search(text, max(0, dot - 12), dot + 1)
    if word is None:
        return False
    token = word.group(1)
    return token.lower() in ABBREVIATIONS or (len(token) == 1 and token.isupper())


def sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets, paragraph by paragraph."""
    found: list[Sentence] = []
    for index, para in enumerate(paragraphs(text)):
        start = para.start
        for match in _BOUNDARY.finditer(text, para.start, para.end):
            if match.group().startswith(".") and _is_abbreviation(text, match.start()):
                continue
            found.append(Sentence(start, match.end(), text[start : match.end()], index))
            start = match.end()
            while start < para.end and text[start].isspace():
                start += 1
        if start < para.end:
            found.append(Sentence(start, para.end, text[start : para.end], index))
    return found


WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")


def words(text: str) -> list[str]:
    return WORD.findall(text)
