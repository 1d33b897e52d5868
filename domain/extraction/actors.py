"""Actors named in a text: registry names and aliases, demonyms, and unknown proper names
(proposed as new actors)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from domain.extraction.lexicon import DEMONYMS, NOT_NAMES, ORGANISATION_WORDS
from domain.extraction.text import fold


@dataclass(frozen=True)
class ActorEntry:
    """An actor of the registry (known) or a name proposed as a new one (not known)."""

    id: str
    name: str
    kind: str | None
    known: bool = True
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    actor: ActorEntry


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:63] or "actor"


def case_sensitive(alias: str) -> bool:
    # "US", "UK", "Xi": short names must keep their case, or "us" the pronoun would be a state.
    return len(alias) <= 3


_NAME_WORD = r"[A-Z][\w'\u2019-]*"
_PROPER = re.compile(rf"{_NAME_WORD}(?:\s+(?:of\s+the\s+|of\s+|de\s+|von\s+)?{_NAME_WORD})*")


class ActorIndex:
    """Finds mentions of registry actors (longest name first) and of unknown proper names."""

    def __init__(self, actors: Iterable[ActorEntry]) -> None:
        self.actors = sorted(actors, key=lambda a: a.id)
        by_name: dict[str, tuple[str, ActorEntry]] = {}
        for actor in self.actors:
            for name in (actor.name, *actor.aliases):
                by_name.setdefault(fold(name).strip(), (name, actor))
        for demonym, name in sorted(DEMONYMS.items()):
            if (held := by_name.get(fold(name))) is not None:
                by_name.setdefault(demonym, (demonym.capitalize(), held[1]))
        self._by_name = by_name
        ordered = sorted(by_name, key=lambda n: (-len(n), n))
        alternation = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in ordered if n)
        self._pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)") if alternation else None

    def known(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        if self._pattern is None:
            return []
        end = len(text) if end is None else end
        folded = fold(text)
        found = []
        for match in self._pattern.finditer(folded, start, end):
            key = " ".join(match.group().split())
            name, actor = self._by_name[key]
            original = text[match.start() : match.end()]
            if case_sensitive(name) and fold(name) == key and original != name:
                continue
            found.append(Mention(match.start(), match.end(), original, actor))
        return found

    def mentions(self, text: str, start: int, end: int) -> list[Mention]:
        """Known actors, then proper names no known mention covers, in text order."""
        known = self.known(text, start, end)
        taken = [(m.start, m.end) for m in known]
        proposed = []
        for match in _PROPER.finditer(text, start, end):
            m_start, m_end, name = _trim_name(text, match.start(), match.end())
            if m_end <= m_start or any(s < m_end and m_start < e for s, e in taken):
                continue
            if not _worth_proposing(text, m_start, name, start):
                continue
            actor = ActorEntry(slugify(name), name, _guess_kind(name), known=False)
            proposed.append(Mention(m_start, m_end, name, actor))
        return sorted(known + proposed, key=lambda m: m.start)


def _trim_name(text: str, start: int, end: int) -> tuple[int, int, str]:
    """Leading stop words ("The", "For") and a trailing possessive are not part of a name."""
    name = text[start:end]
    tokens = name.split()
    while tokens and tokens[0].lower().rstrip(":") in NOT_NAMES:
        start = text.index(tokens[0], start) + len(tokens[0])
        while start < end and text[start].isspace():
            start += 1
        tokens.pop(0)
    name = text[start:end]
    for tail in ("'s", "\u2019s"):
        if name.endswith(tail):
            end -= len(tail)
            name = name[: -len(tail)]
    return start, end, name


def _worth_proposing(text: str, at: int, name: str, sentence_start: int) -> bool:
    tokens = name.split()
    if not tokens or any(t.lower() in NOT_NAMES for t in tokens[-1:]):
        return False
    if len(tokens) >= 2:
        return True
    # One capitalised word at the start of a sentence is just the sentence's first word.
    return at > sentence_start and len(name) > 3 and text[at - 2 : at].strip() not in {".", ":"}


def _guess_kind(name: str) -> str:
    tokens = name.lower().split()
    if any(t in ORGANISATION_WORDS for t in tokens):
        return "organization"
    return "person" if 2 <= len(tokens) <= 3 else "organization"
