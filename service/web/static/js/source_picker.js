// Find a source by URL (GET /sources?url=), or register it; show its text to quote from.

import { api, loadVocabulary } from "./api.js";
import { h, partialDate, replace } from "./dom.js";
import { flash } from "./flash.js";
import { compact, field, onSubmit, problemBox, required, text } from "./forms.js";

/** `onSelect({exact, start, end, text})` is called when words of the source text are selected. */
export function sourcePicker(onSelect) {
  let chosen = null;
  const result = h("div", { class: "source-result", "aria-live": "polite" });
  const lookup = h("form", { class: "source-lookup", role: "search", "aria-label": "Find a source by URL" },
    field({ label: "Source URL", name: "url", type: "url", required: true, placeholder: "https://…",
      hint: "The address of the article, transcript or post the claim appears in." }),
    h("div", { class: "button-row" }, h("button", { type: "submit" }, "Find source")));
  lookup.noValidate = true;

  async function show(source) {
    chosen = source;
    const full = source.text_length ? await api.get(`/sources/${source.id}`, { include: "text" }) : source;
    const panel = full.text ? sourceText(full.text, onSelect)
      : h("p", { class: "hint" }, "This source has no stored text: the quote cannot be checked against it.");
    replace(result, h("div", { class: "source-card", dataset: { sourceId: source.id } },
      h("p", { class: "source-title" }, h("cite", null, source.title)),
      h("p", { class: "small muted" }, [source.publisher, source.kind].filter(Boolean).join(" · "),
        source.published_on ? [" · ", partialDate(source.published_on)] : null),
      h("p", { class: "small" }, "Id ", h("code", { class: "id" }, source.id), " · ",
        h("a", { href: `#/sources/${source.id}` }, "source page"))), panel);
  }

  lookup.addEventListener("submit", async (event) => {
    event.preventDefault();
    const url = lookup.elements.namedItem("url").value.trim();
    chosen = null;
    if (!url) {
      replace(result, h("p", { class: "field-error" }, "Enter the source's URL."));
      return;
    }
    try {
      const { items } = await api.get("/sources", { url });
      if (items.length) await show(items[0]);
      else replace(result, h("p", null, "No source with this URL is in the ledger yet."), await registerForm(url, show));
    } catch (error) {
      replace(result, problemBox(error));
    }
  });

  /** Show the source with this id (from a source page's link) and select text[start:end]. */
  async function preload(id, start, end) {
    try {
      const source = await api.get(`/sources/${id}`);
      lookup.elements.namedItem("url").value = source.url;
      await show(source);
      const full = await api.get(`/sources/${id}`, { include: "text" });
      if (full.text && Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= full.text.length) {
        onSelect({ exact: full.text.slice(start, end), start, end, text: full.text });
      }
    } catch (error) {
      replace(result, problemBox(error));
    }
  }

  return {
    preload,
    element: h("section", { class: "panel source-picker", "aria-labelledby": "h-source" },
      h("h2", { id: "h-source" }, "Source"), lookup, result),
    sourceId: () => chosen?.id,
  };
}

function sourceText(textValue, onSelect) {
  const pre = h("pre", { class: "source-text", tabindex: "0", "aria-label": "Source text: select the quote" }, textValue);
  const pick = () => {
    const selection = getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    const node = pre.firstChild;
    if (range.startContainer !== node || range.endContainer !== node) return;
    onSelect({ exact: textValue.slice(range.startOffset, range.endOffset), start: range.startOffset,
      end: range.endOffset, text: textValue });
  };
  pre.addEventListener("mouseup", pick);
  pre.addEventListener("keyup", pick);
  return h("div", null, h("p", { class: "hint" }, "Select the quote below to copy it exactly."), pre);
}

async function registerForm(url, show) {
  const vocabulary = await loadVocabulary();
  const form = h("form", { class: "register-source", "aria-label": "Register this source" },
    field({ label: "Title", name: "title", required: true }),
    h("div", { class: "inline-fields" },
      field({ label: "Publisher", name: "publisher" }),
      field({ label: "Published on", name: "published_on", placeholder: "YYYY-MM-DD" }),
      field({ label: "Kind", name: "kind", kind: "select", options: vocabulary.source_kinds })),
    field({ label: "Text", name: "text", kind: "textarea", rows: 6,
      hint: "Paste the text so quotes are checked against it." }),
    h("div", { class: "button-row" }, h("button", { type: "submit", class: "primary" }, "Register source")));
  onSubmit(form, {
    build: (data) => compact({ url, title: required(data, "title"), publisher: text(data, "publisher"),
      published_on: text(data, "published_on"), kind: required(data, "kind"), text: text(data, "text") }),
    send: (body, key) => api.post("/sources", body, { key }),
    done: async ({ data }) => {
      flash("Source registered.");
      await show(data);
    },
  });
  return h("details", { class: "action", open: true }, h("summary", null, "Register this source"), form);
}
