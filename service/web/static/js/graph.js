// The relationship graph: actors as nodes, one curve per direction and relation, coloured by
// CAMEO quad class and as thick as its active claims; choosing a curve lists its claims.

import { api } from "./api.js";
import { claimRow } from "./claims.js";
import { emptyState, h, heading, labelOf, replace } from "./dom.js";
import { problemBox } from "./forms.js";
import { pressable, px, QUAD_CLASSES, s } from "./svg.js";

const MAX_CLAIMS = 50;

export async function graphView(view, params) {
  const asOf = params.get("as_of") || null;
  const graph = await api.view("/relationships/graph", { as_of: asOf });
  const panel = h("section", { class: "panel edge-claims", id: "edge-claims", "aria-labelledby": "h-edge-claims",
    "aria-live": "polite" },
  h("h2", { id: "h-edge-claims" }, "Claims behind an edge"),
  h("p", { class: "muted" }, "Choose an edge (click it, or Tab to it and press Enter) to list the claims behind it."));
  const drawing = h("div", { class: "graph-drawing" });
  replace(view,
    h("div", { class: "page-head" }, heading("Relationship graph")),
    h("p", { class: "lede" }, "Who does what to whom, by the ledger's claims: one line per direction and relation, its colour the CAMEO quad class, its width the active claims behind it",
      asOf ? [" — as of ", h("time", { datetime: asOf }, asOf)] : null, "."),
    legend(),
    h("div", { class: "graph-layout" }, drawing, panel));
  if (!graph.nodes.length) {
    replace(drawing, emptyState("No claims relate two actors yet."));
    return;
  }
  const choose = (edge, element) => {
    for (const other of view.querySelectorAll("[aria-pressed=true]")) other.setAttribute("aria-pressed", "false");
    for (const twin of view.querySelectorAll(`[data-edge="${edgeKey(edge)}"]`)) twin.setAttribute("aria-pressed", "true");
    showClaims(panel, edge, names(graph), asOf, element);
  };
  const list = edgeList(graph, choose);
  const note = graph.truncated ? h("p", { class: "small muted" }, `Showing the ${graph.nodes.length} busiest actors.`) : null;
  let drawn = 0;
  const draw = () => {
    // Laid out for the space it has, so labels keep their size on a phone.
    const width = Math.round(Math.max(300, Math.min(drawing.clientWidth - 16 || 720, 900)));
    if (Math.abs(width - drawn) < 24) return;
    drawn = width;
    const chosen = view.querySelector(".graph [aria-pressed=true]")?.dataset.edge;
    const old = drawing.querySelector("svg.graph");
    const fresh = picture(graph, width, choose);
    if (old) old.replaceWith(fresh);
    else replace(drawing, fresh, list, note);
    if (chosen) fresh.querySelector(`[data-edge="${chosen}"]`)?.setAttribute("aria-pressed", "true");
  };
  draw();
  const watcher = new ResizeObserver(draw);
  watcher.observe(drawing);
  return () => watcher.disconnect();
}

const names = (graph) => Object.fromEntries(graph.nodes.map((n) => [n.id, n.name]));
const edgeKey = (edge) => `${edge.source}|${edge.target}|${edge.relation.slug}`;

function describe(edge, byId) {
  const quad = QUAD_CLASSES[edge.relation.quad_class];
  return `${byId[edge.source]} ${labelOf(edge.relation.slug)} ${byId[edge.target]} · ${quad} · ` +
    `${edge.active_claims} active of ${edge.claims} claim${edge.claims === 1 ? "" : "s"}`;
}

function legend() {
  return h("ul", { class: "graph-legend", "aria-label": "Colours: CAMEO quad classes" },
    Object.entries(QUAD_CLASSES).map(([quad, text]) => h("li", { class: `quad quad-${quad}` }, text)),
    h("li", { class: "legend-inactive" }, "dashed: no active claim (retracted or reviewed false)"));
}

/** The busiest actor in the middle, the others on an ellipse around it, busiest first. */
function layout(nodes, width) {
  const small = width < 500;
  const height = Math.round(small ? width * 1.1 : width * 0.68);
  const [rx, ry] = [width / 2 - (small ? 52 : 90), height / 2 - (small ? 40 : 50)];
  const top = Math.max(...nodes.map((n) => n.active_claims), 1);
  const ring = nodes.length - 1;
  const places = new Map(nodes.map((node, i) => {
    const angle = Math.PI + (2 * Math.PI * (i - 1)) / Math.max(ring, 1);
    const size = (small ? 9 : 12) + (small ? 12 : 18) * Math.sqrt(node.active_claims / top);
    const [x, y] = i === 0 ? [width / 2, height / 2] : [width / 2 + rx * Math.cos(angle), height / 2 + ry * Math.sin(angle)];
    return [node.id, { x, y, r: size, node }];
  }));
  return { width, height, places };
}

/** A quadratic curve from a to b bent by `bend` px, ends shortened to the circles' edges. */
function curve(a, b, bend) {
  const [dx, dy] = [b.x - a.x, b.y - a.y];
  const length = Math.hypot(dx, dy) || 1;
  const [nx, ny] = [-dy / length, dx / length];
  const control = { x: (a.x + b.x) / 2 + nx * bend * 2, y: (a.y + b.y) / 2 + ny * bend * 2 };
  const toward = (from, to, by) => {
    const d = Math.hypot(to.x - from.x, to.y - from.y) || 1;
    return { x: from.x + ((to.x - from.x) * by) / d, y: from.y + ((to.y - from.y) * by) / d };
  };
  const start = toward(a, control, a.r + 2);
  const end = toward(b, control, b.r + 7);
  return `M${px(start.x)},${px(start.y)} Q${px(control.x)},${px(control.y)} ${px(end.x)},${px(end.y)}`;
}

