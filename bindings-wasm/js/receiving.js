// The receiving side of the package, shared by both entries (`wagroups` and `wagroups/webhooks`,
// each over its own wasm module): the conversions every function needs, and the functions a
// webhook endpoint calls. Each converts its input, calls one native export (one function of the
// Rust core) and turns the JSON outcome into a value or a thrown error.
import { errorFromInfo } from "./errors.js";
import { tapeReader } from "./tape.js";

const encoder = new TextEncoder();

/** The native outcome `{"ok": …}` (with any extra members), or its error thrown as a class. */
export function outcome(text) {
  return checked(JSON.parse(text));
}

function checked(out) {
  if (out === null || typeof out !== "object") throw new Error("wagroups: unreadable answer from the native side");
  if ("error" in out) throw errorFromInfo(out.error);
  return out;
}

export function unwrap(text) {
  return outcome(text).ok;
}

/** string | Uint8Array | ArrayBuffer | any typed array → Uint8Array (strings as UTF-8). */
export function bytes(body, what = "body") {
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError(`${what} must be a string, Uint8Array or ArrayBuffer`);
}

/** Strings encoded for the native side, reused from call to call (see `bodyBytes`). */
const MAX_SCRATCH = 1 << 20;
let scratch = new Uint8Array(0);

/**
 * A body's UTF-8 bytes for one native call, like `bytes`, except that a string is encoded into a
 * buffer reused by the next call (TextEncoder.encode allocates a new one each time: 1.0 µs for a
 * 1 KB delivery against 0.13 µs with encodeInto). Valid until the next call: for the receiving
 * functions, which hand it to the native side at once.
 */
function bodyBytes(body, what) {
  // UTF-8 takes at most 3 bytes per UTF-16 unit; a large body gets its own buffer, so that the
  // kept one stays small.
  if (typeof body !== "string" || body.length * 3 > MAX_SCRATCH) return bytes(body, what);
  if (scratch.length < body.length * 3) scratch = new Uint8Array(body.length * 3);
  const { written } = encoder.encodeInto(body, scratch);
  return scratch.subarray(0, written);
}

/** Headers, URLSearchParams, a plain object or [name, value] pairs → JSON pairs. */
export function pairs(source) {
  if (source == null) return "[]";
  if (typeof source === "string") return JSON.stringify([...new URLSearchParams(source)]);
  if (!Array.isArray(source) && typeof source.entries === "function") {
    // Headers, URLSearchParams, Map: entries() yields [name, value].
    return JSON.stringify(Array.from(source.entries(), ([k, v]) => [String(k), String(v)]));
  }
  if (typeof source[Symbol.iterator] === "function") {
    return JSON.stringify(Array.from(source, ([k, v]) => [String(k), String(v)]));
  }
  return JSON.stringify(Object.entries(source).map(([k, v]) => [k, String(v)]));
}

/** Limits `{maxBytes, maxItems}` as the two numbers the core checks (absent: its defaults). */
export function limitsOf(limits) {
  const { maxBytes, maxItems } = limits ?? {};
  return [maxBytes ?? undefined, maxItems ?? undefined];
}

/** The secrets as the native side reads them; the one secret of the last call is kept as text
 * (JSON.stringify costs a tenth of a signature check). */
let lastSecret = null;
let lastSecretJson = "";
function secretsJson(secrets) {
  if (secrets.length !== 1 || typeof secrets[0] !== "string") return JSON.stringify(secrets);
  if (secrets[0] !== lastSecret) {
    lastSecretJson = JSON.stringify(secrets);
    lastSecret = secrets[0];
  }
  return lastSecretJson;
}

/** `{appSecret | appSecrets}` → a list of secrets (an absent secret is an empty list). */
function secretList(options) {
  const { appSecret, appSecrets } = options ?? {};
  if (appSecrets !== undefined) return Array.isArray(appSecrets) ? appSecrets : [appSecrets];
  return appSecret === undefined ? [] : [appSecret];
}

/** The query part of a URL or a query string, as the raw string the core decodes. */
function queryString(query) {
  if (query == null) return "";
  if (typeof query === "string") return query.startsWith("?") ? query.slice(1) : query;
  return new URLSearchParams(typeof query.entries === "function" ? [...query.entries()] : query).toString();
}

