"""The faster `features()`, relation cues and negations give exactly what they gave before
(tests/unit/similarity_before.py, a frozen copy): on the seed article, on statements made of the
bench generator's vocabulary, and on generated text full of cue words, names, negations and odd
characters."""

from __future__ import annotations

import random
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.vocabulary import OUTLETS, SYLLABLES, TAGS, TOPICS
from domain.extraction import lexicon as lx
from domain.extraction import signals
from domain.extraction.text import Span, fold, paragraphs, sentences
from domain.similarity import ClaimShape, NameMatcher, features
from domain.similarity.words import STOP_WORDS
from domain.vocabulary import RELATIONS
from tests.unit import similarity_before as before

ROOT = Path(__file__).resolve().parents[2]
SEED = yaml.safe_load((ROOT / "seeds/xi-putin-summit-2022.yaml").read_text(encoding="utf-8"))
SEED_TEXT = (ROOT / "seeds/xi-putin-summit-2022.txt").read_text(encoding="utf-8")
SEED_NAMES = [(n, a["id"]) for a in SEED["actors"] for n in [a["name"], *a["aliases"]]]
NAMES = [*SEED_NAMES, ("Telventh Belna", "telventh-belna-0"), ("Kavi", "kavi-1"), ("us", "us-2")]
NEW, OLD = NameMatcher(NAMES), before.NameMatcher(NAMES)


def words(text: str) -> list[str]:
    return text.split()


CUE_WORDS = words(
    "seek seeks seeking support appeal appealed for sign signs signed signing deal agreement "
    "treaty accord contract joint statement met meet meets meeting talks with summit visit "
    "visited hosts hosting bargain negotiating negotiated stand stands by back backed backing "
    "supports endorse endorsed defend defends military involvement cooperation exercises aid "
    "aids assist assisted help helps economic ties trade payments investment invest alliance "
    "partnership cooperate cooperating demand demanded criticise criticized accuse accused "
    "rejects rejection threat threatens boycott boycotted sanction sanctions derail opposes "
    "opposition conflict against invade invaded invasion attack attacked strike strikes on"
)
NEGATION_WORDS = words(
    "no not never neither nor none nobody nothing n't don't won't without deny denies denied "
    "refuse refused rule ruled rules out"
)
NAME_WORDS = [n for n, _ in NAMES] + ["Chinese", "Russian", "European", "USA", "PRC", "Us"]
GLUE = [" ", " ", " ", ", ", ". ", "_", "-", "'", "\u2019", "\u201c", "(", "5", "1,000", "3.5"]
ODD = ["\u00e9", "\u00c9", "\u00df", "\u0130", "\u00bd", "\u00b2", "\u0660", "\u00a0", "\n"]
PIECES = CUE_WORDS + NEGATION_WORDS + NAME_WORDS + sorted(STOP_WORDS)[:40] + ODD + TOPICS

piece = st.sampled_from(PIECES) | st.sampled_from(CUE_WORDS).map(str.upper) | st.text(max_size=3)
texts = st.lists(st.tuples(piece, st.sampled_from(GLUE)), max_size=40).map(
    lambda parts: "".join(p + g for p, g in parts)
) | st.text(max_size=80)
# Text around a match of each cue pattern and of the negations, as hypothesis writes them.
cue_matches = st.sampled_from([p for p, _ in lx.RELATION_CUES] + [lx.NEGATIONS]).flatmap(
    lambda pattern: st.from_regex(pattern, fullmatch=True)
)
around_matches = st.tuples(texts, cue_matches, st.sampled_from(GLUE), texts).map("".join)
shapes = st.builds(
    ClaimShape,
    texts,
    st.sampled_from(["china", "russia", "kavi-1"]),
    st.sampled_from(sorted(RELATIONS)),
    st.sampled_from([None, "russia", "us"]),
    st.booleans(),
)


def assert_same_features(shape: ClaimShape) -> None:
    assert features(shape, NEW) == before.features(shape, OLD), shape.statement


