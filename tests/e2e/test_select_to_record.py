"""Recording by selecting words on a source's page, in a real browser: the record form opens
with the quote, prefix and suffix filled in and the anchor shown; the candidate claims of
GET /sources/{id}/candidates beside the text, each accepted into the record form."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api
from tests.e2e.pages import By, Page

BLOG = "https://blog.example.org/2022/02/xi-putin-summit"
SELECT = """const node = document.querySelector('.source-text').firstChild;
const start = node.textContent.indexOf(arguments[0]);
const range = document.createRange();
range.setStart(node, start); range.setEnd(node, start + arguments[0].length);
getSelection().removeAllRanges(); getSelection().addRange(range);
node.parentElement.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
return start;"""


def _blog(site: Api) -> dict[str, Any]:
    [source] = site.get("/sources", url=BLOG).json()["items"]
    body = site.get(f"/sources/{source['id']}", include="text").json()
    assert isinstance(body, dict)
    return body


def test_selecting_words_on_a_source_page_opens_the_form_with_the_anchor(
    page: Page, site: Api
) -> None:
    source = _blog(site)
    text, quote = source["text"], "changing the postwar world order"
    assert text.count(quote) == 1
    page.open(f"#/sources/{source['id']}")
    page.use_token(site.tokens["contributor"])
    page.wait_for_text("h1", source["title"])
    page.find(".source-text")
    page.screenshot("source-page")
    start = page.driver.execute_script(SELECT, quote)

    form = page.find("form.record-form")
    page.wait(lambda _: form.find_element(By.NAME, "exact").get_attribute("value") == quote)
    end = start + len(quote)
    assert form.find_element(By.NAME, "prefix").get_attribute("value") == text[start - 32 : start]
    assert form.find_element(By.NAME, "suffix").get_attribute("value") == text[end : end + 32]
    preview = page.find(".anchor-preview")
    assert f"characters {start}\u2013{end} of {len(text)}" in preview.text
    assert preview.find_element(By.TAG_NAME, "mark").text == quote
    assert f"start={start}" in page.driver.current_url
    page.screenshot("record-from-selection")
    page.fill(form, "statement", "The quasi-alliance is changing the postwar world order.")
    page.fill(form, "subject", "china")
    relation = "select[name=relation] option[value=cooperates_diplomatically]"
    form.find_element(By.CSS_SELECTOR, relation).click()
    page.fill(form, "object", "russia")
    page.submit(form)

    page.wait_for_text("h1", "The quasi-alliance is changing the postwar world order.")
    assert page.find(".panel-quote mark").text == quote
    [claim] = [
        c
        for c in site.get("/claims", q="postwar world order", limit=5).json()["items"]
        if c["statement"] == "The quasi-alliance is changing the postwar world order."
    ]
    [appearance] = claim["appearances"]
    assert (appearance["start"], appearance["end"], appearance["exact"]) == (start, end, quote)


def test_a_repeated_quote_says_so_and_opens_prefix_and_suffix(page: Page, site: Api) -> None:
    source = _blog(site)
    word = "Russia"
    assert source["text"].count(word) > 1
    page.open(f"#/sources/{source['id']}")
    page.find(".source-text")
    page.driver.execute_script(SELECT, word)
    preview = page.wait_for_text(".anchor-preview", "occur")
    assert f"occur {source['text'].count(word)} times" in preview.text
    assert page.find("details.context-fields").get_attribute("open") is not None


def test_the_candidates_are_shown_beside_the_text_and_one_is_accepted(
    page: Page, site: Api
) -> None:
    source = _blog(site)
    items = site.get(f"/sources/{source['id']}/candidates").json()["items"]
    assert items
    page.open(f"#/sources/{source['id']}")
    page.use_token(site.tokens["contributor"])
    panel = page.wait_for_text(".candidates h2", f"Candidate claims ({len(items)})")
    assert [m.text for m in page.all(".candidate blockquote mark")] == [i["exact"] for i in items]
    index, item = next(
        (n, i)
        for n, i in enumerate(items)
        if i["subject"] and i["relation"] and not i["proposed_actors"]
    )
    page.screenshot("source-candidates")
    page.all(".candidate a.button")[index].click()

    form = page.find("form.record-form")
    page.wait(lambda _: form.find_element(By.NAME, "exact").get_attribute("value") == item["exact"])
    assert form.find_element(By.NAME, "statement").get_attribute("value") == item["statement"]
    assert form.find_element(By.NAME, "subject").get_attribute("value") == item["subject"]
    assert form.find_element(By.NAME, "relation").get_attribute("value") == item["relation"]
    assert f"characters {item['start']}\u2013{item['end']}" in page.find(".anchor-preview").text
    assert panel is not None
    page.submit(form)
    page.wait_for_text("h1", item["statement"][:40])
    assert page.find(".panel-quote mark").text == item["exact"]
