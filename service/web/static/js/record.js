// Record a claim: find its source by URL, take the exact quote, say who did what to whom.

import { actorField } from "./actors.js";
import { api, loadVocabulary, Problem } from "./api.js";
import { h, heading, replace } from "./dom.js";
import { flash } from "./flash.js";
import { compact, field, onSubmit, required, text } from "./forms.js";
import { sourcePicker } from "./source_picker.js";

const CONTEXT = 32;

export async function recordView(view, params) {
  const vocabulary = await loadVocabulary();
  const quote = {
    exact: field({ label: "Exact quote", name: "exact", kind: "textarea", rows: 3, required: true,
      hint: "Character for character as in the source. Select words in the source text to fill it in." }),
    prefix: field({ label: "Text just before", name: "prefix" }),
    suffix: field({ label: "Text just after", name: "suffix" }),
  };
  const context = h("details", { class: "context-fields" },
    h("summary", null, "Tell a repeated quote apart (prefix / suffix)"), quote.prefix, quote.suffix);
  const preview = h("div", { class: "anchor-preview", "aria-live": "polite", hidden: true });
  const picker = sourcePicker((selection) => {
    const prefix = selection.text.slice(Math.max(0, selection.start - CONTEXT), selection.start);
    const suffix = selection.text.slice(selection.end, selection.end + CONTEXT);
    quote.exact.querySelector("textarea").value = selection.exact;
    quote.prefix.querySelector("input").value = prefix;
    quote.suffix.querySelector("input").value = suffix;
    showAnchor(preview, selection, prefix, suffix, context);
  });
  const relations = vocabulary.relations.map((r) => [r.slug, `${r.slug.replaceAll("_", " ")} (${r.cameo})`]);
  const relation = field({ label: "Relation", name: "relation", kind: "select", options: relations, required: true,
    hint: " " });
  const relationHint = relation.querySelector(".hint");
  relationHint.classList.add("relation-hint");
  const describe = () => {
    const chosen = vocabulary.relations.find((r) => r.slug === relation.querySelector("select").value);
    relationHint.textContent = chosen ? `CAMEO ${chosen.cameo}: ${chosen.label}` : "";
  };
  relation.querySelector("select").addEventListener("change", describe);
  describe();
  const actors = {
    subject: actorField({ label: "Subject", name: "subject", required: true, hint: "Who acts: an actor's id, name or alias." }),
    object: actorField({ label: "Object", name: "object", hint: "Whom the relation is directed at." }),
    claimant: actorField({ label: "Claimant", name: "claimant", hint: "Who makes the claim." }),
  };
  const form = h("form", { class: "record-form", "aria-label": "Record a claim" },
    h("fieldset", null, h("legend", null, "The quote"), quote.exact, preview, context),
    h("fieldset", null, h("legend", null, "The claim"),
      field({ label: "Statement", name: "statement", kind: "textarea", rows: 2, required: true,
        hint: "The claim in one plain sentence." }),
      h("div", { class: "inline-fields" },
        field({ label: "Kind", name: "kind", kind: "select", options: vocabulary.kinds, required: true }),
        field({ label: "Occurred on", name: "occurred_on", placeholder: "YYYY, YYYY-MM or YYYY-MM-DD",
          inputmode: "numeric", hint: "The date the claim is about." })),
      h("div", { class: "triple-fields" }, actors.subject,
        relation,
        actors.object),
      h("div", { class: "field checkbox" },
        h("input", { type: "checkbox", id: "record-negated", name: "negated", value: "yes" }),
        h("label", { for: "record-negated" }, "Negated: the claim says this does ", h("em", null, "not"), " hold")),
      h("div", { class: "inline-fields" }, actors.claimant,
        field({ label: "Tags", name: "tags", hint: "Comma separated, e.g. summit, energy" }))),
    h("div", { class: "button-row" }, h("button", { type: "submit", class: "primary" }, "Record claim")));

  onSubmit(form, {
    build: (data) => compact({
      statement: required(data, "statement"), kind: required(data, "kind"),
      subject: required(data, "subject"), relation: required(data, "relation"),
      object: text(data, "object"), claimant: text(data, "claimant"), occurred_on: text(data, "occurred_on"),
      negated: data.get("negated") === "yes" ? true : undefined,
      tags: (text(data, "tags") ?? "").split(",").map((t) => t.trim()).filter(Boolean),
      appearance: compact({ source_id: picker.sourceId() ?? "", exact: required(data, "exact"),
        prefix: text(data, "prefix"), suffix: text(data, "suffix") }),
    }),
    send: (body, key) => api.post("/claims", body, { key }),
    done: ({ data }) => {
      flash(`Claim recorded (log position ${data.position}).`);
      location.hash = `#/claims/${data.id}`;
    },
    explain: (error) => suggest(error, actors, context),
  });

  replace(view,
    h("div", { class: "page-head" }, heading("Record a claim")),
    h("p", { class: "lede" }, "Every claim is anchored to the exact words of a source. Find the source, quote it, then describe the claim."),
    h("div", { class: "record-layout" }, picker.element, form));
  for (const name of ["statement", "kind", "subject", "relation", "object", "claimant", "occurred_on"]) {
    const value = params?.get(name);
    const control = form.elements.namedItem(name);
    if (value && control) control.value = value;
  }
  describe();
  const sourceId = params?.get("source");
  if (sourceId && /^[0-9a-fA-F-]{36}$/.test(sourceId)) {
    await picker.preload(sourceId, Number.parseInt(params.get("start"), 10), Number.parseInt(params.get("end"), 10));
  }
}

/** The anchor as the server will store it: offsets, the quote in its context, and whether the
 * words occur more than once (then prefix and suffix tell them apart). */
function showAnchor(preview, selection, prefix, suffix, context) {
  let count = 0;
  for (let at = selection.text.indexOf(selection.exact); at >= 0; at = selection.text.indexOf(selection.exact, at + 1)) count += 1;
  if (count > 1) context.open = true;
  replace(preview,
    h("p", { class: "small" }, h("strong", null, "Anchor: "), `characters ${selection.start}–${selection.end} of ${selection.text.length}`,
      count > 1 ? ` · these words occur ${count} times: the text just before and after tells them apart` : " · found once in the text"),
    h("p", { class: "anchor-text" }, h("span", { class: "quote-context" }, prefix), h("mark", null, selection.exact),
      h("span", { class: "quote-context" }, suffix)));
  preview.hidden = false;
}

/** Unknown actor: offer the close matches the server found; ambiguous quote: open prefix/suffix. */
function suggest(error, actors, context) {
  if (!(error instanceof Problem)) return null;
  const type = error.body.type || "";
  if (type.endsWith("quote-ambiguous") || type.endsWith("quote-not-found")) {
    if (type.endsWith("quote-ambiguous")) context.open = true;
    return h("p", { class: "hint" }, "Select the words in the source text to copy them exactly.");
  }
  const candidates = error.body.candidates;
  if (!Array.isArray(candidates)) return null;
  const input = Object.values(actors).map((w) => w.querySelector("input"))
    .find((i) => i.value.trim() === error.body.name);
  if (!candidates.length) return h("p", null, "No actor has a similar name. Register it through the API first.");
  return h("div", { class: "suggestions" }, h("span", null, "Did you mean: "),
    candidates.map((id) => h("button", { type: "button", class: "chip", onclick: () => {
      if (input) {
        input.value = id;
        input.removeAttribute("aria-invalid");
        input.focus();
      }
    } }, id)));
}
