# ruff: noqa: RUF001 - Cyrillic letters and full-width punctuation are what these tests are about
"""Quotes in Russian and Chinese anchor at the source's own characters, as typed or as
copy-and-paste changes them (quotation marks, dashes, decomposed letters, full-width
punctuation, line breaks inside a Chinese sentence)."""

import unicodedata
from pathlib import Path

import pytest

from domain.anchoring import CONTEXT, Anchor, locate
from domain.errors import QuoteAmbiguousError, QuoteNotFoundError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "languages"
RU = (FIXTURES / "ru.txt").read_text(encoding="utf-8")
ZH = (FIXTURES / "zh.txt").read_text(encoding="utf-8")


def assert_anchored_in(text: str, anchor: Anchor) -> None:
    assert text[anchor.start : anchor.end] == anchor.exact
    assert anchor.prefix == text[max(0, anchor.start - CONTEXT) : anchor.start]
    assert anchor.suffix == text[anchor.end : anchor.end + CONTEXT]


RU_QUOTE = "«Российско-китайские отношения носят беспрецедентный характер», — заявил Путин"


@pytest.mark.parametrize(
    "pasted",
    [
        RU_QUOTE,
        '"Российско-китайские отношения носят беспрецедентный характер", - заявил Путин',
        "«Российско-китайские  отношения носят\nбеспрецедентный характер»,\u00a0— заявил Путин",
        unicodedata.normalize("NFD", RU_QUOTE),
    ],
    ids=["as-typed", "straight-quotes-and-hyphen", "spaces-and-line-break", "decomposed"],
)
def test_a_russian_quote_anchors_exactly_as_typed_or_pasted(pasted: str) -> None:
    anchor = locate(RU, pasted)

    assert anchor.exact == RU_QUOTE
    assert anchor.start == RU.index(RU_QUOTE)
    assert_anchored_in(RU, anchor)


def test_a_russian_letter_with_a_diaeresis_is_not_its_base_letter() -> None:
    assert locate(RU, "Ещё одно").exact == "Ещё одно"
    with pytest.raises(QuoteNotFoundError):
        locate(RU, "Еще одно заявление")


def test_a_repeated_russian_quote_needs_its_context() -> None:
    with pytest.raises(QuoteAmbiguousError):
        locate(RU, "выступают против дальнейшего расширения НАТО")
    anchor = locate(RU, "выступают против дальнейшего расширения НАТО", prefix="Россия и Китай «")
    assert anchor.start == RU.index("выступают против")
    assert_anchored_in(RU, anchor)


ZH_QUOTE = "中俄两国将继续加强\n战略协作，共同维护国际公平正义。"


@pytest.mark.parametrize(
    "pasted",
    [
        "中俄两国将继续加强战略协作，共同维护国际公平正义。",
        "中俄两国将继续加强 战略协作，共同维护国际公平正义。",
        "中俄两国将继续加强战略协作, 共同维护国际公平正义。",
        "中俄 两国 将继续 加强\r\n战略协作，共同维护国际公平正义。",
    ],
    ids=["without-the-line-break", "a-space-for-it", "half-width-comma", "spaces-between-words"],
)
def test_a_chinese_quote_anchors_across_the_line_break_of_its_source(pasted: str) -> None:
    anchor = locate(ZH, pasted)

    assert anchor.exact == ZH_QUOTE
    assert anchor.start == ZH.index(ZH_QUOTE)
    assert_anchored_in(ZH, anchor)


def test_chinese_full_width_punctuation_matches_its_ascii_form() -> None:
    anchor = locate(ZH, '习近平指出:"中俄两国')

    assert anchor.exact == "习近平指出：“中俄两国"
    assert_anchored_in(ZH, anchor)


def test_chinese_characters_that_are_not_in_the_source_are_not_found() -> None:
    with pytest.raises(QuoteNotFoundError):
        locate(ZH, "中俄两国将继续削弱战略协作")


def test_spaces_still_separate_words_of_latin_text() -> None:
    with pytest.raises(QuoteNotFoundError):
        locate("Beijing supports Russia", "Beijingsupports")
