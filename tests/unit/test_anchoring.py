import random

import pytest

from domain.anchoring import CONTEXT, Anchor, _fold_char, locate, normalize, normalized
from domain.errors import QuoteAmbiguousError, QuoteNotFoundError
from tests.unit.helpers import QUOTE, SEED_TEXT


def assert_anchored_in(text: str, anchor: Anchor) -> None:
    """The anchor is made of the text's own characters, with its own offsets and context."""
    assert text[anchor.start : anchor.end] == anchor.exact
    assert anchor.prefix == text[max(0, anchor.start - CONTEXT) : anchor.start]
    assert anchor.suffix == text[anchor.end : anchor.end + CONTEXT]


def test_an_exact_quote_is_found_at_its_offsets_in_the_source():
    anchor = locate(SEED_TEXT, QUOTE)
    assert anchor.exact == QUOTE
    assert anchor.start == SEED_TEXT.index(QUOTE)
    assert anchor.end == anchor.start + len(QUOTE)
    assert_anchored_in(SEED_TEXT, anchor)


def test_the_prefix_and_suffix_are_the_32_characters_around_the_quote():
    anchor = locate(SEED_TEXT, QUOTE)
    assert anchor.prefix == 'aide in Russia, announced that "'
    assert anchor.suffix == ", China shares the stance that s"
    assert len(anchor.prefix) == len(anchor.suffix) == CONTEXT == 32


def test_the_context_is_shorter_at_the_edges_of_the_text():
    first = locate(SEED_TEXT, "Shortly after the world leaders")
    assert (first.start, first.prefix) == (0, "")
    last = locate(SEED_TEXT, "Post a Comment")
    assert last.suffix == ""
    assert last.end == len(SEED_TEXT)
    assert_anchored_in(SEED_TEXT, first)
    assert_anchored_in(SEED_TEXT, last)


def test_curly_quotes_in_the_quote_match_straight_quotes_in_the_source():
    anchor = locate(SEED_TEXT, "Beijing supports Russia\u2019s demands on security guarantees")
    assert anchor.exact == QUOTE
    quoted = locate(SEED_TEXT, "stand by Russia\u2019s \u201csecurity concerns\u201d regarding")
    assert quoted.exact == 'stand by Russia\'s "security concerns" regarding'
    assert_anchored_in(SEED_TEXT, quoted)


def test_straight_quotes_in_the_quote_match_curly_quotes_in_the_source():
    text = "Ushakov said \u201cBeijing supports Russia\u2019s demands\u201d today."
    anchor = locate(text, '"Beijing supports Russia\'s demands"')
    assert anchor.exact == "\u201cBeijing supports Russia\u2019s demands\u201d"
    assert_anchored_in(text, anchor)


def test_runs_of_white_space_and_line_breaks_are_one_space():
    anchor = locate(SEED_TEXT, "between China and Russia. With the unfolding crisis")
    assert anchor.exact == "between China and Russia.\nWith the unfolding crisis"
    spaced = locate(SEED_TEXT, "  Beijing   supports\n\tRussia's demands  ")
    assert spaced.exact == "Beijing supports Russia's demands"
    assert_anchored_in(SEED_TEXT, anchor)
    assert_anchored_in(SEED_TEXT, spaced)


def test_a_quote_in_one_line_matches_a_source_broken_over_several():
    text = "Putin also noted joint efforts\n   to expand payments  in national currencies."
    anchor = locate(text, "joint efforts to expand payments in national currencies")
    assert anchor.exact == "joint efforts\n   to expand payments  in national currencies"
    assert_anchored_in(text, anchor)


def test_en_and_em_dashes_match_a_hyphen():
    anchor = locate(SEED_TEXT, "this 21st\u2013century quasi\u2014alliance")
    assert anchor.exact == "this 21st-century quasi-alliance"
    text = "a 30\u2013year gas deal"
    assert locate(text, "30-year gas").exact == "30\u2013year gas"


def test_a_ligature_matches_its_letters_either_way():
    anchor = locate(SEED_TEXT, "in de\ufb01ance against Western criticism")
    assert anchor.exact == "in defiance against Western criticism"
    text = "signed in de\ufb01ance of Western criticism"
    reverse = locate(text, "in defiance of")
    assert reverse.exact == "in de\ufb01ance of"
    assert_anchored_in(text, reverse)


def test_a_non_breaking_space_matches_a_space_either_way():
    assert locate(SEED_TEXT, "a $400\u00a0billion 30-year").exact == "a $400 billion 30-year"
    text = "a $400\u00a0billion deal"
    anchor = locate(text, "$400 billion deal")
    assert anchor.exact == "$400\u00a0billion deal"
    assert_anchored_in(text, anchor)


def test_composed_and_decomposed_accents_match_either_way():
    composed = "Talks at the \u00c9lys\u00e9e Palace ended."
    decomposed = "Talks at the E\u0301lyse\u0301e Palace ended."
    anchor = locate(composed, "the E\u0301lyse\u0301e Palace")
    assert anchor.exact == "the \u00c9lys\u00e9e Palace"
    assert_anchored_in(composed, anchor)
    reverse = locate(decomposed, "the \u00c9lys\u00e9e Palace")
    assert reverse.exact == "the E\u0301lyse\u0301e Palace"
    assert_anchored_in(decomposed, reverse)


