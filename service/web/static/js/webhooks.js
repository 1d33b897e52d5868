// The webhooks page (admins): the registered endpoints, registering one (its signing secret
// shown once, to copy), and disabling or enabling one. Non-admins are told why they see nothing.

import { api, loadVocabulary, Problem } from "./api.js";
import { emptyState, h, heading, replace } from "./dom.js";
import { flash } from "./flash.js";
import { field, onSubmit, problemBox, required } from "./forms.js";

/** The page for a 401 or 403 (the API decides who is an admin), else null. */
export function refusal(error) {
  if (!(error instanceof Problem) || ![401, 403].includes(error.status)) return null;
  const why = error.status === 401
    ? "Webhooks are managed by admins. Enter an admin's API token (top right) to see and register them."
    : "Your token is not an admin's: only admins see and manage webhooks.";
  return h("section", { class: "panel webhooks-refused", role: "alert" },
    h("h2", null, error.status === 401 ? "An admin token is needed" : "Admins only"),
    h("p", null, why), problemBox(error));
}

/** A badge for an endpoint's state. */
export function enabledBadge(enabled) {
  return h("span", { class: `badge ${enabled ? "hook-enabled" : "hook-disabled"}` }, enabled ? "enabled" : "disabled");
}

/** Disable (with an optional reason) or enable `hook` at the version shown; then `after()`. */
export async function toggle(hook, reason, after, slot, button) {
  const action = hook.enabled ? "disable" : "enable";
  const body = hook.enabled && reason ? { reason } : {};
  try {
    await api.post(`/webhooks/${hook.id}/${action}`, body, { etag: `"${hook.version}"` });
    flash(`Webhook ${action}d`);
    await after();
  } catch (error) {
    replace(slot, problemBox(error));
    if (button) button.disabled = false;
  }
}

export async function webhooksView(view) {
  let first;
  try {
    first = await api.get("/webhooks", { limit: 100 });
  } catch (error) {
    const refused = refusal(error);
    if (!refused) throw error;
    replace(view, h("div", { class: "page-head" }, heading("Webhooks")), refused);
    return;
  }
  const vocabulary = await loadVocabulary();
  const secretSlot = h("div", { class: "secret-slot" });
  const listSlot = h("div", { "aria-live": "polite" });
  const reload = async () => replace(listSlot, await endpointTable(await api.get("/webhooks", { limit: 100 }), reload));
  replace(view,
    h("div", { class: "page-head" }, heading("Webhooks")),
    h("p", { class: "lede" }, "Endpoints told about the log's events as they are recorded: each event is POSTed at least once, in log order, signed in the Standard Webhooks style with the endpoint's secret."),
    secretSlot,
    h("section", { class: "panel", "aria-labelledby": "h-endpoints" }, h("h2", { id: "h-endpoints" }, "Endpoints"), listSlot),
    registerPanel(vocabulary.webhook_event_types || [], secretSlot, reload));
  replace(listSlot, await endpointTable(first, reload));
}

async function endpointTable(page, reload) {
  if (!page.items.length) return emptyState("No webhook is registered yet.");
  // The list leaves out how far each receiver acknowledged; each endpoint's own answer has it.
  const hooks = await Promise.all(page.items.map((hook) => api.get(`/webhooks/${hook.id}`)));
  const problems = h("div");
  return h("div", null, problems, h("div", { class: "table-wrap" },
    h("table", { class: "webhooks-table", "aria-labelledby": "h-endpoints" },
      h("thead", null, h("tr", null, ["URL", "Event types", "State", "Acknowledged up to", "Actions"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", null, hooks.map((hook) => h("tr", { class: "webhook-row", dataset: { webhookId: hook.id } },
        h("td", { class: "hook-url" }, h("a", { href: `#/webhooks/${hook.id}` }, hook.url)),
        h("td", null, hook.event_types.map((t) => h("code", { class: "tag" }, t))),
        h("td", null, enabledBadge(hook.enabled)),
        h("td", { class: "num hook-acknowledged" }, hook.acknowledged_position == null ? h("span", { class: "muted" }, "nothing yet") : `#${hook.acknowledged_position}`),
        h("td", { class: "hook-actions" },
          h("a", { class: "button", href: `#/webhooks/${hook.id}`, "aria-label": `Deliveries to ${hook.url}` }, "Deliveries"),
          h("button", { type: "button", class: hook.enabled ? "toggle" : "toggle primary",
            "aria-label": `${hook.enabled ? "Disable" : "Enable"} ${hook.url}`,
            onclick: (event) => {
              const button = event.currentTarget;
              button.disabled = true;
              toggle(hook, null, reload, problems, button);
            } },
          hook.enabled ? "Disable" : "Enable"))))))),
  page.next_cursor ? h("p", { class: "small muted" }, "Showing the first 100 endpoints.") : null);
}

