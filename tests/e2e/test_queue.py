"""The editorial workflow in a real browser: "My queue" lists the claims assigned to the
signed-in principal (the token names it), starts the work on one, and a claim's page publishes
a draft review."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api
from tests.api.helpers import new_principal
from tests.e2e.pages import By, Page


def _assign(site: Api, claim: dict[str, Any], assignee: str) -> Any:
    response = site.post(f"/claims/{claim['id']}/assignment", {"assignee": assignee}, "reviewer")
    assert response.status_code == 200, response.text
    return response.json()


def _queue_rows(page: Page) -> dict[str, str]:
    """statement -> the workflow badge of each row of the queue."""
    return {
        row.find_element(By.CSS_SELECTOR, ".statement").text: row.find_element(
            By.CSS_SELECTOR, "[class*='workflow-']"
        ).text.lower()
        for row in page.all(".queue-list .claim-row")
    }


def test_my_queue_lists_my_claims_and_starts_the_work_on_one(page: Page, site: Api) -> None:
    me = new_principal(site, "reviewer")
    waiting, started = site.get("/claims", limit=500).json()["items"][-2:]
    _assign(site, waiting, me["id"])
    _assign(site, started, me["id"])
    site.post(f"/claims/{started['id']}/progress", None, "reviewer")
    someone_else = new_principal(site, "reviewer")
    _assign(site, site.get("/claims", limit=1).json()["items"][0], someone_else["id"])

    page.open("#/queue")
    page.wait_for_text("#view .notice", "Set an API token")
    page.use_token(me["token"])
    page.find(".nav a[data-route=queue]").click()
    page.wait(
        lambda _: (
            _queue_rows(page)
            == {waiting["statement"]: "assigned", started["statement"]: "in progress"}
        )
    )
    assert page.find(".nav a[aria-current=page]").text == "My queue"

    page.find(".queue-list .start-work").click()

    page.wait_for_text("#flash", "Work started")
    page.wait(
        lambda _: (
            _queue_rows(page)
            == {waiting["statement"]: "in progress", started["statement"]: "in progress"}
        )
    )
    assert site.get(f"/claims/{waiting['id']}").json()["workflow"] == "in_progress"
    assert not page.all(".queue-list .start-work")
    form = page.find("form.filters")
    page.driver.find_element(
        By.CSS_SELECTOR, "select[name=workflow] option[value=reviewed]"
    ).click()
    page.submit(form)
    page.wait_for_text(".empty", "None of your claims is in this state")
    assert "workflow=reviewed" in page.driver.current_url


def test_a_reviewer_publishes_a_draft_from_the_claims_page(page: Page, site: Api) -> None:
    claim = site.get("/claims", limit=500).json()["items"][-3]
    drafted = site.post(
        f"/claims/{claim['id']}/reviews",
        {"verdict": "misleading", "explanation": "Checked with the transcript", "state": "draft"},
        "reviewer",
    )
    assert drafted.status_code == 201, drafted.text
    page.use_token(site.tokens["reviewer"])
    page.open(f"#/claims/{claim['id']}")
    review = f".review[data-review-id='{drafted.json()['review_id']}']"
    page.wait_for_text(review, "DRAFT")
    assert "does not count" in page.find(review).text

    page.submit(page.find(f"{review} form[data-action=publish]"))

    page.wait_for_text("#flash", "Review published")
    page.wait_for_text(f"{review} .review-published", "PUBLISHED")
    assert "current verdict" in page.find(review).text
    assert site.get(f"/claims/{claim['id']}").json()["verdict"] == "misleading"
