// The package's functions. Each converts its input, calls one native export (which calls one
// function of the Rust core) and turns the JSON outcome into a value or a thrown error.
// The wasm is initialised lazily, on first use, by the runtime's entry (see `bind`): no module
// has a top-level side effect, so `"sideEffects": false` cannot make a bundler drop it.
import * as native from "../glue/wagroups_wasm.js";
import { WagroupsError } from "./errors.js";
import { clientFactory } from "./client.js";
import { handlerFactory } from "./handler.js";
import { bytes, lazily, limitsOf, pairs, receivingSide, unwrap } from "./receiving.js";

const receiving = receivingSide(native);
const { parseWebhook, verifySignature, verifySubscription, receive } = receiving.functions;

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

/**
 * The retry decision after attempt number `attempt` failed with `error` (an error instance or its
 * `info`): `{action: "retry", attempt, delay_ms}`, `{action: "restart", attempt}` or `{action:
 * "stop", reason, retry}`. `random` in [0, 1) draws the jittered wait.
 */
function nextAttempt(error, attempt, policy, random) {
  const info = error instanceof WagroupsError ? error.info : error;
  return unwrap(native.nextAttempt(JSON.stringify(info ?? null), attempt, JSON.stringify(policy ?? null), random));
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

/**
 * The API, with `init` (the runtime's way to instantiate the wasm) run once, before the first
 * call. `toFetch` needs no wasm; the client and the webhook handler call the bound functions.
 * `lent` is what the runtime offers (see `receivingSide`).
 */
export function bind(init, lent = {}) {
  Object.assign(receiving.host, lent);
  const api = { toFetch, ...lazily(functions, init) };
  api.createClient = clientFactory(api);
  api.webhookHandler = handlerFactory(api);
  return api;
}
