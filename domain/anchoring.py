"""Anchoring a quote in a source text, tolerant of what copy-and-paste changes.

Both texts are compared in a normal form (Unicode compatibility decomposition, curly quotes made
straight, dashes made hyphens, runs of white space made one space, white space beside a Chinese
or Japanese character dropped), but the anchor returned is
made of the source's own characters with offsets into the source text itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from domain.errors import QuoteAmbiguousError, QuoteNotFoundError

CONTEXT = 32  # characters of prefix/suffix kept, as Hypothesis does

_FOLD = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u00ad": "",
}


def _fold_char(char: str) -> str:
    char = _FOLD.get(char, char)
    return "".join(_FOLD.get(c, c) for c in unicodedata.normalize("NFKD", char))


# Scripts written without spaces between words (Chinese, Japanese kana): a line break or space
# next to one of their characters is layout, not text, and copy-and-paste adds or drops it.
_UNSPACED = (
    ("\u3000", "\u30ff"),  # CJK symbols and punctuation, hiragana, katakana
    ("\u3400", "\u4dbf"),  # CJK unified ideographs, extension A
    ("\u4e00", "\u9fff"),  # CJK unified ideographs
    ("\uf900", "\ufaff"),  # CJK compatibility ideographs
    ("\uff00", "\uffef"),  # half- and full-width forms
    ("\U00020000", "\U0003134f"),  # CJK unified ideographs, extensions B to G
)


def _unspaced(char: str) -> bool:
    return any(low <= char <= high for low, high in _UNSPACED)


_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Normalized:
    """A text in normal form and, for each of its characters, the index it came from: made
    once per source and kept, so anchoring a quote normalises only the quote."""

    text: str
    origin: list[int]


def normalized(text: str) -> Normalized:
    return Normalized(*normalize(text))


def normalize(text: str) -> tuple[str, list[int]]:
    """The normal form of `text` and, for each of its characters, the index it came from."""
    if text.isascii():
        return _normalize_ascii(text)
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            if out and (out[-1] == " " or _unspaced(text[origin[-1]])):
                continue
            out.append(" ")
            origin.append(index)
            continue
        if out and out[-1] == " " and _unspaced(char):
            out.pop(), origin.pop()  # a space before an unspaced character is layout
        for folded in _fold_char(char):
            out.append(folded)
            origin.append(index)
    return "".join(out), origin


def _normalize_ascii(text: str) -> tuple[str, list[int]]:
    """The same for ASCII text (nothing to fold or decompose: only runs of space)."""
    out: list[str] = []
    origin: list[int] = []
    at = 0
    for run in _SPACES.finditer(text):
        start = run.start()
        if start > at:
            out.append(text[at:start])
            origin.extend(range(at, start))
        if not out or out[-1] != " ":  # a run after a run cannot happen; after text it can
            out.append(" ")
            origin.append(start)
        at = run.end()
    out.append(text[at:])
    origin.extend(range(at, len(text)))
    return "".join(out), origin


@dataclass(frozen=True)
class Anchor:
    """A quote located in a text: the source's own characters and their offsets."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def _occurrences(haystack: str, needle: str) -> list[int]:
    """Where `needle` occurs, never ending inside a character: "cafe" is not in "café"."""
    found, at = [], haystack.find(needle)
    while at != -1:
        end = at + len(needle)
        if end == len(haystack) or not unicodedata.combining(haystack[end]):
            found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def locate(
    text: str, exact: str, prefix: str = "", suffix: str = "", index: Normalized | None = None
) -> Anchor:
    """Find `exact` in `text`; prefix and suffix tell repeated occurrences apart. `index` is
    `normalized(text)` when the caller keeps it."""
    norm_text, origin = (index.text, index.origin) if index is not None else normalize(text)
    needle = normalize(exact)[0].strip()
    if not needle:
        raise QuoteNotFoundError("the quote is empty")
    hits = _occurrences(norm_text, needle)
    if not hits:
        raise QuoteNotFoundError("the quote does not occur in the source text")
    norm_prefix = normalize(prefix)[0].strip()
    norm_suffix = normalize(suffix)[0].strip()
    if len(hits) > 1 and (norm_prefix or norm_suffix):
        hits = [
            at
            for at in hits
            if norm_text[:at].rstrip().endswith(norm_prefix)
            and norm_text[at + len(needle) :].lstrip().startswith(norm_suffix)
        ]
        if not hits:
            raise QuoteNotFoundError(
                "the quote occurs, but not between the given prefix and suffix"
            )
    if len(hits) > 1:
        raise QuoteAmbiguousError(
            f"the quote occurs {len(hits)} times; give a prefix or suffix to tell which",
            occurrences=len(hits),
        )
    start = origin[hits[0]]
    end = origin[hits[0] + len(needle) - 1] + 1
    return Anchor(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        start=start,
        end=end,
    )