def test_the_anchor_keeps_the_sources_characters_not_the_quotes():
    text = "He called it a \u201cnew era\u201d \u2014 and a\u00a0turning point."
    anchor = locate(text, '"new era" - and a turning point')
    assert anchor.exact == "\u201cnew era\u201d \u2014 and a\u00a0turning point"
    assert_anchored_in(text, anchor)


def test_a_quote_absent_from_the_source_is_not_found():
    with pytest.raises(QuoteNotFoundError):
        locate(SEED_TEXT, "Beijing opposes Russia's demands on security guarantees")


@pytest.mark.parametrize("quote", ["", "   ", "\n\t"])
def test_an_empty_quote_is_not_found(quote):
    with pytest.raises(QuoteNotFoundError):
        locate(SEED_TEXT, quote)


def test_a_repeated_quote_is_ambiguous_and_says_how_often_it_occurs():
    with pytest.raises(QuoteAmbiguousError) as raised:
        locate(SEED_TEXT, "China")
    assert raised.value.extra["occurrences"] == SEED_TEXT.count("China") == 7


def test_a_prefix_tells_repeated_occurrences_apart():
    anchor = locate(SEED_TEXT, "China", prefix="director of the GLobal ")
    assert anchor.suffix.startswith(" Hub stated")
    assert_anchored_in(SEED_TEXT, anchor)


def test_a_suffix_tells_repeated_occurrences_apart():
    anchor = locate(SEED_TEXT, "China", suffix=" shares the stance")
    assert anchor.prefix.endswith("security guarantees, ")
    assert_anchored_in(SEED_TEXT, anchor)


def test_a_prefix_with_curly_quotes_still_tells_occurrences_apart():
    anchor = locate(SEED_TEXT, "Beijing", prefix="Russia, announced that \u201c")
    assert anchor.start == SEED_TEXT.index(QUOTE)


def test_prefix_and_suffix_together_pick_one_occurrence():
    anchor = locate(SEED_TEXT, "Russia", prefix="views of", suffix="and China on key")
    assert SEED_TEXT[anchor.start - 9 : anchor.end] == "views of Russia"
    assert_anchored_in(SEED_TEXT, anchor)


def test_a_suffix_shared_by_several_occurrences_stays_ambiguous():
    assert SEED_TEXT.count("Russia's") == 2
    with pytest.raises(QuoteAmbiguousError) as raised:
        locate(SEED_TEXT, "Russia", suffix="\u2019s")
    assert raised.value.extra["occurrences"] == 2
    anchor = locate(SEED_TEXT, "Russia", suffix="'s demands")
    assert anchor.start == SEED_TEXT.index("Russia's demands")


def test_a_prefix_that_precedes_no_occurrence_is_not_found():
    with pytest.raises(QuoteNotFoundError):
        locate(SEED_TEXT, "China", prefix="Taiwan and ")


def test_a_suffix_that_follows_no_occurrence_is_not_found():
    with pytest.raises(QuoteNotFoundError):
        locate(SEED_TEXT, "China", suffix=" invades")


def test_a_quote_does_not_match_the_bare_letter_of_an_accented_character() -> None:
    with pytest.raises(QuoteNotFoundError):
        locate("un café noir", "un cafe")


def test_a_quote_with_the_accent_matches_either_composition() -> None:
    assert locate("un cafe\u0301 noir", "café").exact == "cafe\u0301"


def _general_form(text: str) -> tuple[str, list[int]]:
    """normalize() without its ASCII shortcut: every character through the general path."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            if out and out[-1] == " ":
                continue
            out.append(" ")
            origin.append(index)
            continue
        for folded in _fold_char(char):
            out.append(folded)
            origin.append(index)
    return "".join(out), origin


def test_the_ascii_shortcut_normalises_exactly_as_the_general_path() -> None:
    rng = random.Random(7)
    alphabet = "ab c\t\n  xy.Z,'\r\x0b\x0c\x1c\x1f"  # ASCII, with every kind of space
    texts = ["", " ", "  a  ", "a\n\n b", SEED_TEXT.encode("ascii", "ignore").decode()]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for text in texts:
        assert text.isascii()
        assert normalize(text) == _general_form(text), repr(text)


def test_a_kept_index_anchors_exactly_as_normalising_the_text_each_time() -> None:
    index = normalized(SEED_TEXT)
    for quote, prefix in ((QUOTE, ""), ("Shortly after the world leaders", "")):
        assert locate(SEED_TEXT, quote, prefix, index=index) == locate(SEED_TEXT, quote, prefix)
    curly = "caf\u00e9 \u201cquoted\u201d \u2014 text"
    assert locate(curly, '"quoted" - text', index=normalized(curly)) == locate(
        curly, '"quoted" - text'
    )