/** Checkboxes for `event_types`: every event, each family (claim.*), each event; `checked` ticked. */
export function eventTypesFieldset(known, checked = []) {
  const groups = new Map();
  for (const name of known) {
    const prefix = name.split(".")[0];
    groups.set(prefix, [...(groups.get(prefix) || []), name]);
  }
  const box = (value, text) => {
    const id = `hook-type-${value.replace(/[^a-z_]/g, (c) => (c === "*" ? "all" : "-"))}`;
    return h("div", { class: "field checkbox" },
      h("input", { type: "checkbox", id, name: "event_types", value, checked: checked.includes(value) }),
      h("label", { for: id }, text));
  };
  const error = h("p", { class: "field-error", id: "hook-types-error" });
  const fieldset = h("fieldset", { class: "event-types", "aria-describedby": "hook-types-error" },
    h("legend", null, "Event types"),
    h("p", { class: "hint" }, "Choose whole families (claim.*) or single events; choose at least one."),
    box("*", "Every event (*)"),
    h("div", { class: "type-groups" }, [...groups].map(([prefix, names]) => h("div", { class: "type-group" },
      box(`${prefix}.*`, `every ${prefix} event (${prefix}.*)`),
      names.map((name) => box(name, name))))),
    error);
  return { fieldset, explain: (problem) => {
    if (problem instanceof Problem && Array.isArray(problem.body.known)) {
      error.textContent = `Known types: ${problem.body.known.join(", ")}, or a family such as claim.*, or *.`;
    }
    return null;
  } };
}

function registerPanel(known, secretSlot, reload) {
  const types = eventTypesFieldset(known);
  const form = h("form", { class: "webhook-form", "aria-label": "Register a webhook" },
    field({ label: "URL", name: "url", type: "url", required: true, placeholder: "https://hooks.example.org/claimtrail",
      hint: "http(s) URL that will receive a POST for each event." }),
    types.fieldset,
    h("div", { class: "button-row" }, h("button", { type: "submit", class: "primary" }, "Register webhook")));
  onSubmit(form, {
    build: (data) => ({ url: required(data, "url"), event_types: data.getAll("event_types").map(String) }),
    send: (body, key) => api.post("/webhooks", body, { key }),
    done: async ({ data }) => {
      form.reset();
      replace(secretSlot, secretPanel(data));
      secretSlot.querySelector("h2").focus();
      await reload();
    },
    explain: types.explain,
  });
  return h("section", { class: "panel", "aria-labelledby": "h-register" }, h("h2", { id: "h-register" }, "Register an endpoint"), form);
}

function secretPanel(hook) {
  const status = h("p", { class: "small copy-status", role: "status" });
  const input = h("input", { type: "text", id: "webhook-secret", readonly: true, value: hook.secret, spellcheck: "false",
    "aria-describedby": "webhook-secret-warning", class: "secret-value" });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(hook.secret);
      status.textContent = "Copied to the clipboard.";
    } catch {
      input.select(); // no clipboard here (plain http): selected for Ctrl+C instead
      status.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
    }
  };
  const panel = h("section", { class: "panel secret-panel", "aria-labelledby": "h-secret" },
    h("h2", { id: "h-secret", tabindex: "-1" }, "Signing secret for ", h("span", { class: "hook-url" }, hook.url)),
    h("p", { class: "secret-warning", id: "webhook-secret-warning" },
      h("strong", null, "Shown only now."), " Copy it into the receiver's configuration: it is never shown again, not here nor by the API. If it is lost, register the endpoint again and disable this one."),
    h("div", { class: "field" }, h("label", { for: "webhook-secret" }, "Secret"),
      h("div", { class: "secret-row" }, input, h("button", { type: "button", class: "primary copy-secret", onclick: copy }, "Copy"))),
    status,
    h("div", { class: "button-row" }, h("button", { type: "button", class: "forget-secret",
      onclick: () => panel.remove() }, "I have copied it: hide the secret")));
  return panel;
}
