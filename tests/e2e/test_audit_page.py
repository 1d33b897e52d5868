"""The audit page in a real browser: the checkpoint's Ed25519 signature checked by WebCrypto
(and said so plainly where it cannot be), an event's inclusion proof recomputed in the page,
its leaf recomputed from the log item, its path drawn."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.e2e.pages import By, Page


def _checkpoint(site: Api) -> dict[str, object]:
    head = site.get("/readyz").json()["position"]
    body = site.get("/audit/checkpoint", min_position=head).json()
    assert isinstance(body, dict)
    return body


def test_the_checkpoint_signature_is_checked_in_the_browser(page: Page, site: Api) -> None:
    checkpoint = _checkpoint(site)
    page.open("#/audit")
    page.wait_for_text("#signature-status", "Signature valid")
    assert page.find(".tree-size").text == f"{checkpoint['tree_size']} events"
    assert page.find(".root-hash").text == checkpoint["root_hash"]
    assert "checked in this browser" in page.find("#signature-status").text


def test_an_events_inclusion_proof_is_verified_and_drawn(page: Page, site: Api) -> None:
    checkpoint = _checkpoint(site)
    claim = site.get("/claims", limit=1).json()["items"][0]
    event = site.get(f"/claims/{claim['id']}/history").json()["items"][0]
    proof = site.get(
        "/audit/proofs/inclusion", position=event["position"], tree_size=checkpoint["tree_size"]
    ).json()
    page.open(f"#/claims/{claim['id']}")
    page.find(".history-event a[href^='#/audit?position=']").click()

    status = page.wait_for_text("#proof-status", "✓")
    assert f"leaf {proof['leaf_index']} of the signed tree of {checkpoint['tree_size']}" in (
        status.text
    )
    assert page.find("#leaf-status").text.startswith("✓ Leaf recomputed here")
    assert proof["leaf_hash"] in page.find("#leaf-status").text
    assert len(page.all("svg.proof-path .sibling")) == len(proof["path"]) > 0
    assert page.all("svg.proof-path .root.ok")
    page.screenshot("audit")
    page.screenshot("audit", 375)


def test_every_leaf_of_a_small_tree_checks_out(page: Page, site: Api) -> None:
    page.open("#/audit")
    for position in (1, 2, 3):
        form = page.find("form.proof-form")
        page.fill(form, "position", str(position))
        page.submit(form)
        page.wait_for_text("#proof-status", f"Event #{position} is leaf {position - 1}")


def test_a_position_outside_the_log_is_a_problem_and_zero_is_refused(page: Page) -> None:
    page.open("#/audit?position=999999999")
    page.wait_for_text(".proof-result .problem", "404")
    form = page.find("form.proof-form")
    form.find_element(By.NAME, "position").clear()
    form.find_element(By.NAME, "position").send_keys("0")
    page.driver.execute_script("arguments[0].requestSubmit()", form)
    page.wait_for_text(".proof-result", "Enter a log position")


def test_without_ed25519_in_webcrypto_the_page_says_it_did_not_check(page: Page) -> None:
    page.open("#/claims")
    page.find(".claim-row")
    page.driver.execute_script(
        """const original = crypto.subtle.importKey.bind(crypto.subtle);
           crypto.subtle.importKey = (format, key, algorithm, ...rest) =>
             algorithm && algorithm.name === 'Ed25519'
               ? Promise.reject(new DOMException('Unrecognized name', 'NotSupportedError'))
               : original(format, key, algorithm, ...rest);
           location.hash = '#/audit';"""
    )
    status = page.wait_for_text("#signature-status", "Signature not checked here")
    assert "no Ed25519" in status.text
    assert "claimtrail verify" in status.text
