// Small DOM helpers: elements from data (never HTML strings), times, people, badges.

import { token } from "./api.js";

/** `h("a", {href: "#/x", class: "y"}, "text", child)`; `on*` attributes become listeners. */
export function h(tag, attrs, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function replace(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A `<time>` for an RFC 3339 instant, shown in local time with the exact value on hover. */
export function when(iso) {
  if (!iso) return h("span", { class: "muted" }, "—");
  const date = new Date(iso);
  return h("time", { datetime: iso, title: iso }, DATE_TIME.format(date));
}

/** A partial date (`2022`, `2022-02`, `2022-02-04`) as written: its precision is the point. */
export function partialDate(value) {
  return value ? h("time", { datetime: value }, value) : h("span", { class: "muted" }, "—");
}

/** Who did something: "you" for the token's principal, else a short principal id. */
export function who(principalId, displayName) {
  if (!principalId) return h("span", { class: "muted" }, "—");
  if (principalId === token.principal()) {
    return h("span", { class: "who who-you", title: principalId }, "you");
  }
  const short = h("code", { class: "who", title: `principal ${principalId}` }, principalId.slice(0, 8));
  if (!displayName) return short;
  return h("span", { class: "who-named" }, h("span", { class: "who-name" }, displayName), " ", short);
}

const label = (value) => String(value).replaceAll("_", " ");

export function statusBadge(status) {
  return h("span", { class: `badge status-${status}` }, label(status));
}

export function verdictBadge(verdict) {
  return verdict
    ? h("span", { class: `badge verdict-${verdict}` }, label(verdict))
    : h("span", { class: "badge verdict-none" }, "unreviewed");
}

export function workflowBadge(state) {
  return h("span", { class: `badge workflow-${state}` }, label(state));
}

/** A review's state: draft, published or unpublished. */
export function reviewStateBadge(state) {
  return h("span", { class: `badge review-${state}` }, state);
}

export function stanceBadge(stance) {
  return h("span", { class: `badge stance-${stance}` }, stance);
}

export function actorLink(actor) {
  if (!actor) return h("span", { class: "muted" }, "—");
  return h("a", { class: "actor", href: `#/claims?actor=${encodeURIComponent(actor.id)}`,
    title: `claims about ${actor.name} (${actor.id})` }, actor.name);
}

/** subject → relation → object, the claim's structure at a glance. */
export function triple(claim) {
  const relation = claim.relation;
  return h("p", { class: "triple" },
    actorLink(claim.subject),
    h("span", { class: "arrow", "aria-hidden": "true" }, "→"),
    h("span", { class: "relation", title: `CAMEO ${relation.cameo} · quad class ${relation.quad_class}` },
      claim.negated ? h("span", { class: "negated" }, "not ") : null,
      label(relation.slug), h("span", { class: "cameo" }, relation.cameo)),
    claim.object ? [h("span", { class: "arrow", "aria-hidden": "true" }, "→"), actorLink(claim.object)] : null);
}

export function heading(text, level = 1) {
  return h(`h${level}`, { tabindex: level === 1 ? "-1" : null }, text);
}

export function emptyState(text) {
  return h("p", { class: "empty" }, text);
}

export const labelOf = label;
