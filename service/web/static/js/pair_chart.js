// A pair's stance over time, drawn as plain SVG: by the date the claims are about (a bar per
// period, the running stance as a line) and as the ledger learned it (a step line).

import { h } from "./dom.js";
import { px, s } from "./svg.js";

const [WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM] = [640, 220, 44, 16, 14, 40];
const signed = (score) => `${score > 0 ? "+" : ""}${score.toFixed(2)}`;
const y = (score) => TOP + ((1 - score) / 2) * (HEIGHT - TOP - BOTTOM);

function axes() {
  return [-1, 0, 1].map((score) => s("g", { class: "axis" },
    s("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: px(y(score)), y2: px(y(score)), class: score ? "grid" : "zero" }),
    s("text", { x: LEFT - 6, y: px(y(score) + 4), "text-anchor": "end" }, score ? signed(score).replace(".00", "") : "0")));
}

/** Stance by the date the claims are about: bars for each period, a line for the running stance. */
export function occurredChart(points, names) {
  if (!points.length) return h("p", { class: "empty" }, "No active claims relate these actors at this time.");
  const step = (WIDTH - LEFT - RIGHT) / points.length;
  const x = (i) => LEFT + step * (i + 0.5);
  const bars = points.map((p, i) => {
    const top = Math.min(y(p.period.score), y(0));
    const tone = p.period.score > 0 ? "positive" : p.period.score < 0 ? "negative" : "neutral";
    return s("g", { class: `bar ${tone}` },
      s("rect", { x: px(x(i) - Math.min(step * 0.3, 22)), width: px(Math.min(step * 0.6, 44)), y: px(top),
        height: px(Math.max(Math.abs(y(p.period.score) - y(0)), 1)) }),
      s("text", { x: px(x(i)), y: HEIGHT - BOTTOM + 16, "text-anchor": "middle", class: "label" }, p.on ?? "undated"),
      s("text", { x: px(x(i)), y: HEIGHT - BOTTOM + 30, "text-anchor": "middle", class: "label muted" },
        `${p.period.claims} claim${p.period.claims === 1 ? "" : "s"}`));
  });
  const line = points.map((p, i) => `${i ? "L" : "M"}${px(x(i))},${px(y(p.running.score))}`).join(" ");
  const dots = points.map((p, i) => s("circle", { cx: px(x(i)), cy: px(y(p.running.score)), r: 4, class: "dot" },
    s("title", null, `up to ${p.on ?? "undated"}: running stance ${signed(p.running.score)}`)));
  const summary = points.map((p) => `${p.on ?? "undated"}: ${signed(p.period.score)} (running ${signed(p.running.score)})`).join("; ");
  return figure("chart-occurred", `Stance of ${names} by the date the claims are about`,
    s("svg", { class: "chart", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img",
      "aria-label": `Stance by date the claims are about. ${summary}` },
    axes(), bars, s("path", { d: line, class: "running", fill: "none" }), dots),
    h("p", { class: "small muted chart-key" }, "Bars: each period's own stance (−1 conflict … +1 cooperation). Line: the running stance up to that period."),
    table(["About", "Claims", "Period stance", "Running stance"],
      points.map((p) => [p.on ?? "undated", p.period.claims, signed(p.period.score), signed(p.running.score)])));
}

/** Stance as the ledger learned it: a step line over recording time, the as_of marked. */
export function recordedChart(points, names, asOf) {
  if (!points.length) return h("p", { class: "empty" }, "Nothing recorded yet.");
  const times = points.map((p) => Date.parse(p.at));
  const [first, last] = [times[0], Math.max(times[times.length - 1], times[0] + 1)];
  const x = (t) => LEFT + ((t - first) / (last - first)) * (WIDTH - LEFT - RIGHT);
  let d = "";
  points.forEach((p, i) => {
    d += i ? ` H${px(x(times[i]))} V${px(y(p.score))}` : `M${px(x(times[0]))},${px(y(p.score))}`;
  });
  d += ` H${WIDTH - RIGHT}`;
  const at = asOf ? Date.parse(asOf) : last;
  const marker = s("line", { class: "as-of-line", x1: px(x(Math.min(at, last))), x2: px(x(Math.min(at, last))), y1: TOP, y2: HEIGHT - BOTTOM });
  const label = (t, anchor) => s("text", { x: px(x(t)), y: HEIGHT - BOTTOM + 16, "text-anchor": anchor, class: "label" },
    new Date(t).toISOString().replace("T", " ").slice(0, 19));
  return figure("chart-recorded", `Stance of ${names} as the ledger learned it`,
    s("svg", { class: "chart", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img",
      "aria-label": `Stance as recorded: from ${signed(points[0].score)} to ${signed(points[points.length - 1].score)} over ${points.length} changes` },
    axes(), s("path", { d, class: "running", fill: "none" }), marker, label(first, "start"), label(last, "end")),
    h("p", { class: "small muted chart-key" }, "Each step is a moment the ledger's knowledge changed: a claim recorded, reviewed, disputed or retracted. The vertical line is the time shown above."));
}

function figure(id, title, ...body) {
  return h("figure", { class: `panel chart-figure ${id}`, "aria-labelledby": `${id}-title` },
    h("figcaption", { id: `${id}-title` }, h("h3", null, title)), body);
}

function table(head, rows) {
  return h("details", { class: "chart-data" }, h("summary", null, "The figures as a table"),
    h("div", { class: "table-wrap" }, h("table", null,
      h("thead", null, h("tr", null, head.map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", null, rows.map((r) => h("tr", null, r.map((c) => h("td", null, String(c)))))))));
}
