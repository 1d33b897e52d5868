// A source's page: its text, where selecting words opens the record form with the quote
// anchored, and (once the extraction service answers) the candidate claims found in it.

import { api, Problem } from "./api.js";
import { h, heading, labelOf, partialDate, replace } from "./dom.js";
import { problemBox } from "./forms.js";

const CONTEXT = 32;

/** The record form's address for a selection (and, for a candidate, its proposed fields). */
export function recordLink(sourceId, start, end, fields = {}) {
  const params = new URLSearchParams({ source: sourceId, start: String(start), end: String(end) });
  for (const [name, value] of Object.entries(fields)) {
    if (value !== null && value !== undefined && value !== "") params.set(name, String(value));
  }
  return `#/record?${params}`;
}

/** Quote, prefix and suffix of text[start:end], as the record form sends them. */
export function anchorOf(text, start, end) {
  return { exact: text.slice(start, end), prefix: text.slice(Math.max(0, start - CONTEXT), start),
    suffix: text.slice(end, end + CONTEXT), start, end, text };
}

export async function sourceView(view, _params, id) {
  const source = await api.get(`/sources/${id}`, { include: "text" });
  const candidates = h("section", { class: "panel candidates", "aria-labelledby": "h-candidates", hidden: true });
  const text = source.text
    ? h("pre", { class: "source-text", tabindex: "0", "aria-label": "Source text: select words to record a claim quoting them",
      "aria-describedby": "select-help" }, source.text)
    : null;
  if (text) {
    const pick = () => {
      const selection = getSelection();
      if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
      const range = selection.getRangeAt(0);
      if (range.startContainer !== text.firstChild || range.endContainer !== text.firstChild) return;
      location.hash = recordLink(source.id, range.startOffset, range.endOffset);
    };
    text.addEventListener("mouseup", pick);
    text.addEventListener("keyup", (event) => { if (event.shiftKey || event.key === "Enter") pick(); });
  }
  replace(view,
    h("div", { class: "page-head" }, heading(source.title)),
    h("p", { class: "small muted" }, [source.publisher, source.kind, source.authors?.join(", ")].filter(Boolean).join(" · "),
      source.published_on ? [" · ", partialDate(source.published_on)] : null, " · ",
      h("a", { href: source.url, rel: "noreferrer noopener", target: "_blank", "aria-label": `original: ${source.url} (new tab)` }, "original ↗")),
    h("div", { class: "source-layout" },
      h("section", { class: "panel", "aria-labelledby": "h-text" }, h("h2", { id: "h-text" }, "Text"),
        text ? [h("p", { class: "hint", id: "select-help" }, "Select words (with the mouse, or Shift + arrow keys) to record a claim quoting them."), text]
          : h("p", { class: "hint" }, "This source has no stored text.")),
      candidates));
  if (text) await showCandidates(candidates, source);
}

async function showCandidates(panel, source) {
  let found;
  try {
    found = await api.get(`/sources/${source.id}/candidates`);
  } catch (error) {
    // Until the extraction service is deployed the route is absent: no panel at all.
    if (error instanceof Problem && (error.status === 404 || error.status === 405)) return;
    replace(panel, h("h2", { id: "h-candidates" }, "Candidate claims"), problemBox(error));
    panel.hidden = false;
    return;
  }
  const items = found.items ?? [];
  replace(panel, h("h2", { id: "h-candidates" }, `Candidate claims (${items.length})`),
    h("p", { class: "small muted" }, "Assertions found in the text by rules; accepting one opens the record form filled in, to check before saving."),
    items.length ? h("ol", { class: "candidate-list" }, items.map((item, i) => candidate(item, i, source)))
      : h("p", { class: "empty" }, "No candidates in this text."));
  panel.hidden = false;
}

function candidate(item, index, source) {
  const fields = { statement: item.statement, kind: item.kind, claimant: item.claimant, subject: item.subject,
    relation: item.relation, object: item.object };
  const id = `candidate-${index}`;
  return h("li", { class: "candidate" },
    h("blockquote", { id }, h("mark", null, item.exact)),
    item.statement ? h("p", { class: "candidate-statement" }, item.statement) : null,
    h("p", { class: "small muted" }, [item.claimant && `claimant ${item.claimant}`,
      item.subject && `${item.subject} ${labelOf(item.relation ?? "?")} ${item.object ?? ""}`.trim(),
      item.kind, typeof item.score === "number" ? `score ${item.score.toFixed(2)}` : null].filter(Boolean).join(" · ")),
    item.rules?.length ? h("p", { class: "small muted" }, "Rules: ", item.rules.join(", ")) : null,
    item.proposed_actors?.length ? h("p", { class: "small" }, "Not in the registry yet (register first): ",
      item.proposed_actors.map((a) => `${a.name ?? a.id}${a.kind ? ` (${a.kind})` : ""}`).join(", ")) : null,
    h("a", { class: "button primary", href: recordLink(source.id, item.start, item.end, fields),
      "aria-describedby": id }, "Accept"));
}
