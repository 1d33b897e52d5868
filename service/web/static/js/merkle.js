// Checking the log in the browser with WebCrypto: RFC 9162 leaf and node hashes, inclusion
// proofs (§2.1.3.2), the checkpoint's Ed25519 signature. Nothing here trusts the server.

const encoder = new TextEncoder();

export const hasSubtle = () => Boolean(globalThis.crypto?.subtle);
export const hex = (bytes) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
export const unhex = (text) => new Uint8Array(text.match(/../g).map((pair) => Number.parseInt(pair, 16)));
export const unbase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function sha256(...parts) {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const joined = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", joined));
}

/** Python's json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) for JSON
 * values without floats: keys sorted by code point, strings escaped as JSON.stringify does. */
export function canonical(value) {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
}

/** The leaf hash of a log item, recomputed from its fields (README, "Audit"). */
export async function leafOf(item) {
  const data = canonical({ position: item.position, aggregate_id: item.aggregate_id, version: item.version,
    topic: item.topic, payload: item.payload });
  return hex(await sha256(new Uint8Array([0]), encoder.encode(data)));
}

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to, with each step for drawing. */
export async function inclusionRoot(leafIndex, treeSize, leafHash, path) {
  if (leafIndex >= treeSize) throw new Error("the leaf index is not inside the tree");
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = unhex(leafHash);
  const steps = [];
  for (const sibling of path) {
    if (sn === 0) throw new Error("the path is longer than the tree is high");
    const p = unhex(sibling);
    const siblingLeft = fn % 2 === 1 || fn === sn;
    const before = hex(r);
    r = siblingLeft ? await sha256(new Uint8Array([1]), p, r) : await sha256(new Uint8Array([1]), r, p);
    steps.push({ sibling, siblingLeft, from: before, to: hex(r) });
    if (siblingLeft) {
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error("the path is shorter than the tree is high");
  return { root: hex(r), steps };
}

/** The text a checkpoint's signature covers (README, "Audit"). */
export const checkpointText = (c) => `claimtrail-checkpoint\n${c.tree_size}\n${c.root_hash}\n${c.timestamp}\n`;

/** `{supported, valid, keyIdMatches}`: supported is false where WebCrypto has no Ed25519. */
export async function checkSignature(checkpoint, publicKey) {
  if (!hasSubtle()) return { supported: false, reason: "WebCrypto is not available here (it needs HTTPS or localhost)" };
  const raw = unbase64(publicKey.public_key);
  const keyIdMatches = hex(await sha256(raw)).slice(0, 32) === publicKey.key_id && publicKey.key_id === checkpoint.key_id;
  let key;
  try {
    key = await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
  } catch {
    return { supported: false, keyIdMatches, reason: "this browser's WebCrypto has no Ed25519" };
  }
  const valid = await crypto.subtle.verify({ name: "Ed25519" }, key, unbase64(checkpoint.signature),
    encoder.encode(checkpointText(checkpoint)));
  return { supported: true, valid, keyIdMatches };
}
