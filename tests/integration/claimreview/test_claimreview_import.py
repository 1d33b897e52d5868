"""ClaimReview as found in the wild imports item by item, idempotently, and re-exports."""

import json
from pathlib import Path
from typing import Any

from domain.claims import Claim
from domain.values import Role
from domain.vocabulary import Verdict
from infra.claimreview.export import export_claim_reviews
from infra.claimreview.importer import ClaimReviewImport
from infra.claimreview.parse import claim_reviews
from infra.ledger.application import Ledger
from tests.factories import context

FIXTURES = Path(__file__).parents[2] / "fixtures" / "claimreview"


def _document(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def _import(ledger: Ledger, name: str) -> list[Any]:
    return ClaimReviewImport(ledger).import_document(context(Role.REVIEWER), _document(name))


def test_a_claimreview_becomes_a_source_a_claimant_a_claim_and_its_review(ledger: Ledger) -> None:
    [result] = _import(ledger, "politifact-style.json")
    assert result.status == "imported"
    claim = ledger.claims.get(result.claim_id)
    assert claim.statement == "China signed a $400 billion 30-year gas deal with Russia."
    assert claim.claimant is not None and claim.claimant.name == "Genevieve Weiss"
    assert str(claim.occurred_on) == "2022-02-04"
    review = claim.verdict
    assert review is not None and review.verdict is Verdict.MOSTLY_TRUE
    assert review.label == "Mostly True" and review.rating is not None
    assert review.original == _document("politifact-style.json")  # kept verbatim
    source = ledger.sources.get(claim.appearances[0].source_id)
    assert source.url == "https://blog.example.org/2022/02/xi-putin-summit"


def test_string_ratings_legacy_creative_work_and_non_iso_dates_are_understood(
    ledger: Ledger,
) -> None:
    first, second = _import(ledger, "strings-and-legacy.json")
    masks = ledger.claims.get(first.claim_id)
    assert masks.verdict is not None and masks.verdict.verdict is Verdict.FALSE
    assert str(masks.occurred_on) == "2020-06-20"
    bridge = ledger.claims.get(second.claim_id)
    assert bridge.verdict is not None and bridge.verdict.verdict is Verdict.MIXED
    assert bridge.verdict.rating is None


def test_several_reviews_of_one_claim_in_a_graph_land_on_the_same_claim(ledger: Ledger) -> None:
    one, two = _import(ledger, "graph-several-reviews.json")
    assert one.claim_id == two.claim_id
    assert len(ledger.claims.get(one.claim_id).reviews) == 2


def test_an_invalid_item_is_reported_and_writes_nothing_while_the_others_import(
    ledger: Ledger,
) -> None:
    head = ledger.recorder.max_notification_id() or 0
    results = _import(ledger, "invalid-items.json")
    assert [r.status for r in results] == ["error", "error", "error", "imported"]
    assert all(r.error for r in results[:3])
    written = ledger.recorder.select_notifications(start=head, limit=100, inclusive_of_start=False)
    # Only the good item wrote anything: its source, claimant, claim and their reservations.
    assert {n.originator_id for n in written} >= {results[3].claim_id}
    claim_events = [n for n in written if n.topic.endswith("Claim.Recorded")]
    assert len(claim_events) == 1


def test_importing_the_same_files_twice_changes_nothing(ledger: Ledger) -> None:
    for path in sorted(FIXTURES.glob("*.json")):
        _import(ledger, path.name)
    head = ledger.recorder.max_notification_id()
    again = [r for path in sorted(FIXTURES.glob("*.json")) for r in _import(ledger, path.name)]
    assert {r.status for r in again} <= {"unchanged", "error"}
    assert ledger.recorder.max_notification_id() == head


def test_a_review_of_a_retracted_claim_is_an_item_error(ledger: Ledger) -> None:
    [result] = _import(ledger, "politifact-style.json")
    claim = ledger.claims.get(result.claim_id)
    ledger.claims.retract(context(Role.REVIEWER), claim.id, reason="withdrawn")
    document = _document("politifact-style.json")
    document["reviewRating"]["alternateName"] = "True after all"
    [again] = ClaimReviewImport(ledger).import_document(context(Role.REVIEWER), document)
    assert again.status == "error" and "retracted" in (again.error or "")


def test_everything_imported_re_exports_as_claimreview(ledger: Ledger) -> None:
    for path in sorted(FIXTURES.glob("*.json")):
        _import(ledger, path.name)
    exported = export_claim_reviews(ledger, "https://claimtrail.example")
    assert len(exported) == 6  # six distinct claims reviewed
    for review in exported:
        assert review["@type"] == "ClaimReview" and review["claimReviewed"]
        assert review["reviewRating"]["alternateName"]
        assert review["itemReviewed"]["@type"] == "Claim"
        assert review["itemReviewed"]["appearance"][0]["url"].startswith("http")
        assert review["author"]["name"] and review["datePublished"] and review["url"]
    # What we export, we can import again: nothing new is written for claims we know.
    assert len(claim_reviews(exported)) == 6


def test_reimporting_our_own_export_reuses_the_claims(ledger: Ledger) -> None:
    _import(ledger, "politifact-style.json")
    exported = export_claim_reviews(ledger, "https://claimtrail.example")
    results = ClaimReviewImport(ledger).import_document(context(Role.REVIEWER), exported)
    claim_ids = {r.claim_id for r in results}
    claims = [ledger.load(Claim, c) for c in claim_ids if c is not None]
    assert all(c.statement.startswith("China signed") for c in claims)


def test_an_item_holding_nan_is_an_item_error_and_the_views_keep_projecting(
    ledger: Ledger,
) -> None:
    """NaN reached the log once (Python's json reads it) and stalled the audit view, which
    cannot encode it; now the item is refused and projection goes on."""
    from infra.projections.read_model import ReadModel

    document = json.loads(
        json.dumps(_document("politifact-style.json")).replace(
            '"ratingValue": 4', '"ratingValue": NaN'
        )
    )
    head = ledger.recorder.max_notification_id() or 0
    results = ClaimReviewImport(ledger).import_document(context(Role.REVIEWER), document)
    assert [r.status for r in results] == ["error"]
    assert "NaN or infinite" in (results[0].error or "")
    assert (ledger.recorder.max_notification_id() or 0) == head
    ReadModel(ledger).projector.catch_up()
