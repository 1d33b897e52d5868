// The editorial workflow on a claim's page: assign, unassign, start the work; publish a draft,
// unpublish a review with a reason. Like every command: If-Match and an Idempotency-Key.

import { api, token } from "./api.js";
import { h } from "./dom.js";
import { flash } from "./flash.js";
import { field, onSubmit, required } from "./forms.js";

function commandForm(state, { name, title, submit, fields = [], build = () => ({}), send, done, danger }) {
  const form = h("form", { class: "action-form", "aria-label": title, dataset: { action: name } },
    fields, h("div", { class: "button-row" },
      h("button", { type: "submit", class: danger ? "danger" : "primary" }, submit)));
  onSubmit(form, {
    build,
    send: (body, key) => send(body, { etag: state.etag, key }),
    done: async ({ data }) => {
      flash(`${done} (log position ${data.position}).`);
      await state.reload();
    },
  });
  return form;
}

const claimPath = (state, tail) => `/claims/${state.claim.id}/${tail}`;

/** Assign (to yourself by default), unassign, start the work: for the actions panel. */
export function workflowActions(state) {
  const claim = state.claim;
  const forms = [commandForm(state, {
    name: "assign", title: "Assign", submit: claim.assignee ? "Reassign" : "Assign", done: "Claim assigned",
    fields: [field({ label: "Assignee (principal id)", name: "assignee", required: true, spellcheck: "false",
      value: token.principal() ?? "", hint: "Yours by default; anyone who may review." })],
    build: (data) => ({ assignee: required(data, "assignee") }),
    send: (body, options) => api.post(claimPath(state, "assignment"), body, options),
  })];
  if (claim.assignee) {
    if (claim.workflow !== "in_progress") {
      forms.push(commandForm(state, {
        name: "progress", title: "Start work", submit: "Start work", done: "Work started",
        send: (body, options) => api.post(claimPath(state, "progress"), body, options),
      }));
    }
    forms.push(commandForm(state, {
      name: "unassign", title: "Unassign", submit: "Unassign", done: "Claim unassigned",
      send: (_body, options) => api.remove(claimPath(state, "assignment"), options),
    }));
  }
  return h("details", { class: "action" }, h("summary", null, "Assignment (reviewers)"), forms);
}

/** Publish a draft or an unpublished review; unpublish a published one (with a reason). */
export function reviewActions(state, review) {
  if (!token.get() || state.claim.status === "retracted") return null;
  const tail = `reviews/${review.id}`;
  if (review.state !== "published") {
    return commandForm(state, {
      name: "publish", title: "Publish review", submit: "Publish", done: "Review published",
      send: (body, options) => api.post(claimPath(state, `${tail}/publication`), body, options),
    });
  }
  return h("details", { class: "action" }, h("summary", null, "Unpublish"),
    commandForm(state, {
      name: "unpublish", title: "Unpublish review", submit: "Unpublish", done: "Review unpublished", danger: true,
      fields: [field({ label: "Reason", name: "reason", kind: "textarea", rows: 2, required: true })],
      build: (data) => ({ reason: required(data, "reason") }),
      send: (body, options) => api.post(claimPath(state, `${tail}/unpublication`), body, options),
    }));
}
