// Form building blocks and the one way a form talks to the API and shows its problems.

import { newKey, Problem } from "./api.js";
import { h, labelOf, replace } from "./dom.js";

let fieldCount = 0;

/**
 * A labelled control. `kind`: "input" (default), "textarea" or "select" (with `options`:
 * strings or [value, text] pairs). Extra attributes go to the control.
 */
export function field({ label, name, kind = "input", options = [], hint, value, blank, ...attrs }) {
  const id = `f${++fieldCount}-${name.replaceAll(".", "-")}`;
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const common = { id, name, "aria-describedby": [hintId, errorId].filter(Boolean).join(" "), ...attrs };
  let control;
  if (kind === "select") {
    control = h("select", common,
      blank !== undefined ? h("option", { value: "" }, blank) : null,
      options.map((option) => {
        const [v, text] = Array.isArray(option) ? option : [option, labelOf(option)];
        return h("option", { value: v, selected: v === value }, text);
      }));
  } else if (kind === "textarea") {
    control = h("textarea", common, value ?? "");
  } else {
    control = h("input", { type: "text", value: value ?? null, ...common });
  }
  return h("div", { class: "field" },
    h("label", { for: id }, label, attrs.required ? null : h("span", { class: "optional" }, " (optional)")),
    control,
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    h("p", { class: "field-error", id: errorId }));
}

/** The problem document of a failed request, readable by people: title, detail, field errors. */
export function problemBox(error, extra = null) {
  const body = error instanceof Problem ? error.body : { title: "Error", detail: String(error) };
  const status = error instanceof Problem && error.status ? ` (${error.status})` : "";
  const errors = Array.isArray(body.errors) ? body.errors : [];
  return h("div", { class: "problem", role: "alert" },
    h("p", { class: "problem-title" }, `${body.title || "Request failed"}${status}`),
    body.detail ? h("p", { class: "problem-detail" }, body.detail) : null,
    errors.length ? h("ul", { class: "problem-errors" }, errors.map((e) =>
      h("li", null, h("code", null, fieldPath(e.loc) || "request"), ": ", e.msg))) : null,
    extra);
}

function fieldPath(loc) {
  return (loc || []).filter((part) => !["body", "query", "path", "header"].includes(part)).join(".");
}

function markFields(form, error) {
  const errors = error instanceof Problem && Array.isArray(error.body.errors) ? error.body.errors : [];
  for (const e of errors) {
    const path = fieldPath(e.loc);
    const control = form.elements.namedItem(path) || form.elements.namedItem(path.split(".").pop());
    if (!(control instanceof HTMLElement) || !control.id) continue;
    control.setAttribute("aria-invalid", "true");
    const message = document.getElementById(`${control.id}-error`);
    if (message) message.textContent = e.msg;
  }
}

export function clearProblems(form) {
  for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  for (const message of form.querySelectorAll(".field-error")) message.textContent = "";
  const slot = form.querySelector(".form-problem");
  if (slot) slot.replaceChildren();
}

/**
 * Submit `form` through `send(body, key)`. The Idempotency-Key is kept while the body is
 * unchanged, so resubmitting after a lost answer cannot write twice.
 */
export function onSubmit(form, { build, send, done, explain }) {
  let slot = form.querySelector(".form-problem");
  if (!slot) {
    slot = h("div", { class: "form-problem" });
    form.prepend(slot);
  }
  let pending = { body: null, key: null };
  form.noValidate = true; // the server validates; its problem details are shown as they are
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblems(form);
    const button = form.querySelector("button[type=submit]");
    const body = build(new FormData(form));
    const text = JSON.stringify(body);
    if (pending.body !== text) pending = { body: text, key: newKey() };
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    try {
      const result = await send(body, pending.key);
      pending = { body: null, key: null };
      await done(result);
    } catch (error) {
      markFields(form, error);
      replace(slot, problemBox(error, explain ? explain(error, form) : null));
      if (!(error instanceof Problem)) console.error(error);
    } finally {
      button.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });
}

/** Text of a form field, or undefined when blank (so optional fields are left out). */
export function text(data, name) {
  const value = (data.get(name) ?? "").toString().trim();
  return value === "" ? undefined : value;
}

/** Text of a required field, trimmed, blank included: the server says what is wrong with it. */
export function required(data, name) {
  return (data.get(name) ?? "").toString().trim();
}

/** Drop undefined members: optional fields the user left blank are not sent at all. */
export function compact(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}
