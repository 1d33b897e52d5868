"""Sources: registered once per canonical url; the text's hash anchors quotes."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import pytest

from tests.api.conftest import Api
from tests.api.helpers import assert_invalid, assert_problem, missing_id
from tests.factories import SEED_TEXT

FIELDS = {
    "id",
    "url",
    "canonical_url",
    "title",
    "publisher",
    "authors",
    "published_on",
    "kind",
    "language",
    "content_sha256",
    "snapshot_sha256",
    "text_length",
    "cites",
    "recorded_at",
    "recorded_by",
    "version",
    "position",
}


def a_url() -> str:
    return f"https://example.org/{uuid.uuid4().hex[:10]}"


def register(api: Api, **fields: Any) -> Any:
    response = api.post("/sources", {"url": a_url(), "title": "A source", **fields})
    assert response.status_code == 201, response.text
    return response.json()


def test_registering_a_source_answers_201_with_every_field(api: Api) -> None:
    body = {
        "url": "https://WWW.Example.org/2022/02/summit/?utm_source=x&b=2&a=1#top",
        "title": "Xi-Putin summit",
        "publisher": "A blog",
        "authors": ["Genevieve Weiss"],
        "published_on": "2022-02",
        "kind": "blog",
        "language": "en",
        "text": SEED_TEXT,
    }

    response = api.post("/sources", body)

    assert response.status_code == 201, response.text
    source = response.json()
    assert set(source) >= FIELDS
    assert source["url"] == body["url"]
    assert source["canonical_url"] == "https://example.org/2022/02/summit?a=1&b=2"
    assert (source["title"], source["publisher"], source["authors"]) == (
        "Xi-Putin summit",
        "A blog",
        ["Genevieve Weiss"],
    )
    assert (source["published_on"], source["kind"], source["language"]) == ("2022-02", "blog", "en")
    assert source["content_sha256"] == hashlib.sha256(SEED_TEXT.encode()).hexdigest()
    assert source["text_length"] == len(SEED_TEXT)
    assert source["cites"] == [] and source["version"] == 1
    assert source["recorded_at"].endswith("Z")
    assert isinstance(source["position"], int) and source["position"] > 0
    assert "text" not in source
    assert response.headers["Location"] == f"/sources/{source['id']}"
    assert response.headers["ETag"] == '"1"'


def test_a_source_needs_only_a_url_and_a_title(api: Api) -> None:
    source = register(api)

    assert source["kind"] == "article"
    assert source["publisher"] is None and source["published_on"] is None
    assert source["content_sha256"] is None and source["text_length"] is None


def test_the_recording_principal_comes_from_the_token(api: Api) -> None:
    principals = api.get("/principals", role="admin").json()["items"]
    contributor = next(p["id"] for p in principals if p["name"] == "contributor-user")

    assert register(api)["recorded_by"] == contributor


def test_reading_a_source_gives_an_etag_and_the_text_only_when_asked(api: Api) -> None:
    source = register(api, text=SEED_TEXT)

    plain = api.get(f"/sources/{source['id']}")
    with_text = api.get(f"/sources/{source['id']}", include="text")

    assert plain.status_code == with_text.status_code == 200
    assert plain.headers["ETag"] == '"1"'
    assert "text" not in plain.json() or plain.json()["text"] is None
    assert with_text.json()["text"] == SEED_TEXT
    assert plain.json()["id"] == source["id"]
    assert plain.json()["content_sha256"] == source["content_sha256"]


def test_an_unknown_include_is_a_validation_problem(api: Api) -> None:
    source = register(api)

    assert_invalid(api.get(f"/sources/{source['id']}", include="everything"), "query", "include")


def test_sources_are_found_by_any_url_with_the_same_canonical_form(api: Api) -> None:
    source = register(api)
    variant = source["url"].replace("https://", "https://www.") + "/?utm_medium=feed"

    found = api.get("/sources", url=variant)

    assert found.status_code == 200
    assert [s["id"] for s in found.json()["items"]] == [source["id"]]


def test_finding_an_unregistered_url_gives_no_items(api: Api) -> None:
    found = api.get("/sources", url=a_url())

    assert found.status_code == 200
    assert found.json()["items"] == []


def test_finding_sources_needs_a_valid_url(api: Api) -> None:
    assert_invalid(api.get("/sources"), "query", "url")
    assert_problem(api.get("/sources", url="not a url"), 422)


def test_the_same_url_with_the_same_text_answers_200_with_the_existing_source(api: Api) -> None:
    first = register(api, text=SEED_TEXT)

    again = api.post(
        "/sources",
        {"url": first["url"] + "/", "title": "Another title", "text": SEED_TEXT},
        role="reviewer",
    )

    assert again.status_code == 200, again.text
    assert again.json()["id"] == first["id"]
    assert again.json()["title"] == "A source"
    assert again.json()["recorded_by"] == first["recorded_by"]
    assert isinstance(again.json()["position"], int)
    assert again.headers["ETag"] == '"1"'


def test_the_same_url_with_different_text_is_a_409_naming_the_existing_source(api: Api) -> None:
    first = register(api, text=SEED_TEXT)

    conflict = api.post("/sources", {"url": first["url"], "title": "t", "text": "Other words."})
    without_text = api.post("/sources", {"url": first["url"], "title": "t"})

    assert assert_problem(conflict, 409)["existing_id"] == first["id"]
    assert assert_problem(without_text, 409)["existing_id"] == first["id"]


def test_a_source_may_cite_registered_sources(api: Api) -> None:
    cited = register(api)

    citing = register(api, cites=[cited["id"]])

    assert citing["cites"] == [cited["id"]]


def test_citing_an_unknown_source_is_a_422_unknown_reference(api: Api) -> None:
    response = api.post("/sources", {"url": a_url(), "title": "t", "cites": [missing_id()]})

    assert_problem(response, 422, "unknown-reference")


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({"url": None}, ("body", "url")),
        ({"title": None}, ("body", "title")),
        ({"url": 42}, ("body", "url")),
        ({"url": "ftp://example.org/file"}, ("body", "url")),
        ({"url": "example.org/no-scheme"}, ("body", "url")),
        ({"url": "https://example.org/" + "a" * 2048}, ("body", "url")),
        ({"title": ""}, ("body", "title")),
        ({"title": "t" * 501}, ("body", "title")),
        ({"title": ["a", "list"]}, ("body", "title")),
        ({"authors": "Genevieve Weiss"}, ("body", "authors")),
        ({"authors": ["a"] * 51}, ("body", "authors")),
        ({"published_on": "2022-13"}, ("body", "published_on")),
        ({"published_on": "2022-02-30"}, ("body", "published_on")),
        ({"published_on": "yesterday"}, ("body", "published_on")),
        ({"published_on": "2022-2-3"}, ("body", "published_on")),
        ({"published_on": 2022}, ("body", "published_on")),
        ({"kind": "podcast"}, ("body", "kind")),
        ({"language": "english!"}, ("body", "language")),
        ({"text": 7}, ("body", "text")),
        ({"cites": ["not-a-uuid"]}, ("body", "cites", 0)),
        ({"cites": "not-a-list"}, ("body", "cites")),
        ({"content_sha256": "0" * 64}, ("body", "content_sha256")),
        ({"id": "mine"}, ("body", "id")),
    ],
    ids=lambda v: repr(v)[:40] if isinstance(v, dict) else "",
)
def test_an_invalid_source_is_refused_with_a_validation_problem(
    api: Api, fields: dict[str, Any], loc: tuple[str, ...]
) -> None:
    body = {"url": a_url(), "title": "A source", **fields}
    body = {k: v for k, v in body.items() if v is not None}

    assert_invalid(api.post("/sources", body), *loc)


def test_an_unknown_source_is_a_404_problem(api: Api) -> None:
    assert_problem(api.get(f"/sources/{missing_id()}"), 404)


def test_a_malformed_source_id_is_a_422_not_a_500(api: Api) -> None:
    assert_invalid(api.get("/sources/123-not-a-uuid"), "path", "source_id")


def test_a_claim_id_is_not_a_source(api: Api) -> None:
    source = register(api)
    actor = api.post("/actors", {"id": "src-test-actor", "name": "Src Test", "kind": "state"})
    assert actor.status_code == 201
    claim = api.post(
        "/claims",
        {
            "statement": "s",
            "kind": "fact",
            "subject": "src-test-actor",
            "relation": "meets",
            "appearance": {"source_id": source["id"], "exact": "x"},
        },
    )
    assert claim.status_code == 201, claim.text

    assert_problem(api.get(f"/sources/{claim.json()['id']}"), 404)
