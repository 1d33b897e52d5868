"""A pair's story over time in a real browser: the stance by the date the claims are about,
the stance as the ledger learned it, and the as_of slider moving the whole page back in time."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.e2e.pages import Keys, Page


def _signed(score: float) -> str:
    return f"{'+' if score > 0 else ''}{score:.2f}"


def test_the_china_russia_page_charts_the_stance_by_occurred_date(page: Page, site: Api) -> None:
    history = site.get("/relationships/china/russia/history").json()
    page.open("#/relationships?a=china&b=russia")
    chart = page.find(".chart-occurred svg.chart")
    page.wait(lambda _: len(page.all(".chart-occurred .bar")) == len(history["occurred"]))
    labels = [t.text for t in page.all(".chart-occurred .bar text.label:not(.muted)")]
    assert labels == [p["on"] or "undated" for p in history["occurred"]]
    assert labels[0] == "2014-05" and "2022-02-04" in labels
    assert "2014-05" in chart.get_attribute("aria-label")
    page.find(".chart-recorded svg.chart")
    page.screenshot("pair-china-russia")
    page.screenshot("pair-china-russia", 375)


def test_the_as_of_slider_shows_the_pair_as_the_ledger_knew_it(page: Page, site: Api) -> None:
    claim = next(
        c
        for c in site.get("/claims", subject="china", object="russia", limit=50).json()["items"]
        if c["relation"]["slug"] == "supports" and c["status"] != "retracted"
    )
    response = site.post(f"/claims/{claim['id']}/disputes", {"reason": "second hand, no source"})
    assert response.status_code == 201, response.text
    position = response.json()["position"]
    history = site.get("/relationships/china/russia/history", min_position=position).json()
    points = history["recorded"]
    assert len(points) >= 2
    page.open("#/relationships?a=china&b=russia")
    slider = page.find("#as-of-range")
    assert int(slider.get_attribute("max")) == len(points) - 1
    page.wait_for_text(".stance-number", _signed(points[-1]["score"]))

    slider.send_keys(Keys.LEFT)  # one step back: before the dispute
    before = points[-2]
    then = site.get("/relationships/china/russia", as_of=before["at"]).json()
    page.wait(lambda d: "as_of=" in d.current_url)
    page.wait_for_text("#h-stance", "as of")
    page.wait_for_text(".stance-number", _signed(then["stance"]["score"]))
    assert page.find("#as-of-output").text.startswith(before["at"][:10])
    assert then["stance"]["cooperation"] > points[-1]["cooperation"]  # the dispute halved one
    page.wait(
        lambda _: (
            [r.text.split()[-1] for r in page.all("table.edges tbody tr td.num")]
            == [f"{e['active_claims']}/{e['claims']}".split("/")[-1] for e in then["edges"]]
        )
    )
    slider.send_keys(Keys.HOME)
    first = site.get("/relationships/china/russia", as_of=points[0]["at"]).json()
    page.wait_for_text(".stance-number", _signed(first["stance"]["score"]))
    slider.send_keys(Keys.END)
    page.wait(lambda d: "as_of=" not in d.current_url)
    page.wait_for_text(".stance-number", _signed(points[-1]["score"]))
