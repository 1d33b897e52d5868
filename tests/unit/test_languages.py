"""BCP-47 tags: valid ones in their standard form, everything else refused."""

import pytest

from domain.errors import InvalidValueError
from infra.languages import language_tag, maybe_language_tag, primary


@pytest.mark.parametrize(
    ("given", "standard"),
    [
        ("ru", "ru"),
        ("zh-Hans", "zh-Hans"),
        ("zh-hans-cn", "zh-Hans-CN"),
        ("EN-us", "en-US"),
        ("sr-Latn", "sr-Latn"),
        ("iw", "he"),
    ],
)
def test_a_valid_tag_is_written_in_its_standard_form(given: str, standard: str) -> None:
    assert language_tag(given) == standard


@pytest.mark.parametrize(
    "given",
    ["", "english", "xx", "en_US", "fr-", "-fr", "zh--Hans", "ru ", "ru\n", "r" * 65, "язык"],
)
def test_anything_else_is_an_invalid_value(given: str) -> None:
    with pytest.raises(InvalidValueError):
        language_tag(given)


def test_tags_found_in_the_wild_are_kept_only_when_valid() -> None:
    assert maybe_language_tag(" ru-RU ") == "ru-RU"
    assert [maybe_language_tag(v) for v in ("Russian", "", None, 7)] == [None] * 4


def test_the_primary_subtag_is_the_language() -> None:
    assert [primary(t) for t in ("zh-Hans-CN", "ru", "en-US")] == ["zh", "ru", "en"]
