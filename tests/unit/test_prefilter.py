"""What a pattern's matches must start with: read conservatively, never wrong."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.extraction import lexicon as lx
from domain.extraction.prefilter import heads, quick

PATTERNS = [p for p, _ in lx.RELATION_CUES] + [lx.NEGATIONS, lx.HEDGES, lx.FUTURE, lx.OPINION]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bsign(?:s|ed)?\b", ("sign",)),
        (r"\bstrikes? on\b", ("strike",)),
        (r"\bstrikes* on\b|\bhits+\b", ("strike", "hit")),
        (r"\b(?:met|meets|talks with)\b", ("met", "meets", "talks")),
        (r"\bcritici[sz]", ("critici",)),
        (r"\binva(?:de|sion)\b|\b(?:a(?:b|c)|d)e", ("inva", "a", "d")),
    ],
)
def test_heads_are_the_letters_every_match_of_a_branch_starts_with(pattern, expected):
    assert heads(pattern) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"n't\b",  # no word boundary before it
        r"\bno\b|n't",
        r"\b(?:a|b)?c",  # an optional group
        r"\b(?:a|)c",  # a group that may match nothing
        r"\b(?i:abc)",
        r"\b(abc)",
        r"\b[ab]c",
        r"\b\w+",
        r"(?i)\babc",
        r"\bx{0,2}y",
        r"\bx{2}",
    ],
)
def test_a_pattern_of_another_shape_has_no_heads(pattern):
    assert heads(pattern) is None


def test_every_relation_cue_has_heads_so_none_is_run_on_every_text():
    assert all(heads(pattern) for pattern, _ in lx.RELATION_CUES)


def test_quick_looks_ahead_for_the_first_letters_or_leaves_the_pattern_alone():
    assert quick(r"\bno\b|n't\b|\bwithout\b") == r"(?=[nw])(?:\bno\b|n't\b|\bwithout\b)"
    assert quick(r"\b[ab]c") == r"\b[ab]c"
    assert quick(r"(?i)\babc") == r"(?i)\babc"


matching = st.sampled_from(PATTERNS).flatmap(
    lambda pattern: st.tuples(
        st.just(pattern),
        st.tuples(st.text(max_size=6), st.from_regex(pattern, fullmatch=True), st.text(max_size=6)),
    )
)


@settings(max_examples=500, deadline=None)
@given(matching)
def test_every_match_starts_with_a_head_and_quick_finds_the_same_matches(case):
    pattern, parts = case
    text = "".join(parts)
    found = list(re.finditer(pattern, text))
    assert [m.span() for m in re.finditer(quick(pattern), text)] == [m.span() for m in found]
    starts = heads(pattern)
    if starts is not None:
        for match in found:
            assert any(text.startswith(h, match.start()) for h in starts), (pattern, text)
