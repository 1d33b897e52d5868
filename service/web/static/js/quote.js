// A quote shown where it stands in its source: the exact words marked, with their context.

import { api } from "./api.js";
import { h, partialDate } from "./dom.js";

const CONTEXT = 220;
const sources = new Map();

/** A source with its text, fetched once per page view and shared by every quote from it. */
export function loadSource(id) {
  if (!sources.has(id)) {
    sources.set(id, api.get(`/sources/${id}`, { include: "text" }).catch(() => null));
  }
  return sources.get(id);
}

export function forgetSources() {
  sources.clear();
}

/** The words before and after the quote: from the source text when it matches, else the
 * stored prefix and suffix (a source without text, or offsets that do not line up). */
function context(quote, text) {
  if (text && Number.isInteger(quote.start) && text.slice(quote.start, quote.end) === quote.exact) {
    const from = Math.max(0, quote.start - CONTEXT);
    const to = Math.min(text.length, quote.end + CONTEXT);
    let before = text.slice(from, quote.start);
    let after = text.slice(quote.end, to);
    if (from > 0) before = before.replace(/^\S*\s+/, "");
    if (to < text.length) after = after.replace(/\s+\S*$/, "");
    return { before, after, cutBefore: from > 0, cutAfter: to < text.length };
  }
  return { before: quote.prefix || "", after: quote.suffix || "", cutBefore: true, cutAfter: true };
}

export function quoteBlock(quote, source) {
  const { before, after, cutBefore, cutAfter } = context(quote, source?.text);
  return h("figure", { class: "quote" },
    h("blockquote", { cite: source?.url ?? null, lang: source?.language ?? null },
      h("p", null,
        cutBefore && before ? "…" : null, h("span", { class: "quote-context" }, before),
        h("mark", null, quote.exact),
        h("span", { class: "quote-context" }, after), cutAfter && after ? "…" : null)),
    h("figcaption", null, citation(source, quote.source_id)));
}

export function citation(source, id) {
  if (!source) return h("span", { class: "muted" }, `source ${id ?? "unknown"}`);
  const details = [source.publisher, source.authors?.length ? source.authors.join(", ") : null]
    .filter(Boolean).join(" · ");
  return h("span", { class: "citation" },
    "— ", h("cite", null, source.title),
    details ? `, ${details}` : null,
    source.published_on ? [", ", partialDate(source.published_on)] : null,
    " ", h("a", { href: `#/sources/${source.id}` }, "source page"),
    " · ", h("a", { href: source.url, rel: "noreferrer noopener", target: "_blank",
      "aria-label": `open source: ${source.title} (new tab)` }, "open source ↗"));
}
