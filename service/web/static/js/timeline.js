// The timeline: every event, on the recorded or the occurred axis, with live updates (SSE).

import { actorField } from "./actors.js";
import { api, loadVocabulary } from "./api.js";
import { emptyState, h, heading, partialDate, replace, when, who } from "./dom.js";
import { field, problemBox } from "./forms.js";
import { eventName } from "./history.js";

const FILTERS = ["actor", "with", "type", "claim_id", "source_id"];

export async function timelineView(view, params) {
  const vocabulary = await loadVocabulary();
  const axis = params.get("axis") === "occurred" ? "occurred" : "recorded";
  const order = params.get("order") === "asc" ? "asc" : "desc";
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) || undefined]));

  const form = h("form", { class: "filters", role: "search", "aria-label": "Filter the timeline" },
    actorField({ label: "Actor", name: "actor", value: filters.actor ?? "" }),
    actorField({ label: "With", name: "with", value: filters.with ?? "", hint: "The other actor of a pair." }),
    field({ label: "Event", name: "type", kind: "select", blank: "All events", value: filters.type ?? "",
      options: vocabulary.event_types.map((t) => [t, t]) }),
    h("fieldset", { class: "segmented" }, h("legend", null, "Axis"),
      radio("axis", "recorded", "When recorded", axis), radio("axis", "occurred", "When it happened", axis)),
    field({ label: "Order", name: "order", kind: "select", value: order,
      options: [["desc", "Newest first"], ["asc", "Oldest first"]] }),
    h("div", { class: "filter-buttons" }, h("button", { type: "submit", class: "primary" }, "Show"),
      h("a", { class: "button", href: "#/timeline" }, "Clear")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (String(value).trim()) next.set(name, String(value).trim());
    for (const name of ["claim_id", "source_id"]) if (filters[name]) next.set(name, filters[name]);
    if (next.get("axis") === "recorded") next.delete("axis");
    if (next.get("order") === "desc") next.delete("order");
    location.hash = `#/timeline${String(next) ? `?${next}` : ""}`;
  });

  const live = h("p", { class: "live", role: "status" }, h("span", { class: "live-dot", "aria-hidden": "true" }), "Connecting…");
  const banner = h("div", { class: "new-banner", hidden: true });
  const list = h("ol", { class: "timeline", "aria-label": "Timeline" });
  const more = h("button", { type: "button", class: "load-more", hidden: true }, "Load more");
  const problems = h("div");
  replace(view, h("div", { class: "page-head" }, heading("Timeline"), live), form,
    filters.claim_id ? h("p", { class: "chips" }, h("a", { class: "chip", href: "#/timeline" }, `claim ${filters.claim_id.slice(0, 8)} ✕`)) : null,
    problems, banner, list, more);

  const seen = new Set();
  const query = { ...filters, axis, order };
  let cursor = null;
  async function load() {
    more.disabled = true;
    try {
      const page = await api.view("/timeline", { ...query, limit: 50, cursor });
      for (const entry of page.items) {
        seen.add(entry.position);
        list.append(entryItem(entry, axis));
      }
      cursor = page.next_cursor;
      more.hidden = !cursor;
      if (!list.children.length) replace(problems, emptyState("No events match these filters."));
    } catch (error) {
      replace(problems, problemBox(error));
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener("click", load);
  await load();
  return follow({ filters, vocabulary, live, banner, list, seen, prepend: axis === "recorded" && order === "desc" });
}

function radio(name, value, text, current) {
  const id = `${name}-${value}`;
  return h("span", { class: "radio" },
    h("input", { type: "radio", id, name, value, checked: value === current }), h("label", { for: id }, text));
}

/** Subscribe to /timeline/stream from the newest position shown; returns the unsubscribe. */
function follow({ filters, vocabulary, live, banner, list, seen, prepend }) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
  const newest = Math.max(0, ...seen, api.position());
  if (prepend && newest) params.set("after", String(newest));
  const source = new EventSource(`/timeline/stream${String(params) ? `?${params}` : ""}`);
  let waiting = 0;
  const status = (text, on) => {
    live.lastChild.textContent = text;
    live.classList.toggle("live-on", on);
  };
  source.onopen = () => status("Live", true);
  source.onerror = () => status("Reconnecting…", false);
  const receive = (message) => {
    const entry = JSON.parse(message.data);
    if (seen.has(entry.position)) return;
    seen.add(entry.position);
    if (prepend) {
      const item = entryItem(entry, "recorded");
      item.classList.add("is-new");
      list.prepend(item);
      list.parentElement.querySelector(".empty")?.remove();
    } else {
      waiting += 1;
      replace(banner, `${waiting} new event${waiting === 1 ? "" : "s"} since this page was loaded. `,
        h("button", { type: "button", onclick: () => dispatchEvent(new HashChangeEvent("hashchange")) }, "Show"));
      banner.hidden = false;
    }
  };
  // Each SSE event is named by its type, so listen for every type there is.
  for (const type of vocabulary.event_types) source.addEventListener(type, receive);
  source.addEventListener("message", receive);
  return () => source.close();
}

function entryItem(entry, axis) {
  const primary = axis === "occurred" ? partialDate(entry.occurred_on) : when(entry.recorded_at);
  return h("li", { class: `timeline-entry type-${entry.type.replace(".", "-")}`, dataset: { position: entry.position, type: entry.type } },
    h("div", { class: "timeline-when" }, primary,
      axis === "occurred" ? h("span", { class: "small muted" }, "recorded ", when(entry.recorded_at)) : null),
    h("div", { class: "timeline-body" },
      h("p", { class: "timeline-head" }, h("span", { class: "event-type" }, eventName(entry.type)),
        h("span", { class: "small muted" }, ` ${entry.type.split(".")[0]} · #${entry.position} · by `, who(entry.by, entry.by_name))),
      h("p", { class: "timeline-summary" },
        entry.claim_id ? h("a", { href: `#/claims/${entry.claim_id}` }, entry.summary) : entry.summary),
      entry.actors.length ? h("ul", { class: "actor-chips", "aria-label": "Actors" }, entry.actors.map((a) =>
        h("li", null, h("a", { class: "chip", href: `#/timeline?actor=${encodeURIComponent(a)}` }, a)))) : null));
}