/**
 * The receiving functions over one native module. `host` is what the runtime's entry lends:
 * `hmacSha256(key, data)` → 32 bytes, where it is synchronous (Node's OpenSSL).
 */
export function receivingSide(native) {
  const host = {};
  // The batch arrives as a tape (see tape.js), its strings sliced from the body in hand. The
  // native side answers the tape's address: it is read in place, in the module's memory (whose
  // buffer is taken after the call, which may have grown it).
  const read = tapeReader();
  let memory = null;
  const tapeAt = (address) => new Uint32Array((memory ??= native.wasmMemory()).buffer, address);

  function parseWebhook(body, limits) {
    const data = bodyBytes(body);
    return checked(read(tapeAt(native.parseWebhook(data, ...limitsOf(limits))), body, data)).ok;
  }

  /** The body's HMAC-SHA256 per secret where the runtime computes it synchronously, else empty. */
  function hostMacs(body, secrets) {
    if (!host.hmacSha256 || secrets.length === 0 || !secrets.every((s) => typeof s === "string" && s !== "")) {
      return new Uint8Array(0);
    }
    if (secrets.length === 1) return host.hmacSha256(secrets[0], body);
    const macs = new Uint8Array(32 * secrets.length);
    secrets.forEach((s, i) => macs.set(host.hmacSha256(s, body), 32 * i));
    return macs;
  }

  /**
   * What a webhook endpoint answers: `{status, content_type, body, batch, problem}` — the GET
   * handshake, the signature over the raw bytes, then the parse, all decided by the core.
   * `problem` is an error instance (or null); a signed body that cannot be read answers 200.
   */
  function receive(method, query, headers, body, options = {}) {
    const secrets = secretList(options);
    const raw = body == null ? new Uint8Array(0) : bodyBytes(body);
    const isPost = String(method).toUpperCase() === "POST";
    const macs = isPost ? hostMacs(typeof body === "string" ? body : raw, secrets) : new Uint8Array(0);
    const out = checked(
      read(
        tapeAt(native.receive(String(method), queryString(query), pairs(headers), raw, secretsJson(secrets), options.verifyToken ?? undefined, ...limitsOf(options), macs)),
        body,
        raw,
      ),
    );
    const answer = out.ok;
    answer.problem = answer.problem === null ? null : errorFromInfo(answer.problem);
    return answer;
  }

  function verifySignature(rawBody, header, secretOrSecrets) {
    const secrets = Array.isArray(secretOrSecrets) ? secretOrSecrets : [secretOrSecrets];
    // Where the runtime has a synchronous HMAC (Node's OpenSSL), it computes the MACs (only when
    // every secret is present and non-empty) and the core checks the header against them; else
    // the core checks everything, SHA-256 in wasm included, and says what is wrong.
    // The native check answers nothing when the signature matches, else the error as JSON.
    const macs = hostMacs(typeof rawBody === "string" ? rawBody : bytes(rawBody, "rawBody"), secrets);
    const failed = macs.length > 0
      ? native.verifySignatureMacs(header ?? undefined, macs)
      : native.verifySignature(bodyBytes(rawBody, "rawBody"), header ?? undefined, secretsJson(secrets));
    if (failed != null) unwrap(failed);
  }

  function verifySubscription(query, verifyToken) {
    // A raw query string is decoded by the core, exactly as in Python and the CLI.
    if (typeof query === "string") return unwrap(native.verifySubscriptionQuery(query, verifyToken));
    return unwrap(native.verifySubscription(pairs(query), verifyToken));
  }

  return { host, functions: { parseWebhook, verifySignature, verifySubscription, receive } };
}

/**
 * `functions` with `init` (the runtime's way to instantiate the wasm) run once, before the first
 * call of any of them.
 */
export function lazily(functions, init) {
  let ready = false;
  const api = {};
  for (const [name, fn] of Object.entries(functions)) {
    api[name] = (...args) => {
      if (!ready) {
        init();
        ready = true;
      }
      return fn(...args);
    };
  }
  return api;
}
