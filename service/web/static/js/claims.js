// The claims list: filters (actor, status, verdict, workflow, language, text) and keyset
// "load more".

import { actorField } from "./actors.js";
import { api, loadVocabulary } from "./api.js";
import { emptyState, h, heading, partialDate, replace, statusBadge, triple, verdictBadge } from "./dom.js";
import { field, problemBox } from "./forms.js";

const FILTERS = ["actor", "status", "verdict", "workflow", "lang", "q"];
// Set by links elsewhere (the relationships view); shown as removable chips.
const PASSED_THROUGH = ["subject", "object", "relation", "claimant", "tag", "source_id"];

export async function claimsView(view, params) {
  const vocabulary = await loadVocabulary();
  const form = h("form", { class: "filters", role: "search", "aria-label": "Filter claims" },
    actorField({ label: "Actor", name: "actor", value: params.get("actor") ?? "" }),
    field({ label: "Status", name: "status", kind: "select", blank: "Any status",
      options: vocabulary.statuses, value: params.get("status") ?? "" }),
    field({ label: "Verdict", name: "verdict", kind: "select", blank: "Any verdict",
      options: vocabulary.verdicts, value: params.get("verdict") ?? "" }),
    field({ label: "Workflow", name: "workflow", kind: "select", blank: "Any workflow state",
      options: vocabulary.workflow_states, value: params.get("workflow") ?? "" }),
    field({ label: "Language", name: "lang", placeholder: "e.g. en, ru, zh",
      value: params.get("lang") ?? "" }),
    field({ label: "Statement contains", name: "q", type: "search", value: params.get("q") ?? "" }),
    h("div", { class: "filter-buttons" },
      h("button", { type: "submit", class: "primary" }, "Filter"),
      h("a", { class: "button", href: "#/claims" }, "Clear")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of [...FILTERS, ...PASSED_THROUGH]) {
      const value = (form.elements.namedItem(name)?.value ?? params.get(name) ?? "").trim();
      if (value) next.set(name, value);
    }
    location.hash = `#/claims${String(next) ? `?${next}` : ""}`;
  });

  const chips = PASSED_THROUGH.filter((name) => params.get(name)).map((name) => {
    const rest = new URLSearchParams(params);
    rest.delete(name);
    return h("li", null, h("a", { class: "chip", href: `#/claims?${rest}`,
      "aria-label": `Remove filter ${name} = ${params.get(name)}` }, `${name}: ${params.get(name)} ✕`));
  });

  const status = h("p", { class: "result-count", role: "status" });
  const list = h("ol", { class: "claim-list", "aria-label": "Claims" });
  const more = h("button", { type: "button", class: "load-more", hidden: true }, "Load more");
  const problems = h("div");
  replace(view,
    h("div", { class: "page-head" }, heading("Claims"),
      h("a", { class: "button primary", href: "#/record" }, "Record a claim")),
    form,
    chips.length ? h("ul", { class: "chips", "aria-label": "Other filters" }, chips) : null,
    problems, status, list, more);

  const query = {};
  for (const name of [...FILTERS, ...PASSED_THROUGH]) query[name] = params.get(name);
  let cursor = null;
  let shown = 0;
  async function load() {
    more.disabled = true;
    try {
      const page = await api.view("/claims", { ...query, limit: 25, cursor });
      const rows = page.items.map(claimRow);
      list.append(...rows);
      shown += rows.length;
      cursor = page.next_cursor;
      more.hidden = !cursor;
      status.textContent = shown ? `${shown} claim${shown === 1 ? "" : "s"}${cursor ? " so far" : ""}` : "";
      if (!shown) replace(problems, emptyState("No claims match these filters."));
      return rows;
    } catch (error) {
      replace(problems, problemBox(error));
      return [];
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener("click", async () => {
    const rows = await load();
    rows[0]?.querySelector("a")?.focus();
  });
  await load();
}

export function claimRow(claim) {
  return h("li", { class: "claim-row", dataset: { claimId: claim.id } },
    h("div", { class: "claim-row-main" },
      h("a", { class: "statement", href: `#/claims/${claim.id}` }, claim.statement),
      triple(claim)),
    h("div", { class: "claim-row-meta" },
      statusBadge(claim.status), verdictBadge(claim.verdict),
      h("span", { class: "meta-line" }, claim.kind, " · ", partialDate(claim.occurred_on))));
}
