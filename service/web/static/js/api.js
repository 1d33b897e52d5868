// The HTTP API as the UI uses it: JSON in and out, problem+json errors, tokens, positions.

const TOKEN_KEY = "claimtrail.token";
const TOKEN_SHAPE = /^ct_([0-9a-f]{32})_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/;

// The highest log position this tab has written: later reads of views wait for it.
let lastPosition = 0;

/** Raised for every non-2xx answer; `body` is the problem document. */
export class Problem extends Error {
  constructor(status, body) {
    super(body.detail || body.title || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY) || "",
  set(value) {
    sessionStorage.setItem(TOKEN_KEY, value.trim());
    document.dispatchEvent(new CustomEvent("token-changed"));
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    document.dispatchEvent(new CustomEvent("token-changed"));
  },
  looksValid: (value) => TOKEN_SHAPE.test(value.trim()),
  /** The principal id a token names (the token format carries it), as a UUID string. */
  principal() {
    const match = TOKEN_SHAPE.exec(this.get());
    if (!match) return null;
    const hex = match[1];
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  },
};

export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; plain-http deployments still get a v4 UUID.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function address(path, params) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  return url.pathname + url.search;
}

async function send(method, path, { params, body, etag, key, auth = true } = {}) {
  const headers = { Accept: "application/json, application/problem+json" };
  const bearer = token.get();
  if (bearer && auth) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    headers["Idempotency-Key"] = key || newKey();
  } else if (key) {
    headers["Idempotency-Key"] = key;
  }
  if (etag) headers["If-Match"] = etag;
  let response;
  try {
    response = await fetch(address(path, params), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Problem(0, { title: "Network error", detail: "The server could not be reached." });
  }
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json() : { detail: await response.text() };
  if (!response.ok) throw new Problem(response.status, data);
  if (typeof data.position === "number") lastPosition = Math.max(lastPosition, data.position);
  return { data, etag: response.headers.get("ETag") };
}

/** A read. A refused token must not block public reads: retry once without it. */
async function read(path, params) {
  try {
    return await send("GET", path, { params });
  } catch (error) {
    if (error instanceof Problem && error.status === 401 && token.get()) {
      document.dispatchEvent(new CustomEvent("token-refused", { detail: error.body }));
      return send("GET", path, { params, auth: false });
    }
    throw error;
  }
}

export const api = {
  /** GET a resource; `{data, etag}`. */
  resource: (path, params) => read(path, params),
  /** GET a list or view; waits (min_position) until the views include this tab's writes. */
  view: async (path, params = {}) => {
    const fresh = lastPosition ? { ...params, min_position: lastPosition } : params;
    return (await read(path, fresh)).data;
  },
  get: async (path, params) => (await read(path, params)).data,
  /** POST a command with If-Match and an Idempotency-Key; `{data, etag}`. */
  post: (path, body, { etag, key } = {}) => send("POST", path, { body, etag, key }),
  /** DELETE (a command without a body, e.g. unassigning) with If-Match and a key. */
  remove: (path, { etag, key } = {}) => send("DELETE", path, { etag, key }),
  position: () => lastPosition,
};

let vocabulary = null;
/** Relations, verdicts, statuses, event types, ... (cached for the page's life). */
export function loadVocabulary() {
  vocabulary ||= api.get("/ui/vocabulary").catch((error) => {
    vocabulary = null;
    throw error;
  });
  return vocabulary;
}
