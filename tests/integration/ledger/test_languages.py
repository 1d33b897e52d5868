"""Languages: sources and claims carry a BCP-47 tag; quotes in Russian and Chinese texts anchor
at the source's own characters; GET /claims' `lang` facet; ClaimReview inLanguage in and out."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.errors import InvalidValueError
from domain.values import Role
from infra.claimreview.export import claim_review
from infra.claimreview.importer import ClaimReviewImport
from infra.ledger.application import Ledger
from infra.ledger.claim_inputs import Quote
from infra.projections.claims_view import ClaimFilter
from infra.projections.read_model import ReadModel
from tests import factories

FIXTURES = Path(__file__).parents[2] / "fixtures" / "languages"
RU = (FIXTURES / "ru.txt").read_text(encoding="utf-8")
ZH = (FIXTURES / "zh.txt").read_text(encoding="utf-8")


def test_a_claim_quoting_a_russian_source_takes_its_language_and_anchors_exactly(
    ledger: Ledger, stored: Ledger
) -> None:
    source = factories.source(ledger, text=RU, language="ru")
    pasted = '"Российско-китайские отношения носят беспрецедентный характер"'

    claim = factories.claim(ledger, appearance=Quote(source.id, pasted))

    loaded = stored.claims.get(claim.id)
    assert loaded.language == "ru"
    [appearance] = loaded.appearances
    exact = "«Российско-китайские отношения носят беспрецедентный характер»"
    assert appearance.exact == exact == RU[appearance.start : appearance.end]


def test_a_claim_quoting_a_chinese_source_anchors_across_its_line_break(
    ledger: Ledger, stored: Ledger
) -> None:
    source = factories.source(ledger, text=ZH, language="zh-Hans")

    claim = factories.claim(ledger, appearance=Quote(source.id, "中俄两国将继续加强战略协作"))

    loaded = stored.claims.get(claim.id)
    [appearance] = loaded.appearances
    assert (
        appearance.exact == "中俄两国将继续加强\n战略协作" == ZH[appearance.start : appearance.end]
    )
    assert loaded.language == "zh-Hans"


def test_a_given_language_wins_and_is_standardised(ledger: Ledger, stored: Ledger) -> None:
    claim = factories.claim(ledger, language="zh-hant-tw")

    assert stored.claims.get(claim.id).language == "zh-Hant-TW"


def test_an_invalid_language_is_refused_and_writes_nothing(ledger: Ledger) -> None:
    source = factories.source(ledger)
    actors = {"subject": factories.actor(ledger).slug, "object": factories.actor(ledger).slug}
    head = ledger.recorder.max_notification_id()

    with pytest.raises(InvalidValueError):
        factories.claim(
            ledger, appearance=Quote(source.id, factories.QUOTE), language="klingon", **actors
        )

    assert ledger.recorder.max_notification_id() == head


def test_a_source_without_a_valid_language_gives_its_claims_none(ledger: Ledger) -> None:
    for language in (None, "not a tag"):
        source = factories.source(ledger, language=language)
        claim = factories.claim(ledger, appearance=Quote(source.id, factories.QUOTE))
        assert claim.language is None


def test_the_lang_facet_finds_a_tag_and_its_language(ledger: Ledger) -> None:
    read_model = ReadModel(ledger)
    ru = factories.claim(ledger, language="ru")
    hans = factories.claim(ledger, language="zh-Hans")
    hant = factories.claim(ledger, language="zh-Hant")
    factories.claim(ledger, language="en")
    read_model.projector.catch_up()

    def found(lang: str) -> list[str]:
        items, _ = read_model.claims(ClaimFilter({"lang": lang}), 0, 50)
        return [c["id"] for c in items]

    assert found("ru") == [str(ru.id)]
    assert found("zh") == [str(hans.id), str(hant.id)]
    assert found("zh-Hans") == [str(hans.id)]
    assert found("fr") == []


def test_claimreview_in_language_is_imported_and_exported(ledger: Ledger) -> None:
    item = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://factcheck.example.ru/2022/02/gas",
        "claimReviewed": "Россия и Китай подписали 15 соглашений",
        "inLanguage": "ru-RU",
        "itemReviewed": {"@type": "Claim", "appearance": {"url": "https://example.ru/a"}},
        "reviewRating": {"@type": "Rating", "alternateName": "True"},
    }
    chinese = item | {
        "url": "https://factcheck.example.cn/1",
        "claimReviewed": "中俄友好没有止境",
        "inLanguage": {"@type": "Language", "name": "Chinese", "alternateName": "zh-Hans"},
    }
    unknown = item | {
        "url": "https://factcheck.example.org/2",
        "claimReviewed": "Газ пойдёт по новому маршруту",
        "itemReviewed": {"@type": "Claim", "appearance": {"url": "https://example.org/b"}},
        "inLanguage": "Russian",
    }

    results = ClaimReviewImport(ledger).import_document(
        factories.context(Role.REVIEWER), [item, chinese, unknown]
    )

    claims = [ledger.claims.get(r.claim_id) for r in results]
    assert [c.language for c in claims] == ["ru-RU", "zh-Hans", None]
    source = ledger.sources.get(claims[0].appearances[0].source_id)
    assert source.language == "ru-RU"
    exported = [claim_review(ledger, c, "https://ct.example") for c in claims]
    assert [e.get("inLanguage") for e in exported] == ["ru-RU", "zh-Hans", None]
