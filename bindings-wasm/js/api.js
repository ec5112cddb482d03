// The package's functions. Each converts its input, calls one native export (which calls one
// function of the Rust core) and turns the JSON outcome into a value or a thrown error.
// The wasm is initialised lazily, on first use, by the runtime's entry (see `bind`): no module
// has a top-level side effect, so `"sideEffects": false` cannot make a bundler drop it.
import * as native from "../glue/wagroups_wasm.js";
import { WagroupsError, errorFromInfo } from "./errors.js";
import { clientFactory, handlerFactory } from "./client.js";
import { restoreTexts } from "./texts.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The native outcome `{"ok": …}` (with any extra members), or its error thrown as a class. */
function outcome(text) {
  const out = JSON.parse(text);
  if ("error" in out) throw errorFromInfo(out.error);
  return out;
}

function unwrap(text) {
  return outcome(text).ok;
}

/** string | Uint8Array | ArrayBuffer | any typed array → Uint8Array (strings as UTF-8). */
function bytes(body, what = "body") {
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError(`${what} must be a string, Uint8Array or ArrayBuffer`);
}

/** Headers, URLSearchParams, a plain object or [name, value] pairs → JSON pairs. */
function pairs(source) {
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

function buildRequest(operation, params, config = {}, file = undefined) {
  const bytesOrNone = file == null ? undefined : bytes(file, "file");
  return unwrap(native.buildRequest(operation, JSON.stringify(params), JSON.stringify(config ?? {}), bytesOrNone));
}

function checkMediaDownload(data, info) {
  return unwrap(native.checkMediaDownload(bytes(data, "data"), JSON.stringify(info)));
}

function buildSetGroupPicture(groupId, file, options = {}) {
  const { filename, boundary, config } = options;
  return unwrap(native.buildSetGroupPicture(groupId, bytes(file, "file"), filename, boundary, JSON.stringify(config ?? {})));
}

function parseResponse(operation, status, body, headers) {
  return unwrap(native.parseResponse(operation, status, bytes(body), pairs(headers)));
}

function nextPageParams(operation, params, body) {
  return unwrap(native.nextPageParams(operation, JSON.stringify(params), bytes(body)));
}

/** Limits `{maxBytes, maxItems}` as the two numbers the core checks (absent: its defaults). */
function limitsOf(limits) {
  const { maxBytes, maxItems } = limits ?? {};
  return [maxBytes ?? undefined, maxItems ?? undefined];
}

/**
 * A batch from the native side, its exact texts put back: each arrives as its byte range
 * [start, end] in the body, sliced from the body already in hand instead of copied and escaped
 * through JSON. Where they sit comes from the Rust types (texts.js is generated).
 */
function withTexts(batch, body, data, ascii) {
  const whole = ascii ? (typeof body === "string" ? body : decoder.decode(data)) : null;
  const text = (v) =>
    Array.isArray(v) ? (whole !== null ? whole.slice(v[0], v[1]) : decoder.decode(data.subarray(v[0], v[1]))) : v;
  return restoreTexts(batch, text);
}

function parseWebhook(body, limits) {
  const data = bytes(body);
  const out = outcome(native.parseWebhook(data, ...limitsOf(limits)));
  return withTexts(out.ok, body, data, out.ascii);
}

/** `{appSecret | appSecrets}` → a list of secrets (an absent secret is an empty list). */
function secretList(options) {
  const { appSecret, appSecrets } = options ?? {};
  if (appSecrets !== undefined) return Array.isArray(appSecrets) ? appSecrets : [appSecrets];
  return appSecret === undefined ? [] : [appSecret];
}

/** The body's HMAC-SHA256 per secret where the runtime computes it synchronously, else empty. */
function hostMacs(body, secrets) {
  if (!host.hmacSha256 || secrets.length === 0 || !secrets.every((s) => typeof s === "string" && s !== "")) {
    return new Uint8Array(0);
  }
  const macs = new Uint8Array(32 * secrets.length);
  secrets.forEach((s, i) => macs.set(host.hmacSha256(s, body), 32 * i));
  return macs;
}

/** The query part of a URL or a query string, as the raw string the core decodes. */
function queryString(query) {
  if (query == null) return "";
  if (typeof query === "string") return query.startsWith("?") ? query.slice(1) : query;
  return new URLSearchParams(typeof query.entries === "function" ? [...query.entries()] : query).toString();
}

/**
 * What a webhook endpoint answers: `{status, content_type, body, batch, problem}` — the GET
 * handshake, the signature over the raw bytes, then the parse, all decided by the core.
 * `problem` is an error instance (or null); a signed body that cannot be read answers 200.
 */
function receive(method, query, headers, body, options = {}) {
  const secrets = secretList(options);
  const raw = body == null ? new Uint8Array(0) : bytes(body);
  const isPost = String(method).toUpperCase() === "POST";
  const macs = isPost ? hostMacs(typeof body === "string" ? body : raw, secrets) : new Uint8Array(0);
  const out = outcome(
    native.receive(String(method), queryString(query), pairs(headers), raw, JSON.stringify(secrets), options.verifyToken ?? undefined, ...limitsOf(options), macs),
  );
  const answer = out.ok;
  answer.batch = out.batch === undefined ? null : withTexts(out.batch, body, raw, out.ascii);
  answer.problem = answer.problem === null ? null : errorFromInfo(answer.problem);
  return answer;
}

/**
 * The retry decision after attempt number `attempt` failed with `error` (an error instance or its
 * `info`): `{action: "retry", attempt, delay_ms}`, `{action: "restart", attempt}` or `{action:
 * "stop", reason, retry}`. `random` in [0, 1) draws the jittered wait.
 */
function nextAttempt(error, attempt, policy, random) {
  const info = error instanceof WagroupsError ? error.info : error;
  return unwrap(native.nextAttempt(JSON.stringify(info ?? null), attempt, JSON.stringify(policy ?? null), random));
}

function verifySignature(rawBody, header, secretOrSecrets) {
  const secrets = Array.isArray(secretOrSecrets) ? secretOrSecrets : [secretOrSecrets];
  // Where the runtime has a synchronous HMAC (Node's OpenSSL), it computes the MACs and the core
  // checks everything else; otherwise the core computes them too (SHA-256 in wasm).
  const macs = hostMacs(typeof rawBody === "string" ? rawBody : bytes(rawBody, "rawBody"), secrets);
  if (macs.length > 0) {
    unwrap(native.verifySignatureMacs(header ?? undefined, JSON.stringify(secrets), macs));
    return;
  }
  unwrap(native.verifySignature(bytes(rawBody, "rawBody"), header ?? undefined, JSON.stringify(secrets)));
}

function verifySubscription(query, verifyToken) {
  // A raw query string is decoded by the core, exactly as in Python and the CLI.
  if (typeof query === "string") return unwrap(native.verifySubscriptionQuery(query, verifyToken));
  return unwrap(native.verifySubscription(pairs(query), verifyToken));
}

function checkGroupPicture(data) {
  return unwrap(native.checkGroupPicture(bytes(data, "data")));
}

/** Deprecated: the former name of checkGroupPicture, kept for one release. */
function checkImage(data) {
  return checkGroupPicture(data);
}

function sniffImage(data) {
  return unwrap(native.sniffImage(bytes(data, "data")));
}

function classifyError(status, body, headers) {
  return unwrap(native.classifyError(status, bytes(body), pairs(headers)));
}

/** Group states (group id → state, or null) folded with one delivery's events. */
function applyEvents(states, delivery, limits) {
  return unwrap(native.applyEvents(JSON.stringify(states ?? null), bytes(delivery, "delivery"), ...limitsOf(limits)));
}

/** Group states folded with the successful reply (its body) of one of the business's calls. */
function applyReply(states, operation, params, reply, at) {
  return unwrap(native.applyReply(JSON.stringify(states ?? null), operation, JSON.stringify(params ?? null), bytes(reply, "reply"), at));
}

function seedFromGroupInfo(reply, readAt) {
  return unwrap(native.seedFromGroupInfo(bytes(reply, "reply"), readAt));
}

function quoteMessage(state, now, templateCategory = "none") {
  return unwrap(native.quoteMessage(JSON.stringify(state), now, templateCategory));
}

function prune(state, now, keep) {
  return unwrap(native.prune(JSON.stringify(state), now, keep ?? undefined));
}

function errorCatalog() {
  return unwrap(native.errorCatalog());
}

function operations() {
  return unwrap(native.operations());
}

/** The package version (the workspace version). */
function version() {
  return native.version();
}

/**
 * The request as arguments for `fetch(url, init)`. No I/O here: you call fetch. Multipart bodies
 * are decoded from base64; note that some HTTP clients drop DELETE bodies (fetch keeps them).
 */
function toFetch(request) {
  const init = { method: request.method, headers: { ...request.headers } };
  if (request.body?.type === "json") init.body = request.body.text;
  if (request.body?.type === "multipart") {
    init.body = Uint8Array.from(atob(request.body.base64), (c) => c.charCodeAt(0)).buffer;
  }
  return [request.url, init];
}

const functions = {
  buildRequest,
  buildSetGroupPicture,
  checkMediaDownload,
  parseResponse,
  nextPageParams,
  parseWebhook,
  verifySignature,
  verifySubscription,
  receive,
  nextAttempt,
  checkGroupPicture,
  checkImage,
  sniffImage,
  classifyError,
  errorCatalog,
  operations,
  applyEvents,
  applyReply,
  seedFromGroupInfo,
  quoteMessage,
  prune,
  version,
};

/** What the runtime's entry lends: `hmacSha256(key, data)` → 32 bytes, where it is synchronous. */
let host = {};

/**
 * The API, with `init` (the runtime's way to instantiate the wasm) run once, before the first
 * call. `toFetch` needs no wasm; the client and the webhook handler call the bound functions. `lent` is what the runtime offers (see `host`).
 */
export function bind(init, lent = {}) {
  host = lent;
  let ready = false;
  const api = { toFetch };
  for (const [name, fn] of Object.entries(functions)) {
    api[name] = (...args) => {
      if (!ready) {
        init();
        ready = true;
      }
      return fn(...args);
    };
  }
  api.createClient = clientFactory(api);
  api.webhookHandler = handlerFactory(api);
  return api;
}
