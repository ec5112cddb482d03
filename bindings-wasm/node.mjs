// Node (ESM): the wasm is read from the package folder and compiled on first use.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { initSync } from "./glue/wagroups_wasm.js";
import { bind } from "./js/api.js";

export * from "./js/errors.js";
export const { buildRequest, buildSetGroupPicture, checkMediaDownload, parseResponse, nextPageParams, parseWebhook, verifySignature, verifySubscription, receive, nextAttempt, checkGroupPicture, checkImage, sniffImage, classifyError, errorCatalog, operations, applyEvents, applyReply, seedFromGroupInfo, quoteMessage, prune, version, toFetch, createClient, webhookHandler } = bind(() =>
  initSync({ module: readFileSync(new URL("./glue/wagroups_wasm_bg.wasm", import.meta.url)) }),
  { hmacSha256: (key, data) => createHmac("sha256", key).update(data).digest() },
);
