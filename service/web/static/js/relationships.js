// Relationships: two actors, the directed edges between them and the pair's stance.

import { actorField } from "./actors.js";
import { api } from "./api.js";
import { emptyState, h, heading, labelOf, partialDate, replace } from "./dom.js";
import { problemBox } from "./forms.js";
import { occurredChart, recordedChart } from "./pair_chart.js";

const QUAD_CLASSES = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };

export async function relationshipsView(view, params) {
  const a = params.get("a") ?? "";
  const b = params.get("b") ?? "";
  const form = h("form", { class: "filters pair-form", role: "search", "aria-label": "Choose two actors" },
    actorField({ label: "Actor", name: "a", value: a, required: true }),
    h("button", { type: "button", class: "swap", "aria-label": "Swap the actors", title: "Swap",
      onclick: () => swap(form) }, "⇄"),
    actorField({ label: "Other actor", name: "b", value: b, required: true }),
    h("div", { class: "filter-buttons" }, h("button", { type: "submit", class: "primary" }, "Compare")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams({ a: form.elements.namedItem("a").value.trim(), b: form.elements.namedItem("b").value.trim() });
    location.hash = `#/relationships?${next}`;
  });
  const result = h("div", { class: "pair-result" });
  replace(view, h("div", { class: "page-head" }, heading("Relationships")),
    h("p", { class: "lede" }, "What the ledger's claims say about how two actors treat each other, by CAMEO relation."),
    form, result);
  if (!a || !b) {
    replace(result, emptyState("Pick two actors, e.g. china and russia."));
    return;
  }
  const path = `/relationships/${encodeURIComponent(a)}/${encodeURIComponent(b)}`;
  try {
    const asOf = params.get("as_of") || null;
    const [history, pair, then] = await Promise.all([api.view(`${path}/history`), api.view(path, { as_of: asOf }),
      api.view(`${path}/history`, { as_of: asOf })]);
    const shown = h("div", { class: "pair-shown", "aria-live": "polite" });
    const show = (current, past, moment) => replace(shown, stancePanel(current, moment),
      h("div", { class: "pair-charts" }, occurredChart(past.occurred, names(current)),
        recordedChart(history.recorded, names(current), moment)),
      edgesTable(current));
    replace(result, slider(history.recorded, asOf, async (moment) => {
      const next = new URLSearchParams({ a, b });
      if (moment) next.set("as_of", moment);
      window.history.replaceState(null, "", `#/relationships?${next}`);
      try {
        const [current, past] = await Promise.all([api.view(path, { as_of: moment }), api.view(`${path}/history`, { as_of: moment })]);
        show(current, past, moment);
      } catch (error) {
        replace(shown, problemBox(error));
      }
    }), shown);
    show(pair, then, asOf);
  } catch (error) {
    replace(result, problemBox(error));
  }
}

const names = (pair) => pair.actors.map((actor) => actor.name).join(" and ");
const stamp = (iso) => iso.replace("T", " ").replace(/\.\d+Z$/, " UTC");

/** The as_of slider: one stop per moment the pair changed; the last stop is now. */
function slider(points, asOf, onPick) {
  if (!points.length) return null;
  const last = points.length - 1;
  let index = asOf ? points.findLastIndex((p) => p.at <= asOf) : last;
  if (index < 0) index = 0;
  const moment = (i) => (i === last ? null : points[i].at);
  const text = (i) => (i === last ? `now (${stamp(points[i].at)}, the latest change)` : stamp(points[i].at));
  const output = h("output", { for: "as-of-range", id: "as-of-output" }, text(index));
  const range = h("input", { type: "range", id: "as-of-range", name: "as_of", min: 0, max: last, step: 1, value: index,
    "aria-valuetext": text(index), "aria-describedby": "as-of-help" });
  let timer = null;
  range.addEventListener("input", () => {
    const i = Number(range.value);
    output.textContent = text(i);
    range.setAttribute("aria-valuetext", text(i));
    clearTimeout(timer);
    timer = setTimeout(() => onPick(moment(i)), 120);
  });
  return h("div", { class: "panel as-of" },
    h("label", { for: "as-of-range" }, "The ledger as of: ", output),
    range,
    h("p", { class: "hint", id: "as-of-help" }, `${points.length} moments when what the ledger says about this pair changed; drag, or use the arrow keys.`));
}

