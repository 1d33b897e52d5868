"""The webhooks page in a real browser: an admin registers an endpoint on a loopback receiver,
sees its secret once, and sees a claim recorded afterwards delivered (signed with that secret)
in the endpoint's deliveries table; disables and enables it; problems are shown as the API
words them; anyone else is told the page is for admins."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from infra.ledger.application import open_ledger
from infra.seeding import load_seed
from tests.api.conftest import Api, World, serve
from tests.api.helpers import claim_payload
from tests.e2e.conftest import SEED
from tests.e2e.pages import By, Page
from tests.e2e.test_accessibility import BLOG, _violations
from tests.webhook_receiver import Receiver, receiving

FAST = {
    "webhook_allow_private": True,  # the receiver is on loopback
    "webhook_retry_first": 0.2,
    "webhook_retry_max": 1.0,
    "webhook_poll": 0.05,
}


@pytest.fixture(scope="module")
def hooked(chromium: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """A server of its own (the seed, private webhook urls allowed, quick retries)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e-hooks') / 'claimtrail.sqlite3'}"
    ledger = open_ledger(url)
    load_seed(ledger, SEED)
    ledger.close()
    yield from serve(url, **FAST)


@pytest.fixture
def hook_page(driver: Any, hooked: Api) -> Iterator[Page]:
    page = Page(driver, str(hooked.client.base_url).rstrip("/"))
    page.reset()
    yield page
    assert page.script_errors() == []


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as found:
        yield found


def _record_claim(api: Api) -> Any:
    [blog] = api.get("/sources", url=BLOG).json()["items"]
    response = api.post("/claims", claim_payload(World(blog["id"], "")))
    assert response.status_code == 201, response.text
    return response.json()


def _register(page: Page, url: str, *types: str) -> None:
    form = page.find("form.webhook-form")
    page.fill(form, "url", url)
    for name in types:
        form.find_element(By.CSS_SELECTOR, f"input[name=event_types][value='{name}']").click()
    page.submit(form)


def test_an_admin_registers_a_webhook_sees_the_secret_once_and_its_deliveries(
    hook_page: Page, hooked: Api, receiver: Receiver
) -> None:
    page = hook_page
    page.use_token(hooked.tokens["admin"])
    page.open("#/webhooks")
    _register(page, receiver.url, "claim.*")

    secret = page.find("#webhook-secret").get_attribute("value")
    assert secret.startswith("whsec_")
    assert "Shown only now" in page.find(".secret-warning").text
    page.find(".copy-secret").click()
    page.wait(lambda _: page.find(".copy-status").text.strip() != "")
    row = page.wait_for_text(".webhook-row .hook-url", receiver.url)
    hook_id = row.find_element(By.XPATH, "./ancestor::tr").get_attribute("data-webhook-id")
    assert page.find(".webhook-row .hook-acknowledged").text  # "#N" once the worker got to it
    page.screenshot("webhooks-secret")

    # Once the page is left, the secret is gone for good: neither the page nor the API has it.
    page.find(".webhook-row a.button").click()
    page.wait_for_text(".empty", "Nothing was tried")
    assert secret not in page.driver.page_source
    assert secret not in hooked.get(f"/webhooks/{hook_id}", role="admin").text

    claim = _record_claim(hooked)
    delivered = page.wait_for_text(".delivery-row.is-delivered .delivery-type", "claim.recorded")
    row = delivered.find_element(By.XPATH, "./ancestor::tr")
    assert row.get_attribute("data-position") == str(claim["position"])
    assert row.find_element(By.CSS_SELECTOR, ".delivery-attempts").text == "1"
    assert row.find_element(By.CSS_SELECTOR, ".delivery-answer").text == "200"
    assert row.find_element(By.CSS_SELECTOR, ".delivery-next").text == "—"
    [received] = receiver.received
    assert received.verified(secret)["position"] == claim["position"]  # the secret shown signs
    page.wait_for_text(".deliveries-status", f"acknowledged up to #{claim['position']}")
    page.screenshot("webhook-deliveries")
    page.screenshot("webhook-deliveries", 375)
    for width in (1360, 375):
        page.driver.set_window_size(width, 1000)
        try:
            page.settle()
            assert _violations(page) == []
        finally:
            page.driver.set_window_size(1360, 1000)

    # Disable with a reason, then enable again, from the endpoint's page.
    page.fill(page.find("form.toggle-form"), "reason", "moving the receiver")
    page.submit(page.find("form.toggle-form"))
    page.wait_for_text(".hook-state", "DISABLED")
    page.submit(page.find("form.toggle-form"))
    page.wait_for_text(".hook-state", "ENABLED")
    assert hooked.get(f"/webhooks/{hook_id}", role="admin").json()["version"] == 3


