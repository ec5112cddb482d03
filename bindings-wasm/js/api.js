// The package's functions. Each converts its input, calls one native export (which calls one
// function of the Rust core) and turns the JSON outcome into a value or a thrown error.
import * as native from "../glue/wagroups_wasm.js";
import { errorFromInfo } from "./errors.js";

export * from "./errors.js";

const encoder = new TextEncoder();

function unwrap(text) {
  const out = JSON.parse(text);
  if ("error" in out) throw errorFromInfo(out.error);
  return out.ok;
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

export function buildRequest(operation, params, config = {}) {
  return unwrap(native.buildRequest(operation, JSON.stringify(params), JSON.stringify(config ?? {})));
}

export function buildSetGroupPicture(groupId, file, options = {}) {
  const { filename, boundary, config } = options;
  return unwrap(native.buildSetGroupPicture(groupId, bytes(file, "file"), filename, boundary, JSON.stringify(config ?? {})));
}

export function parseResponse(operation, status, body, headers) {
  return unwrap(native.parseResponse(operation, status, bytes(body), pairs(headers)));
}

export function nextPageParams(operation, params, body) {
  return unwrap(native.nextPageParams(operation, JSON.stringify(params), bytes(body)));
}

export function parseWebhook(body) {
  return unwrap(native.parseWebhook(bytes(body)));
}

export function verifySignature(rawBody, header, secretOrSecrets) {
  const secrets = Array.isArray(secretOrSecrets) ? secretOrSecrets : [secretOrSecrets];
  unwrap(native.verifySignature(bytes(rawBody, "rawBody"), header ?? undefined, JSON.stringify(secrets)));
}

export function verifySubscription(query, verifyToken) {
  return unwrap(native.verifySubscription(pairs(query), verifyToken));
}

export function checkImage(data) {
  return unwrap(native.checkImage(bytes(data, "data")));
}

export function sniffImage(data) {
  return unwrap(native.sniffImage(bytes(data, "data")));
}

export function classifyError(status, body, headers) {
  return unwrap(native.classifyError(status, bytes(body), pairs(headers)));
}

export function errorCatalog() {
  return unwrap(native.errorCatalog());
}

export function operations() {
  return unwrap(native.operations());
}

/** The package version (the workspace version). */
export function version() {
  return native.version();
}

/**
 * The request as arguments for `fetch(url, init)`. No I/O here: you call fetch. Multipart bodies
 * are decoded from base64; note that some HTTP clients drop DELETE bodies (fetch keeps them).
 */
export function toFetch(request) {
  const init = { method: request.method, headers: { ...request.headers } };
  if (request.body?.type === "json") init.body = request.body.text;
  if (request.body?.type === "multipart") {
    init.body = Uint8Array.from(atob(request.body.base64), (c) => c.charCodeAt(0)).buffer;
  }
  return [request.url, init];
}
