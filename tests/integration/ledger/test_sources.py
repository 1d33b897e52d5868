"""Sources: registered once per canonical url, stored with every field intact."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from domain.errors import DuplicateError
from domain.sources import Source, content_sha256
from domain.values import PartialDate, SourceKind
from infra.ledger.application import Ledger
from infra.ledger.context import Outcome
from infra.ledger.errors import ReferenceNotFoundError
from tests.factories import SEED_TEXT, context, source, unique
from tests.integration.support import head


def register(
    ledger: Ledger, url: str, text: str | None = SEED_TEXT, **fields: Any
) -> Outcome[Source]:
    given = {
        "kind": SourceKind.ARTICLE,
        "authors": [],
        "publisher": None,
        "published_on": None,
        "language": "en",
        "cites": [],
        **fields,
    }
    return ledger.sources.register(context(), url=url, title="A source", text=text, **given)


def test_a_source_with_text_comes_back_from_storage_as_registered(
    ledger: Ledger, stored: Ledger
) -> None:
    outcome = register(
        ledger,
        f"https://news.example/{unique()}",
        authors=["Genevieve Weiss"],
        publisher="Blogspot",
        published_on=PartialDate(2022, 2, 4),
    )

    loaded = stored.sources.get(outcome.aggregate.id)
    assert outcome.created
    assert loaded == outcome.aggregate
    assert isinstance(loaded.kind, SourceKind)
    assert loaded.published_on == PartialDate(2022, 2, 4)
    assert isinstance(loaded.published_on, PartialDate)
    assert loaded.text == SEED_TEXT
    assert loaded.content_sha256 == content_sha256(SEED_TEXT)


def test_a_source_without_text_has_no_hash_and_comes_back_as_registered(
    ledger: Ledger, stored: Ledger
) -> None:
    outcome = register(
        ledger, f"https://news.example/{unique()}", text=None, published_on=PartialDate(2014)
    )

    loaded = stored.sources.get(outcome.aggregate.id)
    assert loaded == outcome.aggregate
    assert loaded.text is None and loaded.content_sha256 is None
    assert loaded.published_on == PartialDate(2014)


def test_a_source_keeps_the_sources_it_cites(ledger: Ledger, stored: Ledger) -> None:
    cited = source(ledger)
    outcome = register(ledger, f"https://news.example/{unique()}", cites=[cited.id])

    loaded = stored.sources.get(outcome.aggregate.id)
    assert loaded == outcome.aggregate
    assert loaded.cites == [cited.id]


def test_citing_an_unknown_source_is_refused_and_writes_nothing(ledger: Ledger) -> None:
    before = head(ledger)
    with pytest.raises(ReferenceNotFoundError):
        register(ledger, f"https://news.example/{unique()}", cites=[uuid4()])
    assert head(ledger) == before


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.example.org/{path}/",
        "https://example.org/{path}?utm_source=newsletter&utm_medium=email",
        "HTTPS://WWW.Example.org:443/{path}#comments",
    ],
)
def test_a_url_variant_with_the_same_text_is_the_existing_source(
    ledger: Ledger, variant: str
) -> None:
    path = unique("story")
    first = register(ledger, f"https://example.org/{path}")
    before = head(ledger)

    again = register(ledger, variant.format(path=path))

    assert not again.created
    assert again.aggregate == first.aggregate
    assert again.position == first.position
    assert head(ledger) == before
    assert ledger.sources.find(variant.format(path=path)) == first.aggregate


def test_a_url_variant_with_other_text_is_a_duplicate_naming_the_existing_source(
    ledger: Ledger,
) -> None:
    path = unique("story")
    first = register(ledger, f"https://example.org/{path}")
    before = head(ledger)

    with pytest.raises(DuplicateError) as refused:
        register(ledger, f"https://www.example.org/{path}/?utm_campaign=x", text="Other words.")

    assert refused.value.extra["existing_id"] == str(first.aggregate.id)
    assert head(ledger) == before


def test_finding_a_source_by_an_unknown_url_finds_nothing(ledger: Ledger) -> None:
    assert ledger.sources.find(f"https://example.org/{unique()}") is None
