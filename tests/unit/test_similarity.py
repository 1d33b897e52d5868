"""Similar claims in the domain: features, the score, and which indexed claims get scored."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.similarity import ClaimShape, NameMatcher, features, rank, score
from domain.similarity.features import may_mention, wordless
from domain.similarity.scoring import bounds, indexed, worth_scoring
from domain.similarity.words import stem

NAMES = NameMatcher(
    [
        ("China", "china"),
        ("Beijing", "china"),
        ("Bejing", "china"),
        ("Russia", "russia"),
        ("Moscow", "russia"),
        ("United States", "united-states"),
        ("US", "united-states"),
        ("NATO", "nato"),
        ("Vladimir Putin", "vladimir-putin"),
        ("Putin", "vladimir-putin"),
    ]
)


def feats(statement: str, subject="china", relation="supports", obj="russia", negated=False):
    return features(ClaimShape(statement, subject, relation, obj, negated), NAMES)


def test_aliases_and_a_paraphrased_verb_give_the_same_features():
    beijing = feats("Bejing backs Moscow")
    china = feats("China supports Russia")

    assert beijing == china
    assert score(beijing, china) == 1.0


def test_word_order_and_inflection_do_not_matter():
    active = feats("China supports Russia's demands for security guarantees")
    passive = feats("Russia's security demands were supported by China, guaranteed")

    assert score(active, passive) >= 0.9


def test_a_demonym_names_its_actor_and_a_short_name_keeps_its_case():
    assert "a:china" in feats("Chinese support for Russia")
    assert "a:united-states" in feats("The US sanctions Russia", "united-states", "sanctions")
    assert "a:united-states" not in feats("Let us talk to Russia")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("supports", "support"),
        ("supported", "support"),
        ("supporting", "support"),
        ("countries", "country"),
        ("increased", "increas"),
        ("increase", "increas"),
        ("planned", "plan"),
        ("met", "meet"),
        ("criticizes", "criticis"),
        ("criticises", "criticis"),
    ],
)
def test_stems(word, expected):
    assert stem(word) == expected


def test_another_relation_or_topic_scores_below_the_threshold():
    grain = feats("China supports Russia over grain exports")

    assert (
        score(grain, feats("China criticizes Russia over grain exports", relation="criticizes"))
        <= 0.5
    )
    assert score(grain, feats("China supports Russia over energy supplies")) < 0.7
    assert score(grain, feats("Germany sanctions Iran", "germany", "sanctions", "iran")) == 0.0


def test_a_negated_claim_is_not_a_duplicate_of_its_affirmation():
    affirmed = feats("China supports Russia")
    denied = feats("China does not support Russia", negated=True)

    assert "x:not" in denied and "t:!china>supports>russia" in denied
    assert score(affirmed, denied) < 0.7


def test_numbers_count():
    assert "n:400" in feats("China and Russia signed a $400 billion gas deal")
    assert "n:1000" in feats("Russia sent 1,000 troops")


def test_the_score_is_symmetric_bounded_and_one_only_for_equal_features():
    a, b = feats("China backs Russia on NATO"), feats("Beijing supports Moscow")

    assert score(a, b) == score(b, a)
    assert 0.0 < score(a, b) < 1.0
    assert score(a, a) == 1.0
    assert score(frozenset(), frozenset()) == 0.0


def test_relations_get_no_posting_lists():
    assert all(not f.startswith("r:") for f in indexed(feats("China backs Russia")))


def test_rank_excludes_the_claim_itself_and_orders_by_score_then_by_log_order():
    query = feats("China supports Russia")
    same, close = feats("Bejing backs Moscow"), feats("China supports Russia's demands")
    scored = [(9, "later-twin", same), (3, "self", query), (5, "close", close), (2, "twin", same)]

    found = rank(query, scored, 0.5, 10, exclude="self")

    assert [(s.id, s.score) for s in found] == [
        ("twin", 1.0),
        ("later-twin", 1.0),
        ("close", score(query, close)),
    ]
    assert rank(query, scored, 0.5, 1, exclude="self")[0].id == "twin"


def test_claims_that_cannot_reach_the_threshold_are_not_scored():
    query = feats("China supports Russia over grain exports")  # weight 9
    postings = {"w:grain": [1, 2], "w:export": [2], "a:china": [1, 2, 3]}

    found = bounds(query, postings)

    assert found == {1: 3.0, 2: 4.0, 3: 2.0}
    assert worth_scoring(query, found, 0.4, 10) == [2]  # 0.4 * 9 = 3.6


def test_a_common_feature_counts_as_possibly_shared():
    query = feats("China supports Russia over grain exports")
    postings = {"a:china": [7, 6], "w:grain": [1]}  # a:china read in part, a:russia not at all

    found = bounds(query, postings, cut={"a:china", "a:russia"})

    assert found == {7: 4.0, 6: 4.0, 1: 5.0}
    assert worth_scoring(query, found, 0.4, 2) == [1, 6]


WORDS = ["US", "us", "Us", "the", "The", "THE", "Who", "whö", "WHO", "backs", "China", "U.S.", "a"]


@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=8),
    st.sampled_from(["US", "The Who", "WHO", "U.S.", "A"]),
)
def test_a_statement_whose_features_a_new_name_changes_may_mention_it(words, name):
    """What lets the similar view re-read only some claims when it learns a name none of
    whose words is a feature: may_mention is never False where the name changes features."""
    assert wordless(name)
    statement = " ".join(words)
    before = NameMatcher([("China", "china")])
    after = NameMatcher([("China", "china"), (name, "new-actor")])
    shape = ClaimShape(statement, "china", "supports")
    if features(shape, before) != features(shape, after):
        assert may_mention(statement, name)
