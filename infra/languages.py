"""BCP-47 language tags (RFC 5646), checked against the IANA registry (langcodes) and written
in their standard form: 'zh-hans-cn' -> 'zh-Hans-CN', 'iw' -> 'he'."""

from __future__ import annotations

import re

import langcodes

from domain.errors import InvalidValueError

# The syntax of a tag: letters, digits and hyphens, no empty subtag (langcodes alone would
# also take 'en_US').
_SYNTAX = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def language_tag(value: str) -> str:
    """`value` as a standard BCP-47 tag; InvalidValueError if it is not a valid one."""
    if len(value) > 64 or not _SYNTAX.fullmatch(value) or not langcodes.tag_is_valid(value):
        raise InvalidValueError(f"'{value[:64]}' is not a valid BCP-47 language tag")
    try:
        return str(langcodes.standardize_tag(value))
    except ValueError:  # langcodes.LanguageTagError is one
        raise InvalidValueError(f"'{value}' is not a valid BCP-47 language tag") from None


def maybe_language_tag(value: object) -> str | None:
    """A valid tag from something found in the wild (a ClaimReview, a page), else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return language_tag(value.strip())
    except InvalidValueError:
        return None


def primary(tag: str) -> str:
    """The language subtag of a tag: 'zh-Hans-CN' -> 'zh'."""
    return tag.split("-", 1)[0].lower()
