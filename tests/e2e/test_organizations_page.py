"""The organizations pages in a real browser: an admin creates an organization, adds members
(picked from GET /people), changes a role and removes a member; the member then reviews a claim
from its page for the organization and the review says so; problems are shown as the API words
them; anyone else is told the pages are for admins."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from infra.ledger.application import open_ledger
from infra.seeding import load_seed
from tests.api.conftest import Api, World, serve
from tests.api.helpers import claim_payload, new_principal
from tests.e2e.conftest import SEED
from tests.e2e.pages import By, Page, WebElement
from tests.e2e.test_accessibility import BLOG


@pytest.fixture(scope="module")
def orgs(chromium: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """A server of its own (the seed): the organizations and reviews made here stay here."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e-orgs') / 'claimtrail.sqlite3'}"
    ledger = open_ledger(url)
    load_seed(ledger, SEED)
    ledger.close()
    yield from serve(url)


@pytest.fixture
def org_page(driver: Any, orgs: Api) -> Iterator[Page]:
    page = Page(driver, str(orgs.client.base_url).rstrip("/"))
    page.reset()
    yield page
    assert page.script_errors() == []


def _choose(select: WebElement, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(select).select_by_value(value)


def _row(page: Page, principal_id: str) -> str:
    return f".member-row[data-principal-id='{principal_id}']"


def _add(page: Page, principal_id: str, role: str) -> None:
    form = page.find("form.member-form")
    _choose(form.find_element(By.NAME, "principal_id"), principal_id)
    _choose(form.find_element(By.NAME, "role"), role)
    page.submit(form)
    page.find(_row(page, principal_id))


def test_an_admin_manages_members_and_a_member_reviews_for_the_organization(
    org_page: Page, orgs: Api
) -> None:
    page = org_page
    member = new_principal(orgs, "reader", "Ada Member")
    other = new_principal(orgs, "reader", "Bo Other")
    page.use_token(orgs.tokens["admin"])
    page.open("#/organizations")
    form = page.find("form.organization-form")
    page.fill(form, "name", "Desk Alpha")
    page.submit(form)
    link = page.wait_for_text(".organization-row .organization-name", "Desk Alpha")
    link.find_element(By.TAG_NAME, "a").click()
    page.wait_for_text("h1", "Desk Alpha")
    page.find(".member-form")

    _add(page, member["id"], "reviewer")
    _add(page, other["id"], "reviewer")
    row = page.find(_row(page, member["id"]))
    assert "Ada Member" in row.find_element(By.CSS_SELECTOR, ".member-name").text
    assert row.find_element(By.CSS_SELECTOR, ".member-role").text.lower() == "reviewer"
    # Already a member: the add form no longer offers them.
    offered = page.find("form.member-form select[name=principal_id]").text
    assert "Ada Member" not in offered and "Bo Other" not in offered

    # Change the other's role to admin, then remove them.
    row = page.find(_row(page, other["id"]))
    _choose(row.find_element(By.CSS_SELECTOR, "select[name=role]"), "admin")
    row.find_element(By.CSS_SELECTOR, "button.change-role").click()
    page.wait_for_text(f"{_row(page, other['id'])} .member-role", "ADMIN")
    # The same role again is a 409, shown as the API words it.
    page.find(f"{_row(page, other['id'])} button.change-role").click()
    page.wait_for_text(".member-problems .problem", "409")
    page.screenshot("organization")
    page.screenshot("organization", 375)
    page.find(f"{_row(page, other['id'])} button.remove-member").click()
    page.wait(lambda _: not page.all(_row(page, other["id"])))
    [organization] = orgs.get("/organizations", role="admin").json()["items"]
    assert [(m["principal_id"], m["role"]) for m in organization["members"]] == [
        (member["id"], "reviewer")
    ]

    # The member reviews a claim from its page: for the organization, and the review says so.
    [blog] = orgs.get("/sources", url=BLOG).json()["items"]
    recorded = orgs.post("/claims", claim_payload(World(blog["id"], "")))
    assert recorded.status_code == 201, recorded.text
    claim = recorded.json()
    page.use_token(member["token"])
    page.open(f"#/claims/{claim['id']}")
    form = page.open_action("review")
    chosen = page.wait_for_text(".review-organization-field select", "Desk Alpha")
    assert chosen.get_attribute("value") == organization["id"]
    page.fill(form, "explanation", "Checked against the transcript")
    page.submit(form)
    page.wait_for_text(".review .review-organization", "for Desk Alpha")
    [review] = orgs.get(f"/claims/{claim['id']}").json()["reviews"]
    assert review["organization_id"] == organization["id"]
    page.screenshot("claim-reviewed-for-organization")

    # A member who is not the organization's admin is refused its page, and told where it is.
    page.open("#/organizations")
    page.wait_for_text(".organizations-refused", "403")
    page.wait_for_text(".my-organization", "Desk Alpha")
    page.open(f"#/organizations/{organization['id']}")
    page.wait_for_text(".organizations-refused", "403")


def test_a_non_admin_is_refused_and_problems_are_shown(org_page: Page, orgs: Api) -> None:
    page = org_page
    page.open("#/organizations")
    page.wait_for_text(".organizations-refused", "401")
    page.use_token(orgs.tokens["reviewer"])
    page.wait_for_text(".organizations-refused", "403")
    assert "Admins only" in page.find(".organizations-refused h2").text

    page.use_token(orgs.tokens["admin"])
    page.open("#/organizations")
    form = page.find("form.organization-form")
    page.fill(form, "name", "Desk Beta")
    page.submit(form)
    page.wait_for_text(".organizations-table", "Desk Beta")
    page.fill(form, "name", "desk beta")  # the same name in another case: a 409
    page.submit(form)
    page.wait_for_text(".organization-form .problem", "409")
    # A blank principal: the API's 422, shown on the member form.
    page.find(".organization-row a").click()
    page.submit(page.find("form.member-form"))
    page.wait_for_text(".member-form .problem", "422")


def test_a_reader_without_a_token_sees_which_organization_a_review_is_for(
    org_page: Page, orgs: Api
) -> None:
    """The member is in two organizations and reviews for the second, which its public face
    (GET /people, its first) does not name: the claim's JSON does."""
    member = new_principal(orgs, "reader", "two-desk-member")
    desks = []
    for name in ("Desk One", "Desk Two"):
        desk = orgs.post("/organizations", {"name": name}, "admin").json()
        added = orgs.post(
            f"/organizations/{desk['id']}/members",
            {"principal_id": member["id"], "role": "reviewer"},
            "admin",
        )
        assert added.status_code == 201, added.text
        desks.append(desk)
    [blog] = orgs.get("/sources", url=BLOG).json()["items"]
    claim = orgs.post("/claims", claim_payload(World(blog["id"], ""))).json()
    reviewed = orgs.client.post(
        f"/claims/{claim['id']}/reviews",
        json={"verdict": "true", "explanation": "Both said so", "organization_id": desks[1]["id"]},
        headers={"Authorization": f"Bearer {member['token']}"},
    )
    assert reviewed.status_code == 201, reviewed.text

    org_page.open(f"#/claims/{claim['id']}")

    org_page.wait_for_text(".review .review-organization", "for Desk Two")
