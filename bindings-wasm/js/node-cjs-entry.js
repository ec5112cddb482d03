// Source of node.cjs (bundled to CommonJS at build time): `require("wagroups")` in Node.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync } from "../glue/wagroups_wasm.js";
import { bind } from "./api.js";

export * from "./errors.js";
export const { buildRequest, buildSetGroupPicture, checkMediaDownload, parseResponse, nextPageParams, parseWebhook, verifySignature, verifySubscription, receive, nextAttempt, checkGroupPicture, checkImage, sniffImage, classifyError, errorCatalog, operations, applyEvents, applyReply, seedFromGroupInfo, quoteMessage, prune, version, toFetch, createClient, webhookHandler } = bind(() =>
  initSync({ module: readFileSync(join(__dirname, "glue", "wagroups_wasm_bg.wasm")) }),
  { hmacSha256: (key, data) => createHmac("sha256", key).update(data).digest() },
);
