"""POST /import/claimreview: reviewers import ClaimReview JSON-LD over HTTP."""

import json
from pathlib import Path

import pytest

from tests.api.conftest import Api
from tests.api.helpers import assert_problem

FIXTURES = Path(__file__).parents[1] / "fixtures" / "claimreview"


def _document(name: str) -> object:
    return json.loads((FIXTURES / name).read_text())


def test_a_reviewer_imports_a_folder_of_claimreview_without_a_500(api: Api) -> None:
    for path in sorted(FIXTURES.glob("*.json")):
        response = api.post("/import/claimreview", _document(path.name), role="reviewer")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["imported"] + body["unchanged"] + body["error"] == len(body["items"])
        for item in body["items"]:
            assert (item["status"] == "error") == (item["error"] is not None)


def test_an_imported_claim_has_its_review_and_claimreview(api: Api) -> None:
    body = api.post(
        "/import/claimreview", _document("politifact-style.json"), role="reviewer"
    ).json()
    claim_id = body["items"][0]["claim_id"]
    claim = api.get(f"/claims/{claim_id}").json()
    assert claim["verdict"] == "mostly_true"
    exported = api.get(f"/claims/{claim_id}/claimreview").json()
    assert exported["reviewRating"]["alternateName"] == "Mostly True"
    assert exported["author"]["name"] == "Example Fact Check"


def test_importing_again_writes_nothing_and_says_so(api: Api) -> None:
    document = _document("graph-several-reviews.json")
    api.post("/import/claimreview", document, role="reviewer")
    before = api.get("/readyz").json()["position"]
    again = api.post("/import/claimreview", document, role="reviewer")
    assert again.status_code == 200
    assert again.headers.get("idempotent-replayed") == "true"
    assert {i["status"] for i in again.json()["items"]} == {"unchanged"}
    assert api.get("/readyz").json()["position"] == before


def test_a_contributor_may_not_import(api: Api) -> None:
    response = api.post("/import/claimreview", _document("politifact-style.json"))
    assert_problem(response, 403)


def test_a_document_without_claimreview_is_a_422(api: Api) -> None:
    assert_problem(api.post("/import/claimreview", {"@type": "WebPage"}, role="reviewer"), 422)


def test_invalid_json_is_a_422(api: Api) -> None:
    response = api.client.post(
        "/import/claimreview",
        content=b"{not json",
        headers={**api.auth("reviewer"), "Content-Type": "application/json"},
    )
    assert_problem(response, 422)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_nan_or_infinity_in_a_document_is_refused_and_writes_nothing(api: Api, number: str):
    """Python's json reads NaN and Infinity; an item holding one is refused (no canonical
    encoding, hence no audit leaf, could hold it) and nothing is written."""
    text = json.dumps(_document("politifact-style.json"))
    assert '"ratingValue": 4' in text, "the fixture changed"
    text = text.replace('"ratingValue": 4', f'"ratingValue": {number}')
    before = api.get("/readyz").json()["position"]
    response = api.client.post(
        "/import/claimreview",
        content=text.encode(),
        headers={**api.auth("reviewer"), "Content-Type": "application/json"},
    )
    if response.status_code == 200:  # read as JSON, then refused item by item
        body = response.json()
        assert body["imported"] == 0 and body["error"] == len(body["items"]) == 1
        assert "NaN or infinite" in body["items"][0]["error"]
    else:
        assert_problem(response, 422)
    assert api.get("/readyz").json()["position"] == before