function picture(graph, width, choose) {
  const { height, places } = layout(graph.nodes, width);
  const byId = names(graph);
  const pairs = new Map();
  for (const edge of graph.edges) {
    const key = [edge.source, edge.target].sort().join("|");
    if (!pairs.has(key)) pairs.set(key, []);
    pairs.get(key).push(edge);
  }
  const lines = [];
  for (const [key, edges] of pairs) {
    const [low] = key.split("|");
    edges.forEach((edge, k) => {
      // One side of the straight line per direction's own order: parallel edges never overlap.
      const offset = (k - (edges.length - 1) / 2) * 14;
      const bend = edge.source === low ? offset : -offset;
      const d = curve(places.get(edge.source), places.get(edge.target), bend);
      const quad = edge.relation.quad_class;
      const widthOf = 1.5 + 1.6 * Math.sqrt(edge.active_claims);
      const group = s("g", { class: `edge quad-${quad}${edge.active_claims ? "" : " edge-inactive"}`, tabindex: "0",
        role: "button", "aria-pressed": "false", "aria-label": describe(edge, byId), dataset: { edge: edgeKey(edge) } },
      s("title", null, describe(edge, byId)),
      s("path", { class: "edge-hit", d, "stroke-width": 14, fill: "none" }),
      s("path", { class: "edge-line", d, "stroke-width": px(widthOf), fill: "none", "marker-end": `url(#arrow-${quad})` }));
      lines.push(pressable(group, () => choose(edge, group)));
    });
  }
  const nodes = [...places.values()].map(({ x, y, r, node }) => {
    const below = y > height / 2 || (y === height / 2 && x === width / 2);
    return s("a", { class: "node", href: `#/claims?actor=${encodeURIComponent(node.id)}`,
      "aria-label": `${node.name}: ${node.active_claims} active claim${node.active_claims === 1 ? "" : "s"} on its edges; list its claims` },
    s("circle", { cx: px(x), cy: px(y), r: px(r) }),
    s("text", { x: px(x), y: px(below ? y + r + 16 : y - r - 8), "text-anchor": "middle" }, node.name));
  });
  const markers = Object.keys(QUAD_CLASSES).map((quad) => s("marker", { id: `arrow-${quad}`, class: `arrow quad-${quad}`,
    viewBox: "0 0 10 10", refX: 8, refY: 5, markerWidth: 5, markerHeight: 5, orient: "auto-start-reverse" },
  s("path", { d: "M0,0 L10,5 L0,10 z" })));
  return s("svg", { class: "graph", viewBox: `0 0 ${width} ${height}`, width, height, role: "group",
    "aria-label": `Relationship graph: ${graph.nodes.length} actors, ${graph.edges.length} edges` },
  s("defs", null, markers), s("g", { class: "edges" }, lines), s("g", { class: "nodes" }, nodes));
}

function edgeList(graph, choose) {
  const byId = names(graph);
  return h("details", { class: "edge-list" }, h("summary", null, `All ${graph.edges.length} edges as a list`),
    h("ul", null, graph.edges.map((edge) => h("li", null,
      h("button", { type: "button", class: `link-button quad quad-${edge.relation.quad_class}`, "aria-pressed": "false",
        dataset: { edge: edgeKey(edge) }, onclick: (event) => choose(edge, event.currentTarget) },
      describe(edge, byId))))));
}

async function showClaims(panel, edge, byId, asOf, from) {
  const title = `${byId[edge.source]} → ${byId[edge.target]}: ${labelOf(edge.relation.slug)}`;
  const pairLink = h("a", { href: `#/relationships?a=${encodeURIComponent(edge.source)}&b=${encodeURIComponent(edge.target)}` },
    `${byId[edge.source]} ↔ ${byId[edge.target]} over time`);
  replace(panel, h("h2", { id: "h-edge-claims", tabindex: "-1" }, title),
    h("p", { class: "small muted" }, `CAMEO ${edge.relation.cameo} · ${QUAD_CLASSES[edge.relation.quad_class]} · `,
      `${edge.active_claims} active of ${edge.claims}`), h("p", { class: "loading" }, "Loading claims…"));
  try {
    const pair = await api.view(`/relationships/${encodeURIComponent(edge.source)}/${encodeURIComponent(edge.target)}`, { as_of: asOf });
    const found = pair.edges.find((e) => edgeKey(e) === edgeKey(edge));
    const ids = (found?.claim_ids ?? []).slice(0, MAX_CLAIMS);
    const claims = await Promise.all(ids.map((id) => api.get(`/claims/${id}`)));
    const more = (found?.claim_ids.length ?? 0) > MAX_CLAIMS;
    panel.querySelector(".loading").replaceWith(...[
      claims.length ? h("ol", { class: "claim-list", "aria-label": `Claims: ${title}` }, claims.map(claimRow)) : emptyState("No claims."),
      more ? h("p", { class: "small muted" }, `The first ${MAX_CLAIMS} of ${found.claim_ids.length}.`) : null,
      h("p", null, pairLink)].filter(Boolean));
    if (from && from.closest(".edge-list")) panel.querySelector("h2").focus({ preventScroll: false });
  } catch (error) {
    panel.querySelector(".loading").replaceWith(problemBox(error));
  }
}
