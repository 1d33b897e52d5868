// The audit page: the latest signed checkpoint checked in this browser, and any event's
// inclusion proof recomputed here with WebCrypto, its path drawn from the leaf to the root.

import { api } from "./api.js";
import { h, heading, replace, when } from "./dom.js";
import { problemBox } from "./forms.js";
import { checkSignature, hasSubtle, inclusionRoot, leafOf } from "./merkle.js";
import { px, s } from "./svg.js";

const short = (hash) => `${hash.slice(0, 8)}…${hash.slice(-4)}`;

export async function auditView(view, params) {
  const [checkpoint, publicKey] = await Promise.all([api.get("/audit/checkpoint"), api.get("/audit/public-key")]);
  const result = h("div", { class: "proof-result", "aria-live": "polite" });
  const input = h("input", { type: "number", id: "proof-position", name: "position", min: 1, step: 1, required: true,
    inputmode: "numeric", value: params.get("position") ?? "1", "aria-describedby": "proof-help" });
  const form = h("form", { class: "proof-form", "aria-label": "Verify an event's inclusion" },
    h("div", { class: "field" }, h("label", { for: "proof-position" }, "Log position of the event"), input,
      h("p", { class: "hint", id: "proof-help" }, "Every event's position is shown in a claim's history (#N).")),
    h("div", { class: "button-row" }, h("button", { type: "submit", class: "primary" }, "Verify inclusion")));
  form.noValidate = true; // our message, beside the field, instead of the browser's bubble
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const position = Number.parseInt(input.value, 10);
    window.history.replaceState(null, "", `#/audit?position=${position}`);
    verify(result, checkpoint, position);
  });
  replace(view,
    h("div", { class: "page-head" }, heading("Audit")),
    h("p", { class: "lede" }, "Every event is a leaf of an append-only Merkle tree (RFC 9162) whose root the server signs. This page checks both in your browser, with WebCrypto: nothing here takes the server's word."),
    checkpointPanel(checkpoint, publicKey),
    h("section", { class: "panel", "aria-labelledby": "h-proof" }, h("h2", { id: "h-proof" }, "Inclusion proof"), form, result));
  if (params.get("position")) await verify(result, checkpoint, Number.parseInt(params.get("position"), 10));
}

function checkpointPanel(checkpoint, publicKey) {
  const status = h("p", { class: "check pending", id: "signature-status", role: "status" }, "Checking the signature…");
  checkSignature(checkpoint, publicKey).then((outcome) => {
    const key = outcome.keyIdMatches === false ? " The key id does not match the public key." : "";
    if (!outcome.supported) {
      status.className = "check unsupported";
      replace(status, `Signature not checked here: ${outcome.reason}. Check it with `, h("code", null, "claimtrail verify --url"), ".", key);
    } else {
      status.className = `check ${outcome.valid && outcome.keyIdMatches ? "ok" : "bad"}`;
      status.textContent = outcome.valid
        ? `✓ Signature valid: Ed25519, checked in this browser against key ${publicKey.key_id}.${key}`
        : `✗ Signature INVALID for key ${publicKey.key_id}.${key}`;
    }
  }, (error) => {
    status.className = "check bad";
    status.textContent = `The signature could not be checked: ${error.message}`;
  });
  return h("section", { class: "panel checkpoint", "aria-labelledby": "h-checkpoint" },
    h("h2", { id: "h-checkpoint" }, "Latest checkpoint"),
    h("dl", { class: "facts" },
      h("div", null, h("dt", null, "Tree size"), h("dd", { class: "tree-size" }, `${checkpoint.tree_size} events`)),
      h("div", null, h("dt", null, "Root hash"), h("dd", null, h("code", { class: "hash root-hash" }, checkpoint.root_hash))),
      h("div", null, h("dt", null, "Signed"), h("dd", null, when(checkpoint.timestamp))),
      h("div", null, h("dt", null, "Key id"), h("dd", null, h("code", { class: "hash" }, checkpoint.key_id)))),
    status);
}

