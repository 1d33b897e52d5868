// "My queue": the claims assigned to the token's principal, by workflow state, with a button
// to start the work on those only assigned so far.

import { api, loadVocabulary, token } from "./api.js";
import { claimRow } from "./claims.js";
import { emptyState, h, heading, replace, workflowBadge } from "./dom.js";
import { flash } from "./flash.js";
import { field, problemBox } from "./forms.js";

export async function queueView(view, params) {
  const me = token.principal();
  if (!me) {
    replace(view, heading("My queue"),
      h("p", { class: "notice" }, "Set an API token (top right): your queue lists the claims assigned to you."));
    return;
  }
  const vocabulary = await loadVocabulary();
  const state = params.get("workflow") ?? "";
  const form = h("form", { class: "filters", role: "search", "aria-label": "Filter my queue" },
    field({ label: "Workflow", name: "workflow", kind: "select", blank: "Any state",
      options: vocabulary.workflow_states, value: state }),
    h("div", { class: "filter-buttons" }, h("button", { type: "submit", class: "primary" }, "Filter")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = form.elements.namedItem("workflow").value;
    location.hash = `#/queue${chosen ? `?workflow=${encodeURIComponent(chosen)}` : ""}`;
  });
  const status = h("p", { class: "result-count", role: "status" });
  const list = h("ol", { class: "claim-list queue-list", "aria-label": "Claims assigned to you" });
  const more = h("button", { type: "button", class: "load-more", hidden: true }, "Load more");
  const problems = h("div");
  replace(view, h("div", { class: "page-head" }, heading("My queue")),
    h("p", { class: "hint" }, "Claims assigned to you. Start the work on one, then review it from its page."),
    form, problems, status, list, more);

  let cursor = null;
  let shown = 0;
  async function load() {
    more.disabled = true;
    try {
      const page = await api.view("/claims", { assignee: me, workflow: state, limit: 25, cursor });
      list.append(...page.items.map((claim) => queueRow(claim, () => queueView(view, params))));
      shown += page.items.length;
      cursor = page.next_cursor;
      more.hidden = !cursor;
      status.textContent = shown ? `${shown} claim${shown === 1 ? "" : "s"} assigned to you${cursor ? " so far" : ""}` : "";
      if (!shown) replace(problems, emptyState(state ? "None of your claims is in this state." : "Nothing is assigned to you."));
    } catch (error) {
      replace(problems, problemBox(error));
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener("click", load);
  await load();
}

function queueRow(claim, reload) {
  const row = claimRow(claim);
  const meta = row.querySelector(".claim-row-meta");
  meta.prepend(workflowBadge(claim.workflow));
  if (claim.workflow === "assigned" && claim.status !== "retracted") {
    const slot = h("div", { class: "row-problem" });
    const start = h("button", { type: "button", class: "start-work",
      "aria-label": `Start work on: ${claim.statement}` }, "Start work");
    start.addEventListener("click", async () => {
      start.disabled = true;
      try {
        const { data } = await api.post(`/claims/${claim.id}/progress`, {}, { etag: `"${claim.version}"` });
        flash(`Work started (log position ${data.position}).`);
        await reload();
      } catch (error) {
        replace(slot, problemBox(error));
        start.disabled = false;
      }
    });
    meta.append(start, slot);
  }
  return row;
}
