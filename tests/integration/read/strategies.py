"""Hypothesis strategies for request bodies of every command and for ClaimReview items in the
wild. Bodies are JSON values as the API receives them; the property test validates them with
the API's own models, so what it runs is what the API would accept."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from domain.values import ActorKind, ClaimKind, DisputeOutcome, LinkRelation, SourceKind, Stance
from domain.vocabulary import RELATIONS, Verdict
from infra.store.limits import MAX_DEPTH

# What the API reads: no NUL (refused at the door) and no lone surrogates (no JSON parser of
# the API lets one through pydantic's str).
CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
WILD = st.characters()  # what a ClaimReview file may hold, surrogates and NUL included


def text(min_size: int = 1, max_size: int = 40) -> st.SearchStrategy[str]:
    return st.text(CHARS, min_size=min_size, max_size=max_size)


SLUG = st.from_regex(r"[a-z0-9][a-z0-9-]{0,15}", fullmatch=True)
TAG = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,15}", fullmatch=True)
URL = st.builds(
    "https://{}.example/{}".format, SLUG, st.from_regex(r"[A-Za-z0-9._~%-]{0,20}", fullmatch=True)
)


@st.composite
def partial_date(draw: Any) -> str:
    day: date = draw(st.dates(min_value=date(1000, 1, 1), max_value=date(2100, 12, 31)))
    return day.isoformat()[: draw(st.sampled_from([4, 7, 10]))]


NUMBER = st.one_of(
    st.integers(-(10**15) + 1, 10**15 - 1),
    st.decimals(-(10**9), 10**9, allow_nan=False, allow_infinity=False, places=4).map(str),
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False).map(lambda f: round(f, 3)),
)


def actor(names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"id": SLUG, "name": text(), "kind": st.sampled_from([k.value for k in ActorKind])},
        optional={
            "aliases": st.lists(text(), max_size=3),
            "external_ids": st.dictionaries(text(max_size=10), text(), max_size=3),
            "affiliations": st.lists(st.sampled_from(names), max_size=2) if names else st.just([]),
        },
    )


def source() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"url": URL, "title": text(max_size=80), "text": text(20, 400)},
        optional={
            "publisher": text(),
            "authors": st.lists(text(), max_size=3),
            "published_on": partial_date(),
            "kind": st.sampled_from([k.value for k in SourceKind]),
            "language": st.sampled_from(["en", "fr", "zh-Hans", "pt-BR"]),
        },
    )


KNOWN_RELATION = st.sampled_from([*RELATIONS, *(code for code, _ in RELATIONS.values())])
RELATION = st.one_of(KNOWN_RELATION, KNOWN_RELATION, KNOWN_RELATION, text(max_size=10))
QUANTITY = st.fixed_dictionaries(
    {"value": NUMBER, "unit": text(max_size=10)}, optional={"about": text()}
)


def claim(actors: list[str], quote: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    known = st.sampled_from(actors)
    who = st.one_of(*[known] * 9, text(max_size=20))  # now and then a name nobody registered
    return st.fixed_dictionaries(
        {
            "statement": text(max_size=120),
            "kind": st.sampled_from([k.value for k in ClaimKind]),
            "subject": who,
            "relation": RELATION,
            "appearance": st.just(quote),
        },
        optional={
            "object": who,
            "about": st.lists(who, max_size=3),
            "claimant": who,
            "occurred_on": partial_date(),
            "quantities": st.lists(QUANTITY, max_size=3),
            "tags": st.lists(TAG, max_size=3),
            "negated": st.booleans(),
        },
    )


@st.composite
def rating(draw: Any) -> dict[str, Any]:
    low, high = sorted(draw(st.lists(NUMBER, min_size=2, max_size=2, unique_by=str)), key=float)
    value = draw(st.sampled_from([low, high]))
    return {"value": value, "best": high, "worst": low}


def follow_up(kind: str, actors: list[str], quote: dict[str, Any]) -> st.SearchStrategy[Any]:
    """The body of a command on a recorded claim (or an actor, for an alias)."""
    stance = st.sampled_from([s.value for s in Stance])
    bodies: dict[str, st.SearchStrategy[Any]] = {
        "appearance": st.just(quote),
        "evidence": st.fixed_dictionaries(
            {"stance": stance, "note": text()}, optional={"url": URL}
        ),
        "dispute": st.fixed_dictionaries({"reason": text()}),
        "resolution": st.fixed_dictionaries(
            {"outcome": st.sampled_from([o.value for o in DisputeOutcome]), "note": text()}
        ),
        "review": st.fixed_dictionaries(
            {"verdict": st.sampled_from([v.value for v in Verdict]), "explanation": text()},
            optional={"label": text(max_size=50), "url": URL, "rating": rating()},
        ),
        "correction": st.fixed_dictionaries(
            {"reason": text(), "statement": text(max_size=120)},
            optional={
                "occurred_on": partial_date(),
                "relation": RELATION,
                "quantities": st.lists(QUANTITY, max_size=2),
            },
        ),
        "retraction": st.fixed_dictionaries({"reason": text()}),
        "link": st.fixed_dictionaries(
            {"relation": st.sampled_from([r.value for r in LinkRelation])}
        ),
        "alias": st.fixed_dictionaries({"alias": text()}),
    }
    return bodies[kind]


# In this order on one claim (a retraction ends what may be added).
FOLLOW_UPS = [
    "appearance",
    "evidence",
    "dispute",
    "resolution",
    "review",
    "correction",
    "link",
    "alias",
    "retraction",
]

JSON_LEAF = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(WILD, max_size=10)
    | st.decimals().map(str)
)
JSON = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(WILD, max_size=5), inner),
    max_leaves=12,
)


def nested(levels: int) -> Any:
    value: Any = []
    for _ in range(levels - 1):
        value = [value]
    return value


WILD_NUMBER = (
    NUMBER
    | st.floats()
    | st.integers()
    | text(max_size=8)
    | st.sampled_from(["Infinity", "-Infinity", "NaN", "sNaN", "1e999999999", "1e-40", "4/5"])
)


def claim_review() -> st.SearchStrategy[dict[str, Any]]:
    """A ClaimReview item as found in the wild: any of it may be missing, odd or out of
    bounds (the import then reports the item)."""
    rating = st.fixed_dictionaries(
        {"alternateName": text(max_size=30) | st.sampled_from(["False", "Mostly true"])},
        optional={
            "ratingValue": WILD_NUMBER,
            "bestRating": WILD_NUMBER,
            "worstRating": WILD_NUMBER,
        },
    )
    reviewed = st.fixed_dictionaries(
        {"@type": st.just("Claim")},
        optional={
            "author": st.fixed_dictionaries(
                {"@type": st.sampled_from(["Person", "Organization"]), "name": text()}
            )
            | text(),
            "datePublished": partial_date() | text(max_size=20),
            "appearance": st.lists(
                st.fixed_dictionaries({"url": URL}, optional={"headline": text()}), max_size=2
            ),
        },
    )
    return st.fixed_dictionaries(
        {
            "@type": st.just("ClaimReview"),
            "url": URL,
            "claimReviewed": text(max_size=100),
            "reviewRating": st.one_of(rating, rating, rating, JSON),
        },
        optional={
            "itemReviewed": reviewed,
            "reviewBody": text(max_size=100),
            "extra": JSON | st.integers(1, MAX_DEPTH + 3).map(nested),
        },
    )
