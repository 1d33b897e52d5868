// The page: hash routes to views, the token box, and the nav's current page.

import { token } from "./api.js";
import { auditView } from "./audit.js";
import { claimView } from "./claim.js";
import { claimsView } from "./claims.js";
import { h, replace } from "./dom.js";
import { problemBox } from "./forms.js";
import { graphView } from "./graph.js";
import { organizationsView, organizationView } from "./organizations.js";
import { queueView } from "./queue.js";
import { recordView } from "./record.js";
import { relationshipsView } from "./relationships.js";
import { sourceView } from "./source.js";
import { timelineView } from "./timeline.js";
import { webhookView } from "./webhook_deliveries.js";
import { webhooksView } from "./webhooks.js";

const ROUTES = [
  [/^claims\/([0-9a-fA-F-]{36})$/, "claims", "Claim", (view, _params, id) => claimView(view, id)],
  [/^claims$/, "claims", "Claims", claimsView],
  [/^queue$/, "queue", "My queue", queueView],
  [/^sources\/([0-9a-fA-F-]{36})$/, "record", "Source", (view, _params, id) => sourceView(view, _params, id)],
  [/^record$/, "record", "Record a claim", recordView],
  [/^timeline$/, "timeline", "Timeline", timelineView],
  [/^audit$/, "audit", "Audit", auditView],
  [/^graph$/, "graph", "Relationship graph", graphView],
  [/^relationships$/, "relationships", "Relationships", relationshipsView],
  [/^webhooks\/([0-9a-fA-F-]{36})$/, "webhooks", "Webhook", webhookView],
  [/^webhooks$/, "webhooks", "Webhooks", webhooksView],
  [/^organizations\/([0-9a-fA-F-]{36})$/, "organizations", "Organization", organizationView],
  [/^organizations$/, "organizations", "Organizations", organizationsView],
];

let cleanup = null;
let renders = 0;

async function route() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, query = ""] = raw.split("?");
  const match = ROUTES.map(([pattern, ...rest]) => [pattern.exec(path || "claims"), ...rest]).find(([m]) => m);
  const view = document.getElementById("view");
  if (cleanup) cleanup();
  cleanup = null;
  const render = ++renders;
  view.setAttribute("aria-busy", "true");
  for (const link of document.querySelectorAll(".nav a")) {
    link.toggleAttribute("aria-current", Boolean(match) && link.dataset.route === match[1]);
    if (link.hasAttribute("aria-current")) link.setAttribute("aria-current", "page");
  }
  try {
    if (!match) {
      document.title = "Not found · claimtrail";
      replace(view, h("h1", { tabindex: "-1" }, "Page not found"), h("p", null, h("a", { href: "#/claims" }, "Go to the claims")));
      return;
    }
    const [found, , title, show] = match;
    document.title = `${title} · claimtrail`;
    const stop = await show(view, new URLSearchParams(query), ...found.slice(1));
    if (render !== renders) {
      if (typeof stop === "function") stop(); // the user moved on while this view loaded
      return;
    }
    cleanup = typeof stop === "function" ? stop : null;
    // After navigating, start keyboard and screen-reader users at the new page's heading.
    const h1 = view.querySelector("h1");
    if (h1 && render > 1) h1.focus({ preventScroll: true });
  } catch (error) {
    replace(view, h("h1", { tabindex: "-1" }, "Something went wrong"), problemBox(error));
  } finally {
    if (render === renders) view.removeAttribute("aria-busy");
  }
}

function tokenBox() {
  const box = document.getElementById("token-box");
  const form = document.getElementById("token-form");
  const input = document.getElementById("token-input");
  const summary = document.getElementById("token-summary");
  const show = (refused = false) => {
    const principal = token.principal();
    box.classList.toggle("has-token", Boolean(token.get()));
    box.classList.toggle("refused", refused);
    summary.textContent = refused ? "Token refused" : token.get()
      ? `Token set${principal ? ` · ${principal.slice(0, 8)}` : ""}` : "No token";
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!input.value.trim()) return;
    token.set(input.value);
    input.value = "";
    box.open = false;
  });
  document.getElementById("token-forget").addEventListener("click", () => {
    token.clear();
    input.value = "";
    box.open = false;
  });
  document.addEventListener("token-changed", () => {
    show();
    // Actions and "you" depend on the token; a half-filled record form is left alone.
    if (!location.hash.startsWith("#/record")) route();
  });
  document.addEventListener("token-refused", () => show(true));
  show();
}

// The skip link moves focus to the page; as a plain "#view" link it would change the route.
document.querySelector(".skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  document.getElementById("view").focus();
});

tokenBox();
addEventListener("hashchange", route);
route();
