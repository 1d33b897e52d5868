// A polite, dismissible message at the top of the page ("Dispute filed").

import { h, replace } from "./dom.js";

let timer = null;

export function flash(message, tone = "ok") {
  const region = document.getElementById("flash");
  clearTimeout(timer);
  replace(region, h("p", { class: `flash-message flash-${tone}` }, message,
    h("button", { type: "button", class: "link-button", "aria-label": "Dismiss",
      onclick: () => region.replaceChildren() }, "✕")));
  timer = setTimeout(() => region.replaceChildren(), 7000);
}
