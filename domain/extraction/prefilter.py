"""What the matches of a pattern must start with, read off the pattern, so that searches
skip text that cannot match: most statements have one or two relation cues among the
twenty-odd patterns, and running every pattern over every statement, or an alternation of
words at every character, was most of the cost of comparing claims.

Both readings are conservative: for a pattern of a shape they do not know, `heads` gives None
and `quick` the pattern as it is, and the pattern is then run as before, so a search's
answer never depends on reading a pattern right:

- `heads(pattern)`: runs of letters that every match of one branch must start with, right
  after a word boundary (`\\bsign(?:s|ed)?` -> "sign", `\\b(?:met|summit)\\b` -> "met",
  "summit");
- `quick(pattern)`: the pattern behind a lookahead for the letters its matches can start
  with, an equivalent pattern that `re` searches by skipping other characters.
"""

from __future__ import annotations

import string

_LETTERS = frozenset(string.ascii_lowercase)
_QUANTIFIERS = frozenset("?*+{")  # after a letter or a group: read no further than before it


def heads(pattern: str) -> tuple[str, ...] | None:
    """The heads of each top-level branch of `pattern`, or None if one has none."""
    found: list[str] = []
    for branch in _branches(pattern):
        if not branch.startswith(r"\b"):
            return None
        words = _leading(branch[2:])
        if words is None:
            return None
        found += words
    return tuple(found)


def quick(pattern: str) -> str:
    """`pattern`, or an equivalent one that first checks the letter its match starts with."""
    firsts: set[str] = set()
    for branch in _branches(pattern):
        while branch.startswith(r"\b"):  # zero-width: the match still starts at the letter
            branch = branch[2:]
        words = _leading(branch)
        if words is None:
            return pattern
        firsts.update(word[0] for word in words)
    return f"(?=[{''.join(sorted(firsts))}])(?:{pattern})"


def _leading(text: str) -> list[str] | None:
    """The letters every match of `text` starts with: a literal run, or the branches of a
    leading non-capturing group that is not optional."""
    if text.startswith("(?:"):
        close = _closing(text)
        if close is None or text[close + 1 : close + 2] in _QUANTIFIERS:
            return None
        found: list[str] = []
        for branch in _branches(text[3:close]):
            words = _leading(branch)
            if words is None:
                return None
            found += words
        return found
    run = 0
    while run < len(text) and text[run] in _LETTERS:
        run += 1
    if text[run : run + 1] in _QUANTIFIERS:
        run -= 1
    return [text[:run]] if run > 0 else None


def _branches(pattern: str) -> list[str]:
    """`pattern` split at its top-level `|` (not inside a group, a class or an escape)."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 1
        elif char == "[":
            i = _class_end(pattern, i)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _class_end(pattern: str, i: int) -> int:
    """The index of the `]` that closes the class opened at `i`."""
    i += 1
    if pattern[i : i + 1] == "^":
        i += 1
    if pattern[i : i + 1] == "]":  # a leading "]" is a member
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i


def _closing(text: str) -> int | None:
    """The index of the `)` that closes the group opened at 0."""
    depth, i = 0, 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 1
        elif char == "[":
            i = _class_end(text, i)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None
