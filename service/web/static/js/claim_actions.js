// The commands on a claim. Each POST carries If-Match (the ETag the claim was loaded with)
// and an Idempotency-Key; a success reloads the claim, a failure shows the problem document.

import { api, loadVocabulary, Problem, token } from "./api.js";
import { h } from "./dom.js";
import { compact, field, onSubmit, required, text } from "./forms.js";
import { flash } from "./flash.js";
import { organizationField } from "./review_organization.js";
import { workflowActions } from "./workflow_actions.js";

const path = (claim, tail) => `/claims/${claim.id}/${tail}`;

/** When the claim moved on since it was loaded, say so and offer to reload it. */
function explain(state) {
  return (error) => {
    if (!(error instanceof Problem)) return null;
    if (error.status === 412) {
      return h("p", null, "Someone changed this claim since you opened it. ",
        h("button", { type: "button", onclick: state.reload }, "Reload the claim"), " and try again.");
    }
    if (error.status === 401) return h("p", null, "Set an API token (top right) to make changes.");
    return null;
  };
}

function actionForm(state, { title, submit, fields, tail, build, done, danger = false, name }) {
  const form = h("form", { class: "action-form", "aria-label": title, dataset: { action: name } },
    fields, h("div", { class: "button-row" },
      h("button", { type: "submit", class: danger ? "danger" : "primary" }, submit)));
  onSubmit(form, {
    build,
    send: (body, key) => api.post(path(state.claim, tail), body, { etag: state.etag, key }),
    done: async ({ data }) => {
      flash(`${done} (log position ${data.position}).`);
      await state.reload();
    },
    explain: explain(state),
  });
  return form;
}

function disclosure(title, form, hint) {
  return h("details", { class: "action" }, h("summary", null, title),
    hint ? h("p", { class: "hint" }, hint) : null, form);
}

export function resolveForm(state, dispute) {
  const form = actionForm(state, {
    title: "Resolve dispute", name: "resolve", submit: "Resolve dispute", done: "Dispute resolved",
    tail: `disputes/${dispute.id}/resolution`,
    fields: [
      field({ label: "Outcome", name: "outcome", kind: "select", required: true,
        options: [["upheld", "Upheld: the dispute is right"], ["rejected", "Rejected: the claim stands"]] }),
      field({ label: "Note", name: "note", kind: "textarea", rows: 3, required: true }),
    ],
    build: (data) => ({ outcome: required(data, "outcome"), note: required(data, "note") }),
  });
  return disclosure("Resolve (reviewers)", form);
}

export function actionsPanel(state) {
  const panel = h("section", { class: "panel actions", "aria-labelledby": "h-actions" },
    h("h2", { id: "h-actions" }, "Act on this claim"));
  if (!token.get()) {
    panel.append(h("p", { class: "notice" },
      "Reading needs no token. To add evidence, dispute, review or retract, set an API token (top right)."));
  }
  const retracted = state.claim.status === "retracted";
  if (retracted) {
    panel.append(h("p", { class: "hint" }, "This claim is retracted: only links can still be added."));
  }
  loadVocabulary().then((v) => {
    if (!retracted) {
      panel.append(
        disclosure("Add evidence", evidenceForm(state, v)),
        disclosure("Dispute", disputeForm(state)),
        workflowActions(state),
        disclosure("Review (reviewers)", reviewForm(state, v)),
        disclosure("Retract", retractForm(state), "Final: afterwards only links can be added."));
    }
    panel.append(disclosure("Link to another claim", linkForm(state, v)));
  });
  return panel;
}

function evidenceForm(state, vocabulary) {
  return actionForm(state, {
    title: "Add evidence", name: "evidence", submit: "Add evidence", done: "Evidence added", tail: "evidence",
    fields: [
      field({ label: "Stance", name: "stance", kind: "select", options: vocabulary.stances, required: true }),
      field({ label: "Note", name: "note", kind: "textarea", rows: 3, required: true }),
      field({ label: "URL", name: "url", type: "url", placeholder: "https://…" }),
      field({ label: "Source id", name: "source_id", hint: "A source in the ledger (find it under Record a claim)." }),
      field({ label: "Quote from that source", name: "exact", kind: "textarea", rows: 2 }),
    ],
    build: (data) => compact({ stance: required(data, "stance"), note: required(data, "note"),
      url: text(data, "url"), source_id: text(data, "source_id"), exact: text(data, "exact") }),
  });
}

function disputeForm(state) {
  return actionForm(state, {
    title: "Dispute", name: "dispute", submit: "File dispute", done: "Dispute filed", tail: "disputes",
    fields: [field({ label: "Reason", name: "reason", kind: "textarea", rows: 4, required: true,
      hint: "What is wrong with the claim as recorded?" })],
    build: (data) => ({ reason: required(data, "reason") }),
  });
}

function reviewForm(state, vocabulary) {
  const rating = h("fieldset", { class: "rating" }, h("legend", null, "Rating (optional)"),
    h("div", { class: "inline-fields" },
      field({ label: "Value", name: "rating.value", type: "number", step: "any" }),
      field({ label: "Worst", name: "rating.worst", type: "number", step: "any", value: "1" }),
      field({ label: "Best", name: "rating.best", type: "number", step: "any", value: "5" })));
  return actionForm(state, {
    title: "Review", name: "review", submit: "Save review", done: "Review saved", tail: "reviews",
    fields: [
      field({ label: "Verdict", name: "verdict", kind: "select", options: vocabulary.verdicts, required: true }),
      field({ label: "Label", name: "label", hint: "The rating as your outlet words it, e.g. “Half true”." }),
      field({ label: "Explanation", name: "explanation", kind: "textarea", rows: 4, required: true }),
      field({ label: "Fact-check URL", name: "url", type: "url", placeholder: "https://…" }),
      rating,
      field({ label: "Publish", name: "state", kind: "select", required: true,
        options: [["published", "Publish now: it counts"], ["draft", "Save as a draft: it counts once published"]] }),
      organizationField(),
    ],
    build: (data) => {
      const value = text(data, "rating.value");
      return compact({ verdict: required(data, "verdict"), label: text(data, "label"), state: required(data, "state"),
        explanation: required(data, "explanation"), url: text(data, "url"),
        organization_id: text(data, "organization_id"),
        rating: value === undefined ? undefined
          : { value: Number(value), worst: Number(text(data, "rating.worst")), best: Number(text(data, "rating.best")) } });
    },
  });
}

function retractForm(state) {
  return actionForm(state, {
    title: "Retract", name: "retract", submit: "Retract claim", done: "Claim retracted", tail: "retraction",
    danger: true,
    fields: [field({ label: "Reason", name: "reason", kind: "textarea", rows: 3, required: true })],
    build: (data) => ({ reason: required(data, "reason") }),
  });
}

function linkForm(state, vocabulary) {
  return actionForm(state, {
    title: "Link", name: "link", submit: "Add link", done: "Link added", tail: "links",
    fields: [
      field({ label: "Relation", name: "relation", kind: "select", options: vocabulary.link_relations, required: true }),
      field({ label: "Other claim's id", name: "target_id", required: true, spellcheck: "false" }),
    ],
    build: (data) => ({ relation: required(data, "relation"), target_id: required(data, "target_id") }),
  });
}