function swap(form) {
  const [x, y] = [form.elements.namedItem("a"), form.elements.namedItem("b")];
  [x.value, y.value] = [y.value, x.value];
}

function stancePanel(pair, asOf) {
  const { score, cooperation, conflict } = pair.stance;
  const tone = score > 0.2 ? "cooperative" : score < -0.2 ? "conflictual" : "mixed";
  const [first, second] = pair.actors;
  const signed = `${score > 0 ? "+" : ""}${score.toFixed(2)}`;
  // -1 … +1 drawn as a marker on a diverging scale; CSSOM sets the position (CSP-safe).
  const marker = h("span", { class: "stance-marker" });
  marker.style.left = `${((score + 1) / 2) * 100}%`;
  return h("section", { class: `panel stance stance-${tone}`, "aria-labelledby": "h-stance" },
    h("h2", { id: "h-stance" }, `${first.name} ↔ ${second.name}`, asOf ? h("span", { class: "small muted" }, ` as of ${stamp(asOf)}`) : null),
    h("div", { class: "stance-grid" },
      h("div", null,
        h("p", { class: "stance-score" }, h("span", { class: "stance-number" }, signed),
          h("span", { class: "stance-tone" }, tone)),
        h("div", { class: "stance-scale", role: "img", "aria-label": `Stance score ${signed} on a scale from −1 (conflict) to +1 (cooperation)` },
          marker),
        h("p", { class: "stance-ends small muted", "aria-hidden": "true" }, h("span", null, "−1 conflict"), h("span", null, "+1 cooperation"))),
      h("dl", { class: "stance-numbers" },
        h("div", null, h("dt", null, "Cooperation"), h("dd", { class: "cooperation" }, cooperation.toFixed(1))),
        h("div", null, h("dt", null, "Conflict"), h("dd", { class: "conflict" }, conflict.toFixed(1))),
        h("div", null, h("dt", null, "Claims"), h("dd", null, String(pair.claim_ids.length))))),
    h("p", { class: "small muted" }, "Active claims weighted by quad class and verdict; retracted claims and claims reviewed false do not count."));
}

function edgesTable(pair) {
  if (!pair.edges.length) return emptyState("No claims relate these two actors yet.");
  const names = Object.fromEntries(pair.actors.map((actor) => [actor.id, actor.name]));
  return h("section", { class: "panel", "aria-labelledby": "h-edges" },
    h("h2", { id: "h-edges" }, `Edges (${pair.edges.length})`),
    h("div", { class: "table-wrap" }, h("table", { class: "edges" },
      h("thead", null, h("tr", null, ["Direction", "Relation", "CAMEO", "Quad class", "Active / total", "Verdicts", "Occurred", ""]
        .map((title) => h("th", { scope: "col" }, title)))),
      h("tbody", null, pair.edges.map((edge) => h("tr", { class: `quad-${edge.relation.quad_class}` },
        h("td", null, names[edge.source] ?? edge.source, " → ", names[edge.target] ?? edge.target),
        h("td", null, labelOf(edge.relation.slug)),
        h("td", null, h("code", null, edge.relation.cameo)),
        h("td", null, h("span", { class: `quad quad-${edge.relation.quad_class}` }, QUAD_CLASSES[edge.relation.quad_class] ?? edge.relation.quad_class)),
        h("td", { class: "num" }, `${edge.active_claims} / ${edge.claims}`),
        h("td", null, Object.entries(edge.verdicts).map(([verdict, count]) =>
          h("span", { class: `badge verdict-${verdict === "unreviewed" ? "none" : verdict}` }, `${labelOf(verdict)} ${count}`))),
        h("td", null, partialDate(edge.first_occurred_on),
          edge.last_occurred_on && edge.last_occurred_on !== edge.first_occurred_on ? [" – ", partialDate(edge.last_occurred_on)] : null),
        h("td", null, h("a", { href: `#/claims?subject=${edge.source}&object=${edge.target}&relation=${edge.relation.slug}` }, "claims"))))))));
}
