"""Actor names in a statement, found by their words: a name, an alias or a demonym of a
registry actor becomes that actor's id ("Bejing" -> china, "Chinese" -> china).

Matching looks names up by their sequence of folded tokens, longest first, so its cost does
not grow with the size of the registry. Short names keep their case ("US" is a state, "us"
a pronoun), as in candidate extraction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from domain.extraction.actors import case_sensitive
from domain.extraction.lexicon import DEMONYMS
from domain.extraction.text import fold

TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+")


class Token(NamedTuple):  # a tuple: made several times faster than a frozen dataclass
    start: int
    end: int
    text: str  # folded


def tokens(folded: str) -> list[Token]:
    # tuple.__new__ skips the generated Token.__new__: a quarter of the cost of a statement's tokens
    return [_new(Token, (m.start(), m.end(), m.group())) for m in TOKEN.finditer(folded)]


_new = tuple.__new__


def name_key(name: str) -> tuple[str, ...]:
    return tuple(t.text for t in tokens(fold(name)))


class Mention(NamedTuple):  # a tuple, as Token
    first: int  # index of the first token
    last: int  # index past the last token
    actor: str


class NameMatcher:
    """Finds registry actors in a text by their names, aliases and demonyms."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        """`names`: (name or alias, actor id) pairs; for two actors with one name, the first
        in sorted order holds it."""
        self.keys: dict[tuple[str, ...], tuple[str, str | None]] = {}
        for name, actor in sorted(names):
            key = name_key(name)
            if key:
                self.keys.setdefault(key, (actor, name if case_sensitive(name) else None))
        for demonym, name in sorted(DEMONYMS.items()):
            held = self.keys.get(name_key(name))
            if held is not None:
                self.keys.setdefault((demonym,), (held[0], None))
        self.longest = max((len(k) for k in self.keys), default=0)
        # By first token: the lengths of the keys that start with it, longest first, so a
        # token that starts no name costs one lookup instead of one per possible length.
        lengths: dict[str, set[int]] = {}
        for key in self.keys:
            lengths.setdefault(key[0], set()).add(len(key))
        self.lengths = {first: sorted(sizes, reverse=True) for first, sizes in lengths.items()}

    def find(self, text: str, found: list[Token]) -> list[Mention]:
        """Mentions in `found` (the tokens of fold(text)), left to right, longest first."""
        mentions: list[Mention] = []
        after, lengths = 0, self.lengths
        for i, token in enumerate(found):
            # most tokens start no name: one lookup here, not a call of _at
            if i < after or token.text not in lengths:
                continue
            mention = self._at(text, found, i)
            if mention is not None:
                mentions.append(mention)
                after = mention.last
        return mentions

    def _at(self, text: str, found: list[Token], i: int) -> Mention | None:
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
            return Mention(i, i + size, actor)
        return None