def test_the_list_disables_and_a_stale_page_shows_the_conflict(
    hook_page: Page, hooked: Api
) -> None:
    page = hook_page
    created = hooked.post(
        "/webhooks",
        {"url": "https://hooks.example.org/list", "event_types": ["keyrotation.made"]},
        "admin",
    ).json()
    page.use_token(hooked.tokens["admin"])
    page.open("#/webhooks")
    button = f"tr[data-webhook-id='{created['id']}'] button.toggle"
    page.wait_for_text(button, "Disable").click()
    page.wait_for_text(f"tr[data-webhook-id='{created['id']}'] .badge", "DISABLED")

    # Enabled behind the page's back: the page's "Enable" is at an old version, a 412 problem.
    ok = hooked.post(f"/webhooks/{created['id']}/enable", {}, "admin")
    assert ok.status_code == 200, ok.text
    page.wait_for_text(button, "Enable").click()
    problem = page.find(".problem")
    assert "412" in problem.text


def test_problems_are_shown_as_the_api_words_them(hook_page: Page, hooked: Api) -> None:
    page = hook_page
    page.use_token(hooked.tokens["admin"])
    page.open("#/webhooks")
    _register(page, "ftp://hooks.example.org/x", "*")
    page.wait_for_text(".webhook-form .problem", "422")

    page.driver.refresh()
    _register(page, "https://hooks.example.org/none")  # no event type chosen
    problem = page.wait_for_text(".webhook-form .problem", "422")
    assert "event_types" in problem.text
    assert not page.all("#webhook-secret")


@pytest.mark.parametrize(
    ("role", "message"), [(None, "An admin token is needed"), ("reviewer", "Admins only")]
)
def test_anyone_but_an_admin_is_told_the_page_is_for_admins(
    hook_page: Page, hooked: Api, role: str | None, message: str
) -> None:
    page = hook_page
    if role:
        page.use_token(hooked.tokens[role])
    page.open("#/webhooks")
    refused = page.wait_for_text(".webhooks-refused", message)
    assert ("403" if role else "401") in refused.text
    assert not page.all("form.webhook-form") and not page.all(".webhooks-table")


def test_an_admin_changes_the_event_types_and_the_same_ones_again_are_a_conflict(
    hook_page: Page, hooked: Api
) -> None:
    page = hook_page
    created = hooked.post(
        "/webhooks",
        {"url": "https://hooks.example.org/types", "event_types": ["keyrotation.made"]},
        "admin",
    ).json()
    page.use_token(hooked.tokens["admin"])
    page.open(f"#/webhooks/{created['id']}")
    page.find(".change-types summary").click()
    form = page.find("form.types-form")
    assert form.find_element(By.CSS_SELECTOR, "input[value='keyrotation.made']").is_selected()
    for value in ("keyrotation.made", "claim.disputed", "actor.*"):
        form.find_element(By.CSS_SELECTOR, f"input[value='{value}']").click()
    page.submit(form)
    page.wait_for_text(".facts", "claim.disputed")
    assert hooked.get(f"/webhooks/{created['id']}", role="admin").json()["event_types"] == [
        "actor.*",
        "claim.disputed",
    ]

    page.find(".change-types summary").click()
    page.submit(page.find("form.types-form"))  # the types it already has
    assert "409" in page.wait_for_text("form.types-form .problem", "409").text
