// Node (ESM), `wagroups/webhooks`: only the receiving side; its wasm is read from the package
// folder and compiled on first use.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { initSync } from "../glue/wagroups_webhooks.js";
import { bind } from "../js/webhooks.js";

export * from "../js/errors.js";
export const { parseWebhook, verifySignature, verifySubscription, receive, version, webhookHandler } = bind(() =>
  initSync({ module: readFileSync(new URL("../glue/wagroups_webhooks_bg.wasm", import.meta.url)) }),
  { hmacSha256: (key, data) => createHmac("sha256", key).update(data).digest() },
);
