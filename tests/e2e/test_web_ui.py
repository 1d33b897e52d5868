"""The web UI in a real browser, against the Xi-Putin seed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from selenium.webdriver.support.select import Select

from tests.api.conftest import Api
from tests.api.helpers import new_principal
from tests.e2e.pages import By, Page

SEED_BLOG = "https://blog.example.org/2022/02/xi-putin-summit"


def _claim(site: Api, statement: str) -> dict[str, Any]:
    items = site.get("/claims", q=statement, limit=5).json()["items"]
    return next(c for c in items if c["statement"] == statement)


def test_the_claims_list_shows_the_seeded_claims_and_filters_by_actor(
    page: Page, site: Api
) -> None:
    everything = [c["statement"] for c in site.get("/claims", limit=500).json()["items"]]
    page.open("#/claims")
    page.wait(lambda _: page.claim_rows() == everything[:25])
    if len(everything) > 25:
        page.find("button.load-more").click()
        page.wait(lambda _: page.claim_rows() == everything[:50])

    about_ukraine = [c["statement"] for c in site.get("/claims", actor="ukraine").json()["items"]]
    assert 0 < len(about_ukraine) < len(everything)
    form = page.find("form.filters")
    page.fill(form, "actor", "ukraine")
    page.submit(form)
    page.wait(lambda _: page.claim_rows() == about_ukraine)
    assert "actor=ukraine" in page.driver.current_url
    assert all("Ukraine" in row for row in page.texts(".claim-row .triple"))


def test_the_claims_list_filters_by_workflow_state_and_language(page: Page, site: Api) -> None:
    claim = site.get("/claims", limit=500).json()["items"][-3]
    reviewer = new_principal(site, "reviewer")
    assigned = site.post(
        f"/claims/{claim['id']}/assignment", {"assignee": reviewer["id"]}, "reviewer"
    )
    assert assigned.status_code == 200, assigned.text
    head = site.get("/readyz").json()["position"]  # the views have seen the assignment
    filters = {"workflow": "assigned", "lang": "en", "limit": 25, "min_position": head}
    wanted = site.get("/claims", **filters).json()["items"]
    expected = [c["statement"] for c in wanted]
    assert claim["statement"] in expected

    page.open("#/claims")
    form = page.find("form.filters")
    Select(form.find_element(By.NAME, "workflow")).select_by_value("assigned")
    page.fill(form, "lang", "en")
    page.submit(form)

    page.wait(lambda _: page.claim_rows() == expected)
    assert "workflow=assigned" in page.driver.current_url
    assert "lang=en" in page.driver.current_url


def test_opening_a_claim_shows_its_quote_in_its_source_and_its_history(
    page: Page, site: Api
) -> None:
    claim = _claim(
        site,
        "Vladimir Putin and Xi Jinping met in Beijing for the opening ceremony "
        "of the 2022 Winter Olympics.",
    )
    quote = claim["appearances"][0]
    history = site.get(f"/claims/{claim['id']}/history").json()["items"]
    page.open("#/claims")
    page.wait(lambda d: d.find_element(By.LINK_TEXT, claim["statement"])).click()

    page.wait_for_text("h1", claim["statement"])
    assert page.find(".panel-quote mark").text == quote["exact"]
    passage = page.find(".panel-quote blockquote").text
    assert quote["prefix"] + quote["exact"] + quote["suffix"] in passage
    assert "Xi-Putin summit" in page.find(".panel-quote figcaption").text
    assert claim["language"] == "en"
    assert page.find(".panel-quote blockquote").get_attribute("lang") == "en"
    terms = page.texts(".facts dt")
    assert page.texts(".facts dd")[terms.index("Language")] == "en"
    events = page.all(".history-event")
    assert [e.get_attribute("data-type") for e in events] == [i["type"] for i in history]
    assert f"#{history[0]['position']}" in events[0].text
    assert history[0]["recorded_by"][:8] in events[0].text
    assert history[0]["recorded_by_name"] and history[0]["recorded_by_name"] in events[0].text


def test_a_contributor_files_a_dispute_and_sees_it_on_the_claim_and_in_the_timeline(
    page: Page, site: Api, tmp_path: Path
) -> None:
    claim = _claim(site, "A crisis is unfolding in Ukraine, with Russia threatening Ukraine.")
    reason = "The post says a crisis is unfolding; it never says Russia threatens Ukraine."
    page.open("#/claims")
    page.use_token(site.tokens["contributor"])
    page.open(f"#/claims/{claim['id']}")
    form = page.open_action("dispute")
    page.fill(form, "reason", reason)
    page.submit(form)

    dispute = page.wait_for_text(".panel-disputes .dispute", reason)
    assert "open" in dispute.find_element(By.CSS_SELECTOR, ".badge").text.lower()
    assert "you" in dispute.find_element(By.CSS_SELECTOR, ".byline").text
    page.wait(lambda _: "disputed" in page.find(".claim-head .badges").text.lower())
    assert page.all(".history-event")[-1].get_attribute("data-type") == "claim.disputed"
    _screenshot(page, tmp_path / "claim-with-dispute.png")

    page.find(".nav a[data-route=timeline]").click()
    entry = page.wait_for_text(".timeline-entry[data-type='claim.disputed']", reason)
    link = entry.find_element(By.CSS_SELECTOR, ".timeline-summary a")
    assert link.get_attribute("href").endswith(f"#/claims/{claim['id']}")


def test_the_timeline_shows_new_events_as_they_happen(page: Page, site: Api) -> None:
    claim = _claim(site, "Russia demands security guarantees from NATO.")
    page.open("#/timeline")
    page.find(".live.live-on")
    note = "Ushakov's words are quoted second hand; no primary source is linked."
    response = site.post(f"/claims/{claim['id']}/evidence", {"stance": "context", "note": note})
    assert response.status_code == 201, response.text

    entry = page.wait_for_text(".timeline-entry.is-new", note)
    assert entry.get_attribute("data-type") == "claim.evidence_added"
    assert page.all(".timeline-entry")[0] == entry  # newest first


def test_the_relationships_of_china_and_russia_show_edges_and_a_positive_stance(
    page: Page, site: Api
) -> None:
    pair = site.get("/relationships/china/russia").json()
    page.open("#/relationships")
    form = page.find("form.pair-form")
    page.fill(form, "a", "china")
    page.fill(form, "b", "russia")
    page.submit(form)

    page.wait(lambda _: len(page.all("table.edges tbody tr")) == len(pair["edges"]) > 0)
    rows = page.texts("table.edges tbody tr")
    assert any(row.startswith("China → Russia") for row in rows)
    assert any(row.startswith("Russia → China") for row in rows)
    assert any("050" in row and "cooperates diplomatically" in row for row in rows)
    assert float(page.find(".stance-number").text) > 0
    assert page.find(".stance-tone").text.lower() == "cooperative"


def test_an_invalid_dispute_shows_the_problem_detail(page: Page, site: Api) -> None:
    claim = _claim(site, "Russia is in conflict with the NATO countries.")
    page.open("#/claims")
    page.use_token(site.tokens["contributor"])
    page.open(f"#/claims/{claim['id']}")
    form = page.open_action("dispute")
    page.submit(form)  # the reason left empty

    problem = page.wait_for_text(".actions .problem", "Validation failed")
    assert "(422)" in problem.text
    assert "reason" in problem.text
    reason = form.find_element(By.NAME, "reason")
    assert reason.get_attribute("aria-invalid") == "true"
    error = page.driver.find_element(By.ID, f"{reason.get_attribute('id')}-error")
    assert "at least 1 character" in error.text
    assert site.get(f"/claims/{claim['id']}").json()["disputes"] == []


def test_recording_a_claim_suggests_the_actor_meant_by_a_misspelling(page: Page, site: Api) -> None:
    page.open("#/record")
    page.use_token(site.tokens["contributor"])
    lookup = page.find("form.source-lookup")
    page.fill(lookup, "url", SEED_BLOG)
    page.submit(lookup)
    page.find(".source-text")
    quote = "expand payments in national currencies"
    page.driver.execute_script(  # select the words in the source text, as a reader would
        """const node = document.querySelector('.source-text').firstChild;
           const start = node.textContent.indexOf(arguments[0]);
           const range = document.createRange();
           range.setStart(node, start); range.setEnd(node, start + arguments[0].length);
           getSelection().removeAllRanges(); getSelection().addRange(range);
           node.parentElement.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));""",
        quote,
    )
    form = page.find("form.record-form")
    assert form.find_element(By.NAME, "exact").get_attribute("value") == quote
    page.fill(form, "statement", "Putin wants more trade with China settled in roubles and yuan.")
    page.fill(form, "subject", "Rusia")
    relation = "select[name=relation] option[value=cooperates_economically]"
    form.find_element(By.CSS_SELECTOR, relation).click()
    page.fill(form, "object", "Beijing")
    page.submit(form)

    page.wait_for_text(".record-form .problem", "Unknown actor")
    page.find(".record-form .suggestions button.chip").click()
    assert form.find_element(By.NAME, "subject").get_attribute("value") == "russia"
    page.submit(form)
    page.wait_for_text("h1", "Putin wants more trade")
    assert page.find(".panel-quote mark").text == quote
    assert "China" in page.find(".claim-head .triple").text


def _screenshot(page: Page, path: Path) -> None:
    page.driver.set_window_size(1360, 1500)
    page.driver.execute_script("window.scrollTo(0, 0)")
    assert page.driver.save_screenshot(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    keep = os.environ.get("CLAIMTRAIL_E2E_SCREENSHOTS")  # a folder to keep it in, for a look
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)
    page.driver.set_window_size(1360, 1000)
