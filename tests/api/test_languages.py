# ruff: noqa: RUF001 - Cyrillic letters and full-width punctuation are what these tests are about
"""Languages over HTTP, on SQLite and PostgreSQL: tags checked and standardised on sources and
claims, Russian and Chinese quotes anchored, `lang=` on GET /claims, ClaimReview inLanguage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Api, serve
from tests.api.helpers import assert_invalid, missing_id
from tests.conftest import fresh_database

FIXTURES = Path(__file__).parents[1] / "fixtures" / "languages"
RU = (FIXTURES / "ru.txt").read_text(encoding="utf-8")
ZH = (FIXTURES / "zh.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    for url in fresh_database(request, tmp_path_factory, "languages"):
        for served in serve(url):
            for actor in (
                {"id": "china", "name": "China", "kind": "state", "aliases": ["Китай", "中国"]},
                {"id": "russia", "name": "Russia", "kind": "state", "aliases": ["Россия"]},
            ):
                assert served.post("/actors", actor).status_code == 201
            yield served


def _source(api: Api, text: str | None, language: str | None) -> Any:
    body = {"url": f"https://example.org/{missing_id()}", "title": "t", "text": text}
    response = api.post("/sources", body | ({"language": language} if language else {}))
    assert response.status_code == 201, response.text
    return response.json()


def _claim(api: Api, source_id: str, exact: str, **fields: Any) -> Any:
    body = {
        "statement": "Russia and China cooperate",
        "kind": "quote",
        "subject": "Россия",
        "relation": "cooperates_economically",
        "object": "中国",
        "appearance": {"source_id": source_id, "exact": exact},
    } | fields
    return api.post("/claims", body)


def test_a_source_language_is_standardised(api: Api) -> None:
    assert _source(api, None, "ru-ru")["language"] == "ru-RU"
    assert _source(api, None, "ZH-hans")["language"] == "zh-Hans"


@pytest.mark.parametrize("language", ["english", "xx", "en_US", "ru-", "a" * 65, "", 7])
def test_an_invalid_language_is_a_422_and_writes_nothing(api: Api, language: Any) -> None:
    source = _source(api, RU, "ru")

    assert_invalid(
        api.post("/sources", {"url": "https://example.org/x", "title": "t", "language": language}),
        "body",
        "language",
    )
    refused = _claim(api, source["id"], "Путин", language=language)
    assert_invalid(refused, "body", "language")


def test_russian_and_chinese_quotes_anchor_exactly_as_pasted(api: Api) -> None:
    ru = _source(api, RU, "ru")
    zh = _source(api, ZH, "zh-Hans")

    russian = _claim(
        api, ru["id"], '"Российско-китайские отношения носят беспрецедентный характер"'
    )
    chinese = _claim(api, zh["id"], "中俄两国将继续加强 战略协作，共同维护国际公平正义")

    assert russian.status_code == chinese.status_code == 201, (russian.text, chinese.text)
    quote = russian.json()["appearances"][0]
    assert quote["exact"] == "«Российско-китайские отношения носят беспрецедентный характер»"
    assert RU[quote["start"] : quote["end"]] == quote["exact"]
    quote = chinese.json()["appearances"][0]
    assert quote["exact"] == "中俄两国将继续加强\n战略协作，共同维护国际公平正义"
    assert ZH[quote["start"] : quote["end"]] == quote["exact"]
    assert (russian.json()["language"], chinese.json()["language"]) == ("ru", "zh-Hans")


def test_lang_filters_claims_by_tag_or_by_language(api: Api) -> None:
    zh = _source(api, ZH, "zh-Hans")
    hans = _claim(api, zh["id"], "合作没有禁区").json()
    hant = _claim(api, zh["id"], "中俄友好没有止境", language="zh-Hant").json()
    head = max(hans["position"], hant["position"])

    def ids(lang: str) -> set[str]:
        response = api.get("/claims", lang=lang, min_position=head, limit=500)
        assert response.status_code == 200, response.text
        return {c["id"] for c in response.json()["items"]}

    assert {hans["id"], hant["id"]} <= ids("zh")
    assert hans["id"] in ids("zh-hans") and hant["id"] not in ids("zh-Hans")
    assert not {hans["id"], hant["id"]} & ids("ru")
    assert_invalid(api.get("/claims", lang="chinese"), "query", "lang")
    assert_invalid(api.get("/claims", lang="z" * 65), "query", "lang")


def test_claimreview_carries_in_language_out_and_in(api: Api) -> None:
    ru = _source(api, RU, "ru")
    claim = _claim(api, ru["id"], "стороны подписали 15 соглашений").json()
    reviewed = api.post(
        f"/claims/{claim['id']}/reviews",
        {"verdict": "true", "explanation": "Подтверждено"},
        role="reviewer",
    )
    assert reviewed.status_code == 201, reviewed.text

    exported = api.get(f"/claims/{claim['id']}/claimreview").json()
    assert exported["inLanguage"] == "ru"

    item = exported | {"url": "https://factcheck.example.cn/1", "claimReviewed": "合作没有禁区"}
    item["inLanguage"] = "zh-Hans"
    imported = api.post("/import/claimreview", item, role="reviewer")
    assert imported.status_code == 200, imported.text
    [result] = imported.json()["items"]
    again = api.get(f"/claims/{result['claim_id']}")
    assert again.json()["language"] == "zh-Hans"
