import hashlib
from typing import Any
from uuid import NAMESPACE_URL, uuid4, uuid5

import pytest

from domain.errors import InvalidValueError
from domain.reservations import Reservation, reservation_id
from domain.sources import Source, canonical_url
from domain.values import PartialDate, SourceKind
from tests.unit.helpers import SEED_TEXT, meta, replay

GUARDIAN = "https://www.theguardian.com/world/2022/feb/03/xi-putin-summit"


def register(url: str = GUARDIAN, text: str | None = SEED_TEXT, **kwargs: Any) -> Source:
    fields: dict[str, Any] = {
        "kind": SourceKind.BLOG,
        "publisher": None,
        "authors": [],
        "published_on": None,
        "language": "en",
        "cites": [],
        **kwargs,
    }
    return Source.register(
        uuid4(), url=url, title="Xi-Putin summit", text=text, meta=meta(), **fields
    )


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://WWW.TheGuardian.com/World", "https://theguardian.com/World"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        ("https://example.org:80/a", "https://example.org:80/a"),
        ("https://example.org/a#comments", "https://example.org/a"),
        ("https://example.org/a/", "https://example.org/a"),
        ("https://example.org/", "https://example.org"),
        ("https://example.org", "https://example.org"),
        ("  https://example.org/a  ", "https://example.org/a"),
        ("https://example.org/a?utm_source=tw&utm_medium=social", "https://example.org/a"),
        ("https://example.org/a?fbclid=IwAR0&gclid=x&UTM_Campaign=y", "https://example.org/a"),
        ("https://example.org/a?page=2&id=7&utm_source=x", "https://example.org/a?id=7&page=2"),
        ("https://example.org/a?q=&b=1", "https://example.org/a?b=1&q="),
        ("https://www2.example.org/a", "https://www2.example.org/a"),
        ("https://user:secret@example.org/a", "https://example.org/a"),
        ("http://[2001:db8::1]:8080/a", "http://[2001:db8::1]:8080/a"),
        ("http://[2001:DB8::1]/a", "http://[2001:db8::1]/a"),
    ],
)
def test_a_canonical_url_drops_what_does_not_name_the_document(url, canonical):
    assert canonical_url(url) == canonical


def test_a_canonical_url_keeps_the_paths_case():
    assert (
        canonical_url("https://example.org/World/2022/Feb") == "https://example.org/World/2022/Feb"
    )


@pytest.mark.parametrize(
    "url",
    [GUARDIAN, "https://example.org/a?utm_source=x&b=2&a=1#f", "http://[::1]:8080/"],
)
def test_a_canonical_url_is_its_own_canonical_url(url):
    assert canonical_url(canonical_url(url)) == canonical_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/file",
        "mailto:desk@example.org",
        "javascript:alert(1)",
        "file:///etc/hosts",
        "example.org/a",
        "//example.org/a",
        "/world/2022",
        "https://",
        "http:///a",
        "",
        "http://example.org:99999/a",
        "http://example.org:port/a",
        "http://[::1/a",
    ],
)
def test_a_url_that_is_not_absolute_http_is_rejected(url):
    with pytest.raises(InvalidValueError):
        canonical_url(url)


def test_a_source_keeps_its_url_and_its_canonical_url():
    source = register(
        url=GUARDIAN + "/?utm_source=twitter",
        published_on=PartialDate(2022, 2, 3),
        authors=["Genevieve Weiss"],
    )
    assert source.url == GUARDIAN + "/?utm_source=twitter"
    assert source.canonical_url == "https://theguardian.com/world/2022/feb/03/xi-putin-summit"
    assert source.published_on == PartialDate(2022, 2, 3)
    assert source.authors == ["Genevieve Weiss"]


def test_a_source_with_text_records_the_texts_sha256():
    source = register()
    assert source.content_sha256 == hashlib.sha256(SEED_TEXT.encode("utf-8")).hexdigest()
    assert source.text == SEED_TEXT
    assert source.text_length == len(SEED_TEXT)


def test_a_source_without_text_has_no_hash():
    source = register(text=None)
    assert (source.text, source.content_sha256, source.text_length) == (None, None, None)


def test_an_empty_text_still_has_a_hash():
    assert register(text="").content_sha256 == hashlib.sha256(b"").hexdigest()


def test_replaying_a_sources_events_rebuilds_it():
    source = register(cites=[uuid4()])
    assert vars(replay(source)) == vars(source)


def test_a_reservation_id_is_the_same_for_the_same_kind_and_value():
    assert reservation_id("source-url", "https://example.org/a") == reservation_id(
        "source-url", "https://example.org/a"
    )
    assert reservation_id("source-url", "x") == uuid5(
        NAMESPACE_URL, "claimtrail:reservation:source-url:x"
    )


def test_a_reservation_id_differs_by_kind_and_by_value():
    ids = {
        reservation_id(kind, value)
        for kind in ("source-url", "actor-name")
        for value in ("china", "russia")
    }
    assert len(ids) == 4


def test_a_reservation_is_made_under_the_id_of_its_value():
    holder = uuid4()
    reservation = Reservation.make(kind="actor-name", value="china", holder_id=holder, meta=meta())
    assert reservation.id == reservation_id("actor-name", "china")
    assert (reservation.kind, reservation.value, reservation.holder_id) == (
        "actor-name",
        "china",
        holder,
    )
