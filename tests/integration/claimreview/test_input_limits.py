"""What is accepted can always be projected: every input path refuses, item by item and with
nothing written, JSON nested deeper than MAX_DEPTH levels, numbers no view or canonical encoding
can hold, and ratings that are not finite numbers of bounded size (issue 16)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from domain.values import Role
from infra.capture.capture import register
from infra.capture.fetch import Fetched
from infra.capture.snapshots import Snapshots
from infra.claimreview.importer import ClaimReviewImport
from infra.ledger.application import Ledger
from infra.projections.read_model import ReadModel
from infra.seeding import SeedError, load_seed
from infra.store.limits import MAX_DEPTH
from tests.factories import context

FIXTURES = Path(__file__).parents[2] / "fixtures" / "claimreview"
SEED = Path(__file__).parents[3] / "seeds" / "xi-putin-summit-2022.yaml"


def _item(**fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = json.loads((FIXTURES / "politifact-style.json").read_text())
    item.update(fields)
    return item


def nested(levels: int) -> Any:
    """A value `levels` deep counted from itself: [] is 1, [[]] is 2."""
    value: Any = []
    for _ in range(levels - 1):
        value = [value]
    return value


def _import(ledger: Ledger, document: Any) -> list[Any]:
    return ClaimReviewImport(ledger).import_document(context(Role.REVIEWER), document)


def _rating(value: Any, best: Any, worst: Any = "0") -> dict[str, Any]:
    return {"@type": "Rating", "ratingValue": value, "bestRating": best, "worstRating": worst}


def test_an_item_nested_300_levels_deep_is_an_item_error_and_writes_nothing(
    ledger: Ledger,
) -> None:
    ok = _item(url="https://factcheck.example.org/other", claimReviewed="Another claim.")
    head = ledger.recorder.max_notification_id()

    deep, fine = _import(ledger, [_item(extra=nested(300)), ok])

    assert deep.status == "error" and f"{MAX_DEPTH} levels" in (deep.error or "")
    assert fine.status == "imported"
    stored = ledger.recorder.max_notification_id() or 0
    assert all(
        "extra" not in n.state.decode() for n in ledger.recorder.select_notifications(1, stored)
    ), "the deep item wrote something"
    assert head is None or stored > head


def test_an_item_exactly_at_the_limit_is_imported_and_projects(ledger: Ledger) -> None:
    # The item is level 1, its `extra` field level 2: MAX_DEPTH in all.
    [result] = _import(ledger, _item(extra=nested(MAX_DEPTH - 1)))
    assert result.status == "imported", result.error

    read_model = ReadModel(ledger)
    read_model.projector.catch_up()

    assert read_model.position() == read_model.head()
    assert read_model.projector.stuck() == {}


def test_a_document_nested_far_deeper_than_its_items_is_read_without_a_crash(
    ledger: Ledger,
) -> None:
    document: Any = _item()
    for _ in range(900):
        document = {"wrapper": document}

    [result] = _import(ledger, document)

    assert result.status == "imported", result.error


@pytest.mark.parametrize(
    "rating",
    [
        _rating("Infinity", "Infinity"),
        _rating("1e999999999", "1e999999999"),
        _rating("-Infinity", "5"),
        _rating("NaN", "5"),
        _rating("sNaN", "5"),
        _rating("3", "1e999999999"),
        _rating("1e-999999999", "5"),
        _rating("3", "1e20"),
        _rating("0.1234567890123456789", "1"),
        _rating(float("inf"), 5),
        _rating(10**30, 10**31),
    ],
    ids=lambda r: f"{r['ratingValue']}/{r['bestRating']}"[:40],
)
def test_a_rating_that_is_not_a_bounded_finite_number_is_an_item_error(
    ledger: Ledger, rating: dict[str, Any]
) -> None:
    head = ledger.recorder.max_notification_id()

    [result] = _import(ledger, _item(reviewRating=rating))

    assert result.status == "error", result
    assert result.error
    assert ledger.recorder.max_notification_id() == head


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (2**64, "64 bits"),
        (-(2**63) - 1, "64 bits"),
        ("\ud800", "surrogate"),
        ({"\udfff": 1}, "surrogate"),
        (float("nan"), "NaN"),
    ],
    ids=["u64-overflow", "i64-underflow", "lone-surrogate", "surrogate-key", "nan"],
)
def test_a_value_no_view_or_canonical_encoding_can_hold_is_an_item_error(
    ledger: Ledger, extra: Any, words: str
) -> None:
    head = ledger.recorder.max_notification_id()

    [result] = _import(ledger, _item(extra=extra))

    assert result.status == "error" and words in (result.error or ""), result
    assert ledger.recorder.max_notification_id() == head


def _seed_copy(tmp_path: Path, change: Any) -> Path:
    data = yaml.safe_load(SEED.read_text())
    change(data)
    (tmp_path / "xi-putin-summit-2022.txt").write_text(
        (SEED.parent / "xi-putin-summit-2022.txt").read_text()
    )
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


@pytest.mark.parametrize("value", ["Infinity", "NaN", "1e999999999", "1e-40", "12 billion"])
def test_a_seed_quantity_that_is_not_a_bounded_finite_number_refuses_the_file(
    ledger: Ledger, tmp_path: Path, value: str
) -> None:
    def change(data: Any) -> None:
        claim = next(c for c in data["claims"] if c.get("quantities"))
        claim["quantities"][0]["value"] = value

    with pytest.raises(SeedError, match="quantit"):
        load_seed(ledger, _seed_copy(tmp_path, change))
    assert ledger.recorder.max_notification_id() in (None, 0)


def test_a_seed_file_nested_too_deeply_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("claims: " + "[" * 5000 + "]" * 5000 + "\n")

    with pytest.raises(SeedError, match="levels"):
        load_seed(ledger, path)


def test_a_seed_item_nested_past_the_limit_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(yaml.safe_dump({"claims": [{"key": nested(MAX_DEPTH + 5)}]}))

    with pytest.raises(SeedError, match="levels"):
        load_seed(ledger, path)


def test_a_captured_page_whose_json_ld_escapes_a_lone_surrogate_is_registered(
    ledger: Ledger, tmp_path: Path
) -> None:
    """Text from the wild is mended (U+FFFD), not refused: the page is what it is."""
    ld = (
        '{"@type": "NewsArticle", "headline": "Bad \\ud800 title", "author": {"name": "A \\udfff"}}'
    )
    html = (
        f'<html lang="en"><head><script type="application/ld+json">{ld}</script></head>'
        f"<body><article><p>{'Enough main text for the article body. ' * 20}</p></article>"
        "</body></html>"
    ).encode()
    fetched = Fetched(url="https://example.org/page", content_type="text/html", raw=html)

    source = register(ledger, context(), fetched.url, fetched, Snapshots(tmp_path)).aggregate

    assert source.title == "Bad \ufffd title" and source.authors == ["A \ufffd"]
