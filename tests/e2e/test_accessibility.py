"""Accessibility in a real browser: axe-core (vendored, tests/e2e/vendor/) finds no serious or
critical violation on any page at 1360 and at 375 px; nothing scrolls sideways at 375 px; the
keyboard reaches everything through a skip link and a visible focus ring."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Api
from tests.api.helpers import new_principal
from tests.e2e.pages import ActionChains, Keys, Page

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOG = "https://blog.example.org/2022/02/xi-putin-summit"
RUN_AXE = """const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then((r) => done(r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}))))
  .catch((e) => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));"""


def _queue_token(site: Api) -> str:
    """The token of a reviewer with a claim in its queue."""
    me = new_principal(site, "reviewer")
    claim = site.get("/claims", limit=500).json()["items"][-4]
    body = {"assignee": me["id"]}
    assert site.post(f"/claims/{claim['id']}/assignment", body, "reviewer").status_code == 200
    token: str = me["token"]
    return token


def _pages(site: Api) -> list[tuple[str, str, str] | tuple[str, str, str, str]]:
    """(name, fragment, a selector that shows the page has rendered[, the role it is seen as])."""
    claim = site.get("/claims", limit=1).json()["items"][0]
    [blog] = site.get("/sources", url=BLOG).json()["items"]
    hook = _webhook(site)
    organization = _organization(site)
    return [
        ("claims", "#/claims", ".claim-row"),
        ("claim", f"#/claims/{claim['id']}", ".history-event"),
        ("record", "#/record", "form.record-form"),
        (
            "record-from-selection",
            f"#/record?source={blog['id']}&start=40&end=60",
            ".anchor-preview",
        ),
        ("timeline", "#/timeline", ".timeline-entry"),
        ("graph", "#/graph", "svg.graph .edge"),
        ("relationships", "#/relationships?a=china&b=russia", ".chart-occurred svg"),
        ("source", f"#/sources/{blog['id']}", ".source-text"),
        ("audit", "#/audit?position=3", "#proof-status"),
        ("queue", "#/queue", ".queue-list .claim-row"),
        ("organizations-refused", "#/organizations", ".organizations-refused"),
        ("webhooks-refused", "#/webhooks", ".webhooks-refused"),
        # Another route between the two: opening the same fragment again would not re-route.
        ("not-found", "#/nowhere", "h1"),
        ("webhooks", "#/webhooks", ".webhook-row", "admin"),
        ("webhook", f"#/webhooks/{hook}", ".deliveries[data-loaded]", "admin"),
        ("organizations", "#/organizations", ".organization-row", "admin"),
        ("organization", f"#/organizations/{organization}", ".member-row", "admin"),
    ]


def _organization(site: Api) -> str:
    """An organization with a member, for the organizations pages."""
    listed = site.get("/organizations", role="admin").json()["items"]
    found = [o["id"] for o in listed if o["name"] == "A11y desk"]
    if found:
        return str(found[0])
    response = site.post("/organizations", {"name": "A11y desk"}, "admin")
    assert response.status_code == 201, response.text
    organization = str(response.json()["id"])
    member = new_principal(site, "reader", "A11y member")
    body = {"principal_id": member["id"], "role": "reviewer"}
    added = site.post(f"/organizations/{organization}/members", body, "admin")
    assert added.status_code == 201, added.text
    return organization


def _webhook(site: Api) -> str:
    """An endpoint for the webhooks pages, of a type no test records (so nothing is sent)."""
    body = {"url": "https://hooks.example.org/a11y", "event_types": ["keyrotation.made"]}
    listed = site.get("/webhooks", role="admin", limit=500).json()["items"]
    found = [h["id"] for h in listed if h["url"] == body["url"]]
    if found:
        return str(found[0])
    response = site.post("/webhooks", body, "admin")
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _violations(page: Page) -> list[dict[str, Any]]:
    if not page.driver.execute_script("return typeof window.axe === 'object'"):
        page.driver.execute_script(AXE.read_text(encoding="utf-8"))
    page.driver.set_script_timeout(60)
    found = page.driver.execute_async_script(RUN_AXE)
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width", [1360, 375])
def test_no_page_has_a_serious_or_critical_axe_violation(page: Page, site: Api, width: int) -> None:
    page.driver.set_window_size(width, 1000)
    problems = {}
    queue_token = _queue_token(site)
    try:
        for name, fragment, ready, *role in _pages(site):
            # "My queue" is the signed-in principal's: set its token (read at each render).
            token = queue_token if name == "queue" else site.tokens[role[0]] if role else ""
            page.driver.execute_script(
                "sessionStorage.setItem('claimtrail.token', arguments[0])", token
            )
            page.open(fragment)
            page.find(ready)
            page.settle()
            if found := _violations(page):
                problems[name] = found
            if width == 375:
                overflow = page.driver.execute_script(
                    "return document.documentElement.scrollWidth - window.innerWidth"
                )
                if overflow > 0:
                    problems[f"{name} (scrolls sideways by {overflow} px)"] = []
    finally:
        page.driver.set_window_size(1360, 1000)
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_the_keyboard_starts_at_a_skip_link_and_focus_is_visible(page: Page) -> None:
    page.open("#/graph")
    page.driver.refresh()  # focus starts at the top of a freshly loaded document
    page.find("svg.graph .edge")
    ActionChains(page.driver).send_keys(Keys.TAB).perform()
    focused = page.driver.switch_to.active_element
    assert focused.get_attribute("class") == "skip-link" and focused.is_displayed()
    outline = page.driver.execute_script(
        "const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]"
    )
    assert outline[0] != "none" and outline[1] >= 2
    ActionChains(page.driver).send_keys(Keys.ENTER).perform()
    assert page.driver.switch_to.active_element.get_attribute("id") == "view"
    # From the page itself, Tab reaches the graph's edges, and Enter chooses one.
    assert page.driver.current_url.endswith("#/graph")  # the skip link leaves the route alone
    for _ in range(40):
        ActionChains(page.driver).send_keys(Keys.TAB).perform()
        if page.driver.execute_script("return document.activeElement.dataset.edge || ''"):
            break
    edge = page.driver.switch_to.active_element
    assert edge.get_attribute("role") == "button"
    ActionChains(page.driver).send_keys(Keys.ENTER).perform()
    page.wait(lambda _: edge.get_attribute("aria-pressed") == "true")
    page.find("#edge-claims .claim-row")
