// One claim: its quote in its source, evidence, disputes, reviews, links and full history.

import { api, Problem } from "./api.js";
import { actionsPanel, resolveForm } from "./claim_actions.js";
import {
  actorLink, emptyState, h, heading, labelOf, partialDate, replace, reviewStateBadge, stanceBadge,
  statusBadge, triple, verdictBadge, when, who, workflowBadge,
} from "./dom.js";
import { problemBox } from "./forms.js";
import { historyList } from "./history.js";
import { citation, forgetSources, loadSource, quoteBlock } from "./quote.js";
import { reviewOrganization } from "./review_organization.js";
import { reviewActions } from "./workflow_actions.js";

export async function claimView(view, id) {
  forgetSources();
  let claim;
  let etag;
  let history;
  try {
    [{ data: claim, etag }, history] = await Promise.all([
      api.resource(`/claims/${encodeURIComponent(id)}`),
      api.get(`/claims/${encodeURIComponent(id)}/history`),
    ]);
  } catch (error) {
    const missing = error instanceof Problem && [404, 422].includes(error.status);
    replace(view, heading(missing ? "Claim not found" : "Could not load the claim"), problemBox(error),
      h("p", null, h("a", { href: "#/claims" }, "← All claims")));
    return;
  }
  const ids = new Set([...claim.appearances.map((a) => a.source_id),
    ...claim.evidence.map((e) => e.source_id).filter(Boolean)]);
  const found = await Promise.all([...ids].map(loadSource));
  const sources = new Map([...ids].map((sourceId, i) => [sourceId, found[i]]));
  const reload = () => claimView(view, id);
  const state = { claim, etag, reload };

  replace(view,
    h("nav", { class: "breadcrumb", "aria-label": "Breadcrumb" }, h("a", { href: "#/claims" }, "← All claims")),
    h("header", { class: "claim-head" },
      h("div", { class: "badges" }, statusBadge(claim.status), verdictBadge(claim.verdict),
        workflowBadge(claim.workflow)),
      heading(claim.statement), triple(claim),
      claim.status === "retracted"
        ? h("p", { class: "notice notice-retracted" }, h("strong", null, "Retracted: "), claim.retraction_reason)
        : null),
    h("div", { class: "claim-layout" },
      h("div", { class: "claim-main" },
        section("Quote", "quote", claim.appearances.map((a) => quoteBlock(a, sources.get(a.source_id)))),
        section(`Evidence (${claim.evidence.length})`, "evidence",
          list(claim.evidence, (e) => evidenceItem(e, sources.get(e.source_id)), "No evidence yet.")),
        section(`Disputes (${claim.disputes.length})`, "disputes",
          list(claim.disputes, (d) => disputeItem(d, state), "No disputes.")),
        section(`Reviews (${claim.reviews.length})`, "reviews",
          list([...claim.reviews].reverse(), (r) => reviewItem(r, r.id === verdictReview(claim)?.id, state),
            "Not reviewed yet.")),
        section(`Links (${claim.links.length})`, "links",
          list(claim.links, linkItem, "No links to other claims.")),
        section(`History (${history.items.length} event${history.items.length === 1 ? "" : "s"})`, "history", historyList(history.items))),
      h("aside", { class: "claim-aside" }, facts(claim), actionsPanel(state))));
}

function section(title, name, ...content) {
  return h("section", { class: `panel panel-${name}`, "aria-labelledby": `h-${name}` },
    h("h2", { id: `h-${name}` }, title), content);
}

function list(items, render, empty) {
  return items.length ? h("ul", { class: "items" }, items.map((item, i) => h("li", null, render(item, i))))
    : emptyState(empty);
}

function byline(verb, principal, at) {
  return h("p", { class: "byline" }, `${verb} by `, who(principal), " · ", when(at));
}

