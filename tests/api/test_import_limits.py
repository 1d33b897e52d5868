"""POST /import/claimreview with items beyond the limits: each is an item error, nothing of it
is written, the other items import, and the views project everything accepted (issue 16)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infra.store.limits import MAX_DEPTH
from tests.api.conftest import Api

ITEM = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "claimreview" / "politifact-style.json").read_text()
)


def _nested(levels: int) -> Any:
    value: Any = []
    for _ in range(levels - 1):
        value = [value]
    return value


def _item(n: int, **fields: Any) -> dict[str, Any]:
    return {**ITEM, "url": f"https://factcheck.example.org/limits/{n}", **fields}


def _rating(value: str, best: str, worst: str = "0") -> dict[str, Any]:
    return {"ratingValue": value, "bestRating": best, "worstRating": worst}


CASES = [
    ("nested-300", {"extra": _nested(300)}, f"deeper than {MAX_DEPTH} levels"),
    ("infinity", {"reviewRating": _rating("Infinity", "Infinity")}, "not a finite number"),
    ("huge-exponent", {"reviewRating": _rating("1e999999999", "1e999999999")}, "finite"),
    ("nan-string", {"reviewRating": _rating("NaN", "5")}, "not a finite number"),
    ("too-many-digits", {"reviewRating": _rating("1", "12345678901234567")}, "15 digits"),
    ("u64", {"extra": 2**64}, "64 bits"),
]


@pytest.mark.parametrize(("name", "fields", "words"), CASES, ids=[c[0] for c in CASES])
def test_an_item_beyond_the_limits_is_an_item_error_beside_items_that_import(
    api: Api, name: str, fields: dict[str, Any], words: str
) -> None:
    before = api.get("/readyz").json()["position"]
    bad, good = _item(hash(name), **fields), _item(hash(name) + 1, claimReviewed=f"Said {name}")

    response = api.post("/import/claimreview", [bad, good], role="reviewer")

    assert response.status_code == 200, response.text
    first, second = response.json()["items"]
    assert first["status"] == "error" and words in first["error"], first
    assert second["status"] == "imported", second
    position = response.json()["position"]
    claim = api.get(f"/claims/{second['claim_id']}", min_position=position)
    assert claim.status_code == 200
    ready = api.get("/readyz").json()
    assert ready["status"] == "ready" and ready["position"] > before


def test_a_lone_surrogate_in_an_item_is_an_item_error(api: Api) -> None:
    body = json.dumps([_item(7, extra="x")]).replace('"x"', '"\\ud800"').encode()

    response = api.client.post(
        "/import/claimreview",
        content=body,
        headers={**api.auth("reviewer"), "content-type": "application/json"},
    )

    assert response.status_code == 200, response.text
    [item] = response.json()["items"]
    assert item["status"] == "error" and "surrogate" in item["error"]


@pytest.mark.parametrize(
    "rating", ["Mostly true", 3, ["x"], None], ids=["text", "number", "list", "null"]
)
def test_a_review_rating_that_is_no_object_is_never_a_500(api: Api, rating: Any) -> None:
    item = _item(11, reviewRating=rating, itemReviewed=rating)

    response = api.post("/import/claimreview", item, role="reviewer")

    assert response.status_code == 200, response.text


def test_a_document_nested_far_deeper_than_its_item_imports_the_item(api: Api) -> None:
    document: Any = _item(12, claimReviewed="Deep inside a document")
    for _ in range(470):  # 940 levels: about as deep as Python's json reads
        document = {"wrapper": [document]}
    body = json.dumps(document).encode()

    response = api.client.post(
        "/import/claimreview",
        content=body,
        headers={**api.auth("reviewer"), "content-type": "application/json"},
    )

    assert response.status_code == 200, response.text
    assert response.json()["items"][0]["status"] == "imported"
