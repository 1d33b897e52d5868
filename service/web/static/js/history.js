// A claim's event history, oldest first: what happened, who did it, when, and the raw event.

import { h, labelOf, when, who } from "./dom.js";

const DESCRIBE = {
  "claim.recorded": (d) => `“${d.statement}”`,
  "claim.appearance_added": (d) => `Appears in another source: “${d.appearance?.exact ?? d.quote?.exact ?? ""}”`,
  "claim.evidence_added": (d) => `${d.stance} evidence: ${d.note}`,
  "claim.disputed": (d) => d.reason,
  "claim.dispute_resolved": (d) => `${d.outcome}: ${d.note}`,
  "claim.reviewed": (d) => `${d.state === "draft" ? "Draft: " : ""}${labelOf(d.verdict)}: ${d.explanation}`,
  "claim.assigned": (d) => `Assigned to ${d.assignee}`,
  "claim.review_published": (d) => `Review ${d.review_id} published`,
  "claim.review_unpublished": (d) => `Review ${d.review_id} unpublished: ${d.reason}`,
  "claim.corrected": (d) => d.reason,
  "claim.retracted": (d) => d.reason,
  "claim.linked": (d) => `${d.relation} ${d.target_id}`,
};

export function eventName(type) {
  return labelOf(type.split(".").pop());
}

export function historyList(items) {
  return h("ol", { class: "history" }, items.map((item) => {
    const describe = DESCRIBE[item.type];
    return h("li", { class: `history-event event-${item.type.replace(".", "-")}`, dataset: { type: item.type } },
      h("div", { class: "history-head" },
        h("span", { class: "event-type" }, eventName(item.type)),
        h("span", { class: "history-meta" }, "v", String(item.version), " · #", String(item.position), " (",
          h("a", { href: `#/audit?position=${item.position}`, "aria-label": `verify the inclusion of event ${item.position}` }, "verify"), ") · ",
          when(item.recorded_at), " · by ", who(item.recorded_by, item.recorded_by_name))),
      describe ? h("p", { class: "history-text" }, describe(item.data)) : null,
      h("details", { class: "raw" }, h("summary", null, "Event data"),
        h("pre", null, JSON.stringify(item.data, null, 2))));
  }));
}
