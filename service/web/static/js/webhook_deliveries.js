// One webhook endpoint (admins): its facts, disable (with a reason) or enable, and the table of
// what was tried at it, in log order, refreshed every few seconds while the page is open.

import { api, loadVocabulary } from "./api.js";
import { emptyState, h, heading, replace, when } from "./dom.js";
import { flash } from "./flash.js";
import { onSubmit, problemBox } from "./forms.js";
import { enabledBadge, eventTypesFieldset, refusal, toggle } from "./webhooks.js";

const REFRESH_MS = 3000;
const PAGE = 100;

export async function webhookView(view, _params, id) {
  let hook;
  try {
    hook = (await api.resource(`/webhooks/${id}`)).data;
  } catch (error) {
    const refused = refusal(error);
    if (!refused) throw error;
    replace(view, h("p", { class: "breadcrumb" }, h("a", { href: "#/webhooks" }, "← Webhooks")),
      h("div", { class: "page-head" }, heading("Webhook")), refused);
    return null;
  }
  const known = (await loadVocabulary()).webhook_event_types || [];
  const facts = h("div");
  const problems = h("div", { class: "toggle-problem" });
  const status = h("p", { class: "result-count deliveries-status", role: "status" });
  const body = h("tbody");
  const table = h("div", { class: "table-wrap" }, h("table", { class: "deliveries-table", "aria-labelledby": "h-deliveries" },
    h("thead", null, h("tr", null, ["Position", "Type", "Attempts", "Last answer", "Delivered", "Next attempt"]
      .map((t) => h("th", { scope: "col" }, t)))),
    body));
  const empty = emptyState("Nothing was tried at this endpoint yet: events of its types recorded from now on will appear here.");
  table.hidden = empty.hidden = true; // until the first answer
  const more = h("button", { type: "button", class: "load-more", hidden: true }, "Load more");
  const refresh = h("button", { type: "button", class: "refresh-deliveries" }, "Refresh");
  replace(view,
    h("p", { class: "breadcrumb" }, h("a", { href: "#/webhooks" }, "← Webhooks")),
    h("div", { class: "page-head" }, heading("Webhook")),
    h("section", { class: "panel", "aria-labelledby": "h-endpoint" }, h("h2", { id: "h-endpoint" }, "Endpoint"), facts, problems),
    h("section", { class: "panel deliveries", "aria-labelledby": "h-deliveries" },
      h("div", { class: "section-head" }, h("h2", { id: "h-deliveries" }, "Deliveries"), refresh),
      h("p", { class: "small muted" }, "Each event tried at this endpoint, in log order. An event not delivered holds back the ones after it, which are tried once it is."),
      status, table, empty, more));

  const showEndpoint = () => replace(facts, endpointFacts(hook, async (reason, button) => {
    await toggle(hook, reason, reloadHook, problems, button);
  }), typesForm(hook, known, reloadHook));
  async function reloadHook() {
    hook = (await api.resource(`/webhooks/${id}`)).data;
    replace(problems);
    showEndpoint();
  }
  showEndpoint();

  let pages = 1; // how many pages the user has asked for; a refresh reloads as many
  let busy = false;
  async function load() {
    if (busy) return;
    busy = true;
    try {
      const rows = [];
      let cursor = null;
      let acknowledged = null;
      for (let n = 0; n < pages; n++) {
        const page = await api.get(`/webhooks/${id}/deliveries`, { limit: PAGE, cursor });
        rows.push(...page.items);
        acknowledged = page.acknowledged_position;
        cursor = page.next_cursor;
        if (!cursor) break;
      }
      replace(body, rows.map(deliveryRow));
      const shown = facts.querySelector(".hook-acknowledged");
      if (shown && acknowledged != null) shown.textContent = `#${acknowledged}`;
      table.hidden = !rows.length;
      empty.hidden = Boolean(rows.length);
      more.hidden = !cursor;
      const delivered = rows.filter((d) => d.delivered_at).length;
      const text = rows.length
        ? `${rows.length} event${rows.length === 1 ? "" : "s"} tried, ${delivered} delivered${acknowledged == null ? "" : `; acknowledged up to #${acknowledged}`}.`
        : "";
      if (status.textContent !== text) status.textContent = text; // a live region: say changes only
      view.querySelector(".deliveries")?.setAttribute("data-loaded", "");
    } catch (error) {
      replace(status, problemBox(error));
    } finally {
      busy = false;
    }
  }
  more.addEventListener("click", () => { pages += 1; load(); });
  refresh.addEventListener("click", () => { load(); reloadHook().catch(() => {}); });
  await load();
  const timer = setInterval(load, REFRESH_MS);
  return () => clearInterval(timer);
}

