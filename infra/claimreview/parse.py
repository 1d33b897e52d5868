"""Reading ClaimReview JSON-LD as it is found in the wild.

Tolerated: `@graph` wrappers, arrays, nesting, ratings as strings or missing, the legacy
`itemReviewed: CreativeWork`, non-ISO dates ("2020-06-24 00:03", "June 24, 2020"), authors as
strings, objects or lists. Anything that cannot become a claim and its review is an
ImportItemError naming what is wrong, and so is an item beyond what the views can hold
(infra/store/limits.py: nesting, numbers, text), or a rating that is a number but not a finite
one of bounded size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dateutil import parser as dateparser

from domain.errors import InvalidValueError
from domain.values import PartialDate, Rating
from domain.vocabulary import Verdict
from infra.languages import maybe_language_tag
from infra.store.limits import InputLimitError, check_json, number

MAX_STATEMENT = 2000


class ImportItemError(ValueError):
    """Raised when one ClaimReview item cannot be imported (the others still can)."""


@dataclass(frozen=True)
class ParsedReview:
    statement: str
    claimant: str | None
    claimant_is_person: bool
    claim_date: PartialDate | None
    appearance_url: str | None
    appearance_title: str | None
    review_url: str | None
    label: str
    verdict: Verdict
    rating: Rating | None
    explanation: str
    original: dict[str, Any]
    language: str | None = None  # inLanguage, when a valid BCP-47 tag


def claim_reviews(document: Any) -> list[dict[str, Any]]:
    """Every object typed ClaimReview in a document (any nesting, @graph, arrays), in document
    order. Iterative: a document nested as deep as JSON parsers allow is no RecursionError."""
    found: list[dict[str, Any]] = []
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack += reversed(node)
        elif isinstance(node, dict):
            if "ClaimReview" in _types(node):
                found.append(node)
            else:
                stack += reversed(list(node.values()))
    return found


def parse(item: dict[str, Any]) -> ParsedReview:
    try:
        # The item is kept verbatim on its event: Python's json reads NaN and Infinity, which
        # no canonical encoding (the audit leaf) can hold, and nesting no view can encode.
        check_json(item)
    except InputLimitError as exc:
        raise ImportItemError(str(exc)) from None
    statement = _text(item.get("claimReviewed"))
    reviewed = _object(item.get("itemReviewed"))
    if not statement:
        statement = _text(reviewed.get("name") or reviewed.get("text") or reviewed.get("headline"))
    if not statement:
        raise ImportItemError("no claimReviewed (and no itemReviewed name or text)")
    rating = _object(item.get("reviewRating"))
    label = _text(rating.get("alternateName") or rating.get("name"))
    numbers = _rating(rating)
    if not label and numbers is None:
        raise ImportItemError("reviewRating has neither alternateName nor numeric values")
    author = _first(reviewed.get("author")) or {}
    appearance = _first(reviewed.get("appearance") or reviewed.get("firstAppearance")) or {}
    appearance = {"url": appearance} if isinstance(appearance, str) else _object(appearance)
    verdict = _verdict(label, numbers)
    return ParsedReview(
        statement=" ".join(statement.split())[:MAX_STATEMENT],
        claimant=_text(author.get("name")) if isinstance(author, dict) else _text(author),
        claimant_is_person="Person" in _types(author) if isinstance(author, dict) else False,
        claim_date=_date(reviewed.get("datePublished")),
        appearance_url=_url(appearance.get("url")) or _url(reviewed.get("url")),
        appearance_title=_text(appearance.get("headline") or appearance.get("name")),
        review_url=_url(item.get("url")),
        label=label or verdict.value.replace("_", " ").title(),
        verdict=verdict,
        rating=numbers,
        explanation=_text(item.get("reviewBody") or item.get("description"))
        or label
        or verdict.value,
        original=item,
        language=_language(item.get("inLanguage")) or _language(reviewed.get("inLanguage")),
    )


def _language(value: Any) -> str | None:
    """schema.org inLanguage: a BCP-47 text, or a Language with it as alternateName or name."""
    value = _first(value)
    if isinstance(value, dict):
        return maybe_language_tag(value.get("alternateName")) or maybe_language_tag(
            value.get("name")
        )
    return maybe_language_tag(value)


# Most specific first: "mostly false" must be read before "false".
_LABELS: list[tuple[str, Verdict]] = [
    (r"mostly false|largely false|mostly inaccurate", Verdict.MOSTLY_FALSE),
    (r"mostly true|mostly correct|largely accurate", Verdict.MOSTLY_TRUE),
    (r"half[- ]true|mixture|mixed|partly|partially", Verdict.MIXED),
    (r"misleading|missing context|out of context|exaggerat|distort", Verdict.MISLEADING),
    (r"satire|parody", Verdict.SATIRE),
    (r"unproven|unverified|unsupported|no evidence|unverifiable|unclear", Verdict.UNVERIFIABLE),
    (r"opinion", Verdict.OPINION),
    (r"pants on fire|\bfalse\b|\bfake\b|incorrect|wrong|hoax|baseless", Verdict.FALSE),
    (r"\btrue\b|correct|accurate", Verdict.TRUE),
]


def _verdict(label: str | None, rating: Rating | None) -> Verdict:
    text = (label or "").casefold()
    for pattern, verdict in _LABELS:
        if text and re.search(pattern, text):
            return verdict
    if rating is not None:
        share = (rating.value - rating.worst) / (rating.best - rating.worst)
        for limit, verdict in (
            (0.2, Verdict.FALSE),
            (0.4, Verdict.MOSTLY_FALSE),
            (0.6, Verdict.MIXED),
            (0.8, Verdict.MOSTLY_TRUE),
        ):
            if share <= Decimal(str(limit)):
                return verdict
        return Verdict.TRUE
    return Verdict.UNVERIFIABLE


def _rating(rating: dict[str, Any]) -> Rating | None:
    """The numeric rating; None when a value is missing or no number ("two"), or when the
    numbers contradict each other (value beyond best..worst): the label may still say it. A
    number that is not finite or is beyond 15 digits is an ImportItemError."""
    numbers = []
    for key in ("ratingValue", "bestRating", "worstRating"):
        try:
            numbers.append(number(rating.get(key)))
        except InputLimitError as exc:
            raise ImportItemError(f"reviewRating {key}: {exc}") from None
    value, best, worst = numbers
    if value is None or best is None or worst is None:
        return None
    try:
        return Rating(value, best, worst)
    except InvalidValueError:
        return None


def _date(value: Any) -> PartialDate | None:
    text = _text(value)
    if not text:
        return None
    if re.fullmatch(r"\d{4}(-\d{2}){0,2}", text):
        try:
            return PartialDate.parse(text)
        except InvalidValueError:
            return None
    try:
        moment = dateparser.parse(text)
    except (ValueError, OverflowError):
        return None
    return PartialDate(moment.year, moment.month, moment.day)


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds}


def _object(value: Any) -> dict[str, Any]:
    """The first object of `value`, or {} when it holds none (a string, a number...)."""
    first = _first(value)
    return first if isinstance(first, dict) else {}


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else (None if value == [] else value)


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return value.strip() or None if isinstance(value, str) else None


def _url(value: Any) -> str | None:
    text = _text(value)
    return text if text and re.match(r"^https?://[^\s]+$", text) and len(text) <= 2048 else None
