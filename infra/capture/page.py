"""A captured page read: main text (trafilatura), title, authors, date, language, publisher
(schema.org JSON-LD first, then OpenGraph, then `<meta>` and the page itself)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import extruct
import lxml.html
import trafilatura

from domain.values import PartialDate
from infra.capture.errors import NoTextError
from infra.store.limits import unicode_text

_ARTICLES = {"Article", "NewsArticle", "BlogPosting", "Report", "ReportageNewsArticle"}
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_on: PartialDate | None = None
    language: str | None = None
    publisher: str | None = None


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def read_text(raw: bytes) -> Page:
    text = _decode(raw).replace("\r\n", "\n").strip()
    if not text:
        raise NoTextError("the file is empty")
    first = text.split("\n", 1)[0].strip()
    return Page(text=text + "\n", title=first[:200])


def _names(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names = []
    for v in values:
        name = v.get("name") if isinstance(v, dict) else v
        if isinstance(name, str) and name.strip():
            names.append(unicode_text(" ".join(name.split())))
    return names


def _date(value: Any) -> PartialDate | None:
    if not isinstance(value, str):
        return None
    for candidate in (value[:10], value[:7], value[:4]):
        try:
            return PartialDate.parse(candidate)
        except ValueError:
            continue
    return None


def _language(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    tag = value.strip().replace("_", "-")
    return tag if _LANGUAGE.match(tag) else None


def _structured(html: str, url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    data = extruct.extract(html, base_url=url, syntaxes=["json-ld", "opengraph"], uniform=True)
    articles = [
        item
        for item in data.get("json-ld", [])
        if isinstance(item, dict) and set(_types(item)) & _ARTICLES
    ]
    og = data.get("opengraph", [])
    return (articles[0] if articles else {}), (og[0] if og and isinstance(og[0], dict) else {})


def _types(item: dict[str, Any]) -> list[str]:
    kind = item.get("@type", [])
    return kind if isinstance(kind, list) else [kind]


def read_html(raw: bytes, url: str) -> Page:
    html = _decode(raw)
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        # no guessing from a copyright line: a date is one the page states
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise NoTextError("no main text could be extracted from the page")
    ld, og = _structured(html, url)
    root = lxml.html.fromstring(raw)
    publisher = ld.get("publisher")
    return Page(
        text=unicode_text(text.strip()) + "\n",
        title=_first(ld.get("headline"), og.get("og:title"), getattr(document, "title", None)),
        authors=_names(ld.get("author"))
        or _names(og.get("article:author"))
        or [a.strip() for a in (getattr(document, "author", None) or "").split(";") if a.strip()],
        published_on=_date(ld.get("datePublished"))
        or _date(og.get("article:published_time"))
        or _date(getattr(document, "date", None)),
        language=_language(ld.get("inLanguage"))
        or _language(root.get("lang"))
        or _language(og.get("og:locale")),
        publisher=_first(
            *_names(publisher), og.get("og:site_name"), getattr(document, "sitename", None)
        ),
    )


def _first(*values: Any) -> str | None:
    for value in values:
        if isinstance(value, str) and value.strip():
            # JSON-LD may escape a lone surrogate, which no event can encode
            return unicode_text(" ".join(value.split())[:500])
    return None