function endpointFacts(hook, act) {
  const reason = h("input", { type: "text", id: "disable-reason", name: "reason", maxlength: 1000,
    placeholder: "e.g. the receiver is being moved" });
  const button = h("button", { type: "submit", class: hook.enabled ? "danger" : "primary" }, hook.enabled ? "Disable" : "Enable");
  const form = h("form", { class: "toggle-form", "aria-label": hook.enabled ? "Disable this webhook" : "Enable this webhook" },
    hook.enabled ? h("div", { class: "field" }, h("label", { for: "disable-reason" }, "Reason", h("span", { class: "optional" }, " (optional)")), reason) : null,
    h("p", { class: "hint" }, hook.enabled
      ? "Nothing is sent while it is disabled; events recorded meanwhile are sent once it is enabled again."
      : "Deliveries resume from where they stopped."),
    h("div", { class: "button-row" }, button));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    button.disabled = true;
    act(reason.value.trim() || null, button);
  });
  return h("div", null,
    h("dl", { class: "facts" },
      h("div", null, h("dt", null, "URL"), h("dd", { class: "hook-url" }, hook.url)),
      h("div", null, h("dt", null, "State"), h("dd", { class: "hook-state" }, enabledBadge(hook.enabled))),
      h("div", null, h("dt", null, "Event types"), h("dd", null, hook.event_types.map((t) => h("code", { class: "tag" }, t)))),
      h("div", null, h("dt", null, "Acknowledged up to"), h("dd", { class: "hook-acknowledged" },
        hook.acknowledged_position == null ? h("span", { class: "muted" }, "nothing yet") : `#${hook.acknowledged_position}`)),
      h("div", null, h("dt", null, "Registered"), h("dd", null, when(hook.created_at)))),
    form);
}

/** Deliver other event types from now on (the same ones again: the API's 409). */
function typesForm(hook, known, after) {
  const types = eventTypesFieldset(known, hook.event_types);
  const form = h("form", { class: "action-form types-form", "aria-label": "Change the event types" },
    types.fieldset,
    h("div", { class: "button-row" }, h("button", { type: "submit", class: "primary" }, "Change event types")));
  onSubmit(form, {
    build: (data) => ({ event_types: data.getAll("event_types").map(String) }),
    send: (body, key) => api.post(`/webhooks/${hook.id}/event-types`, body, { key, etag: `"${hook.version}"` }),
    done: async () => {
      flash("Event types changed");
      await after();
    },
    explain: types.explain,
  });
  return h("details", { class: "action change-types" }, h("summary", null, "Change event types"), form);
}

function deliveryRow(d) {
  const answer = d.error
    ? h("span", { class: "delivery-error" }, d.status_code ? `${d.status_code} · ` : "", d.error)
    : d.status_code
      ? h("span", { class: `badge ${d.status_code < 300 ? "answer-ok" : "answer-bad"}` }, String(d.status_code))
      : h("span", { class: "muted" }, "—");
  return h("tr", { class: `delivery-row ${d.delivered_at ? "is-delivered" : "is-pending"}`, dataset: { position: d.position } },
    h("td", { class: "num" }, h("a", { href: `#/audit?position=${d.position}`, title: "Verify this event in the audit log" }, `#${d.position}`)),
    h("td", null, h("code", { class: "delivery-type" }, d.type)),
    h("td", { class: "num delivery-attempts" }, String(d.attempts)),
    h("td", { class: "delivery-answer" }, answer),
    h("td", { class: "delivery-delivered" }, d.delivered_at ? when(d.delivered_at) : h("span", { class: "muted" }, "not yet")),
    h("td", { class: "delivery-next" }, d.next_attempt_at ? when(d.next_attempt_at) : h("span", { class: "muted" }, "—")));
}
