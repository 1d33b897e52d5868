"""The relationship graph in a real browser: nodes and edges as the API gives them, an edge
chosen by keyboard lists the claims behind it and leads to the pair's story over time."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.e2e.pages import By, Keys, Page


def test_the_graph_draws_every_actor_and_edge_coloured_by_quad_class(page: Page, site: Api) -> None:
    graph = site.get("/relationships/graph").json()
    page.open("#/graph")
    page.find("svg.graph")
    page.wait(lambda _: len(page.all("svg.graph .node")) == len(graph["nodes"]))
    assert {n.text for n in page.all("svg.graph .node text")} == {n["name"] for n in graph["nodes"]}
    drawn = {e.get_attribute("data-edge"): e for e in page.all("svg.graph .edge")}
    assert set(drawn) == {
        f"{e['source']}|{e['target']}|{e['relation']['slug']}" for e in graph["edges"]
    }
    for edge in graph["edges"]:
        element = drawn[f"{edge['source']}|{edge['target']}|{edge['relation']['slug']}"]
        assert f"quad-{edge['relation']['quad_class']}" in element.get_attribute("class")
        line = element.find_element(By.CSS_SELECTOR, ".edge-line")
        assert float(line.get_attribute("stroke-width")) > 1.5 * (edge["active_claims"] > 0)
    supports = drawn["china|russia|supports"]
    assert "China supports Russia" in supports.get_attribute("aria-label")
    page.screenshot("graph")
    page.screenshot("graph", 375)


def test_choosing_an_edge_by_keyboard_lists_its_claims_and_links_the_pair(
    page: Page, site: Api
) -> None:
    pair = site.get("/relationships/china/russia").json()
    [edge] = [
        e
        for e in pair["edges"]
        if (e["source"], e["target"], e["relation"]["slug"]) == ("china", "russia", "supports")
    ]
    statements = {site.get(f"/claims/{i}").json()["statement"] for i in edge["claim_ids"]}
    page.open("#/graph")
    element = page.find("svg.graph .edge[data-edge='china|russia|supports']")
    element.send_keys(Keys.ENTER)

    page.wait_for_text("#edge-claims h2", "China → Russia: supports")
    page.wait(lambda _: set(page.texts("#edge-claims .claim-row .statement")) == statements)
    assert element.get_attribute("aria-pressed") == "true"
    page.screenshot("graph-edge-claims")
    page.find("#edge-claims a[href*='relationships?a=china&b=russia']").click()
    page.wait(lambda d: d.current_url.endswith("#/relationships?a=china&b=russia"))
    page.wait(lambda _: len(page.all("table.edges tbody tr")) == len(pair["edges"]))


def test_the_edge_list_offers_every_edge_as_a_button(page: Page, site: Api) -> None:
    graph = site.get("/relationships/graph").json()
    page.open("#/graph")
    page.find(".edge-list summary").click()
    buttons = page.all(".edge-list button")
    assert len(buttons) == len(graph["edges"])
    target = next(b for b in buttons if b.get_attribute("data-edge") == "russia|nato|demands")
    target.click()
    page.wait_for_text("#edge-claims h2", "Russia → NATO: demands")
    page.find("#edge-claims .claim-row")