async function verify(result, checkpoint, position) {
  if (!Number.isInteger(position) || position < 1) {
    replace(result, h("p", { class: "field-error" }, "Enter a log position (1 or more)."));
    return;
  }
  if (!hasSubtle()) {
    replace(result, h("p", { class: "check unsupported" }, "WebCrypto is not available here (it needs HTTPS or localhost): the proof cannot be checked in this browser."));
    return;
  }
  replace(result, h("p", { class: "loading" }, "Fetching the proof…"));
  try {
    const [proof, page] = await Promise.all([
      api.get("/audit/proofs/inclusion", { position, tree_size: checkpoint.tree_size }),
      api.get("/audit/log", { after: position - 1, limit: 1 })]);
    const item = page.items.find((i) => i.position === position);
    const leaf = item ? await leafOf(item) : null;
    const { root, steps } = await inclusionRoot(proof.leaf_index, proof.tree_size, proof.leaf_hash, proof.path);
    const included = root === checkpoint.root_hash && leaf === proof.leaf_hash;
    replace(result,
      h("p", { class: `check ${included ? "ok" : "bad"}`, id: "proof-status" }, included
        ? `✓ Event #${position} is leaf ${proof.leaf_index} of the signed tree of ${proof.tree_size}: the path leads to its root.`
        : `✗ Event #${position} does NOT check out: ${leaf !== proof.leaf_hash ? "its recomputed leaf differs from the proof's. " : ""}${root !== checkpoint.root_hash ? "the path leads to another root." : ""}`),
      item ? h("p", { class: "small" }, `${item.type} · ${item.aggregate_type} ${item.aggregate_id} · version ${item.version}`) : null,
      h("p", { class: `small check-line ${leaf === proof.leaf_hash ? "ok" : "bad"}`, id: "leaf-status" },
        leaf === proof.leaf_hash ? "✓ Leaf recomputed here from the event (SHA-256 of 0x00 ‖ canonical JSON): " : "✗ Recomputed leaf differs: ",
        h("code", { class: "hash" }, leaf ?? "no event at this position")),
      pathDrawing(proof, steps, checkpoint, root),
      h("ol", { class: "proof-steps" }, steps.map((step, i) => h("li", null,
        `Level ${i + 1}: SHA-256(0x01 ‖ ${step.siblingLeft ? "sibling ‖ ours" : "ours ‖ sibling"}) = `,
        h("code", { class: "hash" }, short(step.to)), " (sibling ", h("code", { class: "hash" }, short(step.sibling)), ")"))));
  } catch (error) {
    replace(result, error.status ? problemBox(error) : h("p", { class: "check bad" }, `✗ ${error.message}`));
  }
}

/** The path as a ladder: the leaf at the bottom, each level's sibling beside the running
 * hash (on the side it is hashed from), the root at the top against the checkpoint's. */
function pathDrawing(proof, steps, checkpoint, root) {
  const [width, row, box, gap] = [640, 52, 180, 24];
  const height = row * (steps.length + 1) + 16;
  const y = (level) => height - 22 - level * row; // the middle of a level's boxes
  const node = (x, level, text, cls) => s("g", { class: `proof-node ${cls}` },
    s("rect", { x: px(x), y: px(y(level) - 13), width: box, height: 26, rx: 5 }),
    s("text", { x: px(x + box / 2), y: px(y(level) + 4), "text-anchor": "middle" }, text));
  const middle = width / 2 - box / 2;
  const parts = [node(middle, 0, `leaf ${proof.leaf_index}: ${short(proof.leaf_hash)}`, "leaf")];
  steps.forEach((step, i) => {
    const sx = step.siblingLeft ? middle - gap - box : middle + box + gap;
    const top = i === steps.length - 1;
    parts.push(
      s("line", { x1: width / 2, y1: px(y(i) - 13), x2: width / 2, y2: px(y(i + 1) + 13), class: "proof-edge" }),
      s("line", { x1: px(sx + box / 2), y1: px(y(i) - 13), x2: width / 2, y2: px(y(i + 1) + 13), class: "proof-edge" }),
      node(sx, i, short(step.sibling), "sibling"),
      node(middle, i + 1, top ? `root: ${short(step.to)}` : short(step.to), top ? `root ${root === checkpoint.root_hash ? "ok" : "bad"}` : "inner"));
  });
  parts.push(s("text", { x: px(middle + box + 8), y: px(y(steps.length) + 4), class: "proof-label" },
    root === checkpoint.root_hash ? "= signed root ✓" : "≠ signed root ✗"));
  return h("figure", { class: "proof-figure" },
    s("svg", { class: "proof-path", viewBox: `0 0 ${width} ${height}`, role: "img",
      "aria-label": `Audit path of ${steps.length} hashes from leaf ${proof.leaf_index} up to the root of ${proof.tree_size} leaves` }, parts),
    h("figcaption", { class: "small muted" }, "From the leaf (bottom) up: each sibling hash from the proof is combined with ours, on its side, until the root."));
}
