"""Direct quotations: where each one's words begin and end, closed or not.

A straight '"' opens when it follows a space (or starts the paragraph) and precedes a word; it
closes otherwise. A quotation that meets another opening mark before its closing one was never
closed (the seed article has one): it ends with the sentence it began in.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.extraction.text import Sentence, Span, paragraphs

_OPENING = {"\u201c", "\u201e", "\u00ab"}
_CLOSING = {"\u201d", "\u00bb"}
_TRAILING = " \t,.;:"


@dataclass(frozen=True)
class Quote:
    start: int  # the first quoted character (after the mark)
    end: int  # after the last quoted character (before the mark and trailing punctuation)
    closed: bool


def _role(text: str, at: int, para: Span) -> str | None:
    char = text[at]
    if char in _OPENING:
        return "open"
    if char in _CLOSING:
        return "close"
    if char != '"':
        return None
    before = text[at - 1] if at > para.start else " "
    after = text[at + 1] if at + 1 < para.end else " "
    if (before.isspace() or before in "([-\u2014") and not after.isspace():
        return "open"
    return "close"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def quotations(text: str, sentences: list[Sentence]) -> list[Quote]:
    found: list[Quote] = []

    def sentence_end(at: int) -> int:
        return next((s.end for s in sentences if s.start <= at < s.end), len(text))

    def unclosed(opened: int) -> None:
        start, end = _trimmed(text, opened + 1, sentence_end(opened))
        if end > start:
            found.append(Quote(start, end, closed=False))

    for para in paragraphs(text):
        opened: int | None = None
        for at in range(para.start, para.end):
            role = _role(text, at, para)
            if role == "open":
                if opened is not None:
                    unclosed(opened)
                opened = at
            elif role == "close" and opened is not None:
                start, end = _trimmed(text, opened + 1, at)
                if end > start:
                    found.append(Quote(start, end, closed=True))
                opened = None
        if opened is not None:
            unclosed(opened)
    return found
