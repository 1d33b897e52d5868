"""POST /sources/capture against a local server: metadata, clean text, snapshots; failures
are problems and write nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from domain.anchoring import locate
from domain.extraction import ActorEntry, extract
from domain.extraction.evaluation import Assertion, evaluate
from tests.api.conftest import Api, serve
from tests.api.helpers import assert_invalid, assert_problem
from tests.capture_server import FIXTURES, capture_server


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with capture_server() as base:
        yield base


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("snapshots")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, snapshots: Path) -> Iterator[Api]:
    path = tmp_path_factory.mktemp("api") / "claimtrail.sqlite3"
    yield from serve(
        f"sqlite:///{path}",
        snapshot_dir=str(snapshots),
        capture_timeout=0.5,
        capture_max_bytes=200_000,
        capture_max_redirects=3,
    )


def capture(api: Api, url: str, role: str | None = "contributor"):
    return api.post("/sources/capture", {"url": url}, role)


def test_a_page_with_json_ld_yields_clean_text_and_its_metadata(
    api: Api, site: str, snapshots: Path
) -> None:
    response = capture(api, f"{site}/jsonld")

    assert response.status_code == 201, response.text
    source = response.json()
    assert source["title"] == "Port strike halts traffic at Valmora"
    assert source["authors"] == ["Lena Marsh"]
    assert source["published_on"] == "2026-03-02"
    assert (source["language"], source["publisher"]) == ("en", "Harbour Times")
    raw = (FIXTURES / "jsonld.html").read_bytes()
    assert source["snapshot_sha256"] == hashlib.sha256(raw).hexdigest()
    sha = source["snapshot_sha256"]
    assert (snapshots / sha[:2] / sha).read_bytes() == raw
    text = api.get(f"/sources/{source['id']}", include="text").json()["text"]
    assert "Dockworkers at the port of Valmora walked out on Monday" in text
    for boilerplate in ("Subscribe", "cookies", "Most read", "Privacy policy", "All rights"):
        assert boilerplate not in text
    assert hashlib.sha256(text.encode()).hexdigest() == source["content_sha256"]


def test_a_page_with_opengraph_and_a_byline_yields_its_metadata(api: Api, site: str) -> None:
    source = capture(api, f"{site}/opengraph").json()
    assert source["title"] == "Council approves bridge repairs"
    assert source["authors"] == ["Sam Whitfield"]
    assert (source["published_on"], source["language"]) == ("2026-05-14", "en-US")
    assert source["publisher"] == "City Desk"


def test_a_french_page_is_captured_with_its_language_and_has_no_candidates(
    api: Api, site: str
) -> None:
    source = capture(api, f"{site}/french").json()
    assert source["language"] == "fr" and source["authors"] == ["Camille Durand"]
    text = api.get(f"/sources/{source['id']}", include="text").json()["text"]
    assert "« Nous ne reprendrons pas" in text and "Accueil" not in text
    assert api.get(f"/sources/{source['id']}/candidates").json() == {"items": []}


def test_plain_text_is_captured_as_it_is(api: Api, site: str) -> None:
    source = capture(api, f"{site}/plain").json()
    assert source["title"] == "Officials said 300 people were evacuated on Friday."
    text = "Officials said 300 people were evacuated on Friday.\nMore later.\n"
    assert source["text_length"] == len(text)


def test_a_redirect_is_followed_and_the_same_page_again_is_the_existing_source(
    api: Api, site: str
) -> None:
    first = capture(api, f"{site}/jsonld")
    again = capture(api, f"{site}/moved")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/slow", "capture-timeout"),
        ("/loop", "capture-too-many-redirects"),
        ("/pdf", "capture-unsupported-content"),
        ("/big", "capture-too-large"),
        ("/big-chunked", "capture-too-large"),
        ("/nowhere", "capture-failed"),
        ("/empty", "capture-no-text"),
    ],
)
def test_a_page_that_cannot_be_captured_is_a_problem_and_writes_nothing(
    api: Api, site: str, snapshots: Path, path: str, code: str
) -> None:
    head = api.get("/audit/log", after=0, limit=500).json()["items"][-1]["position"]
    kept = sorted(snapshots.rglob("*"))

    assert_problem(capture(api, f"{site}{path}"), 422, code)

    assert api.get("/audit/log", after=head).json()["items"] == []
    assert sorted(snapshots.rglob("*")) == kept


def test_capture_needs_a_contributor_and_an_http_url(api: Api, site: str) -> None:
    assert_problem(capture(api, f"{site}/jsonld", role=None), 401)
    assert_problem(capture(api, f"{site}/jsonld", role="reader"), 403)
    assert_invalid(capture(api, "ftp://example.org/x"), "body", "url")
    assert_invalid(api.post("/sources/capture", {"url": f"{site}/x", "extra": 1}), "body")


def _scores(api: Api, site: str, page: str, actors: list[ActorEntry], gold_file: Path):
    source = capture(api, f"{site}/{page}").json()
    text = api.get(f"/sources/{source['id']}", include="text").json()["text"]
    recorded = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
    gold = [
        Assertion(a["key"], (at := locate(text, a["exact"])).start, at.end, a["claimant"])
        for a in recorded["assertions"]
    ]
    return evaluate(extract(text, actors, source["authors"], source["language"]), gold)


def test_candidates_of_a_captured_page_match_the_assertions_recorded_by_hand(
    api: Api, site: str
) -> None:
    """Recall and precision on the HTML fixtures' captured text: the OpenGraph page (its
    own gold, one speaker left unnamed) and the JSON-LD page (the port strike's gold)."""
    actors = [
        ActorEntry("ruth-adler", "Ruth Adler", "person"),
        ActorEntry("tom-baines", "Tom Baines", "person"),
        ActorEntry("sam-whitfield", "Sam Whitfield", "person"),
    ]
    bridge = _scores(api, site, "opengraph", actors, FIXTURES / "opengraph.gold.yaml")
    port = _scores(
        api,
        site,
        "jsonld",
        PORT_ACTORS,
        FIXTURES.parent / "extraction" / "port-strike.gold.yaml",
    )

    assert bridge.found == bridge.assertions == 4 and bridge.spurious == 0, bridge
    assert port.found == port.assertions == 8 and port.spurious == 0, port


PORT_ACTORS = [
    ActorEntry("ana-reyes", "Ana Reyes", "person"),
    ActorEntry("paul-okafor", "Paul Okafor", "person"),
    ActorEntry("transport-ministry", "Transport Ministry", "organization"),
    ActorEntry("chamber-of-commerce", "Chamber of Commerce", "organization"),
    ActorEntry("lena-marsh", "Lena Marsh", "person"),
]