function facts(claim) {
  const row = (term, ...value) => [h("dt", null, term), h("dd", null, value)];
  const actors = (refs) => refs.length ? refs.map((a, i) => [i ? ", " : null, actorLink(a)]) : "—";
  const relationships = claim.object
    ? h("a", { href: `#/relationships?a=${claim.subject.id}&b=${claim.object.id}` },
      `${claim.subject.name} ↔ ${claim.object.name}`) : "—";
  return h("section", { class: "panel facts", "aria-labelledby": "h-facts" },
    h("h2", { id: "h-facts" }, "Details"),
    h("dl", null,
      row("Workflow", workflowBadge(claim.workflow)),
      row("Assignee", who(claim.assignee)),
      row("Kind", claim.kind),
      row("Language", claim.language || "—"),
      row("Claimant", actorLink(claim.claimant)),
      row("Occurred", partialDate(claim.occurred_on)),
      row("Relation", `${labelOf(claim.relation.slug)} · CAMEO ${claim.relation.cameo} · quad class ${claim.relation.quad_class}`),
      row("About", actors(claim.about)),
      row("Quantities", claim.quantities.length
        ? claim.quantities.map((q, i) => [i ? "; " : null, `${q.value} ${q.unit}${q.about ? ` (${q.about})` : ""}`]) : "—"),
      row("Tags", claim.tags.length ? claim.tags.map((t) => h("span", { class: "tag" }, t)) : "—"),
      row("Relationship", relationships),
      row("Recorded", when(claim.recorded_at), " by ", who(claim.recorded_by)),
      row("Updated", when(claim.updated_at)),
      row("Version", String(claim.version)),
      row("Id", h("code", { class: "id" }, claim.id))));
}

function evidenceItem(evidence, source) {
  return h("article", { class: "item evidence" },
    h("div", { class: "item-head" }, stanceBadge(evidence.stance)),
    h("p", null, evidence.note),
    evidence.quote ? quoteBlock(evidence.quote, source)
      : evidence.source_id ? h("p", { class: "small" }, citation(source, evidence.source_id)) : null,
    evidence.url ? h("p", { class: "small" }, h("a", { href: evidence.url, rel: "noreferrer noopener", target: "_blank" }, evidence.url)) : null,
    byline("Added", evidence.added_by, evidence.added_at));
}

function disputeItem(dispute, state) {
  const open = dispute.status === "open";
  return h("article", { class: `item dispute is-${dispute.status}`, dataset: { disputeId: dispute.id } },
    h("div", { class: "item-head" },
      h("span", { class: `badge dispute-${dispute.status}` }, open ? "open" : `resolved: ${dispute.status}`)),
    h("p", { class: "dispute-reason" }, dispute.reason),
    dispute.evidence ? evidenceItem(dispute.evidence, null) : null,
    byline("Opened", dispute.opened_by, dispute.opened_at),
    open ? resolveForm(state, dispute)
      : h("div", { class: "resolution" },
        h("p", null, dispute.resolution_note),
        byline(`${dispute.status === "upheld" ? "Upheld" : "Rejected"}`, dispute.resolved_by, dispute.resolved_at)));
}

/** The review published last: the claim's verdict (drafts and unpublished reviews never are). */
function verdictReview(claim) {
  const published = claim.reviews.filter((r) => r.state === "published");
  return published.sort((a, b) => new Date(a.published_at) - new Date(b.published_at)).pop() ?? null;
}

function reviewItem(review, current, state) {
  const rating = review.rating ? `rated ${review.rating.value} (worst ${review.rating.worst}, best ${review.rating.best})` : null;
  const standing = current ? "current verdict" : review.state === "published" ? "superseded" : "does not count";
  return h("article", { class: `item review review-is-${review.state}${current ? " review-current" : ""}`,
    dataset: { reviewId: review.id } },
    h("div", { class: "item-head" }, verdictBadge(review.verdict), reviewStateBadge(review.state),
      review.label && review.label.toLowerCase() !== labelOf(review.verdict)
        ? h("span", { class: "review-label" }, review.label) : null,
      h("span", { class: "small muted" }, standing),
      reviewOrganization(review)),
    h("p", null, review.explanation),
    rating ? h("p", { class: "small" }, rating) : null,
    review.url ? h("p", { class: "small" }, h("a", { href: review.url, rel: "noreferrer noopener", target: "_blank" }, review.url)) : null,
    byline(review.state === "draft" ? "Drafted" : "Reviewed", review.reviewed_by, review.reviewed_at),
    review.state === "unpublished"
      ? h("p", { class: "notice notice-retracted" }, h("strong", null, "Unpublished: "), review.unpublished_reason) : null,
    reviewActions(state, review));
}

function linkItem(link) {
  const target = h("a", { href: `#/claims/${link.target_id}` }, h("code", null, link.target_id.slice(0, 8)));
  api.get(`/claims/${link.target_id}`).then((other) => target.replaceChildren(other.statement)).catch(() => {});
  return h("article", { class: "item link" },
    h("p", null, h("span", { class: "badge" }, link.relation), " ", target),
    byline("Linked", link.linked_by, link.linked_at));
}