def test_the_seed_article_gives_the_same_features():
    statements = [c["statement"] for c in SEED["claims"]] + [
        c["appearance"]["exact"] for c in SEED["claims"]
    ]
    statements += [s.text for s in sentences(SEED_TEXT)]
    statements += [SEED_TEXT[p.start : p.end] for p in paragraphs(SEED_TEXT)] + [SEED_TEXT]
    for i, statement in enumerate(statements):
        for negated in (False, True):
            obj = "russia" if i % 3 else None
            assert_same_features(ClaimShape(statement, "china", "supports", obj, negated))


def bench_statement(rng: random.Random) -> str:
    def name() -> str:
        words = rng.choice([1, 1, 2])
        parts = [
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(words)
        ]
        return " ".join(p.capitalize() for p in parts)

    relation = rng.choice(sorted(RELATIONS)).replace("_", " ")
    item = f"item {rng.randrange(1000)}.{rng.randrange(24)}."
    if rng.random() < 0.1:
        return f"{name()} made a statement on {rng.choice(TOPICS)}, {item}"
    tail = rng.choice(["", f" ({rng.choice(OUTLETS)}, {rng.choice(TAGS)})"])
    return f"{name()} {relation} {name()} over {rng.choice(TOPICS)}, {item}{tail}"


def test_statements_of_the_bench_vocabulary_give_the_same_features():
    rng = random.Random(7)
    bench_names = [
        (f"{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}".capitalize(), f"b-{i}")
        for i in range(300)
    ]
    new, old = NameMatcher(NAMES + bench_names), before.NameMatcher(NAMES + bench_names)
    for _ in range(3000):
        shape = ClaimShape(bench_statement(rng), "kavi-1", rng.choice(sorted(RELATIONS)), "b-3")
        assert features(shape, new) == before.features(shape, old), shape.statement


@settings(max_examples=400, deadline=None)
@given(shapes | around_matches.map(lambda text: ClaimShape(text, "china", "supports")))
def test_generated_statements_give_the_same_features(shape):
    assert_same_features(shape)


@settings(max_examples=400, deadline=None)
@given(texts | around_matches, st.data())
def test_relation_cues_and_negations_are_unchanged_in_any_span(text, data):
    folded = fold(text)
    start = data.draw(st.integers(0, len(folded)))
    span = Span(start, data.draw(st.integers(start, len(folded))))
    assert signals.relation_cues(folded, span) == before.relation_cues(folded, span)
    assert signals.relation_cue(folded, span) == before.relation_cue(folded, span)
    assert signals.negations(folded, span) == [
        signals.Hit("negation", m.start(), m.end(), m.group())
        for m in before._NEGATION.finditer(folded, span.start, span.end)
    ]
    cues = before.relation_cues(folded, span)
    spans = signals.cue_spans(folded, span.start, span.end)
    assert sorted(spans) == sorted((c.start, c.end, c.value) for c in cues)
    assert signals.negated(folded) == bool(before._NEGATION.search(folded))


def test_relation_cues_are_unchanged_on_every_sentence_of_the_seed_article():
    folded = fold(SEED_TEXT)
    spans = [Span(s.start, s.end) for s in sentences(SEED_TEXT)] + [Span(0, len(folded))]
    for span in spans:
        assert signals.relation_cues(folded, span) == before.relation_cues(folded, span)
        assert signals.relation_cue(folded, span) == before.relation_cue(folded, span)


def test_each_cue_word_alone_and_after_a_digit_or_underscore_gives_the_same_cues():
    """The search for heads skips no cue, where a word boundary is and where it is not."""
    for word in CUE_WORDS:
        for text in (word, f"x {word} y", f"{word}s.", f"_{word}", f"5{word}"):
            folded = fold(text)
            span = Span(0, len(folded))
            assert signals.relation_cues(folded, span) == before.relation_cues(folded, span)
