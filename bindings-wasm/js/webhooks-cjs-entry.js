// Source of webhooks/node.cjs (bundled to CommonJS at build time): `require("wagroups/webhooks")`.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync } from "../glue/wagroups_webhooks.js";
import { bind } from "./webhooks.js";

export * from "./errors.js";
export const { parseWebhook, verifySignature, verifySubscription, receive, version, webhookHandler } = bind(() =>
  initSync({ module: readFileSync(join(__dirname, "..", "glue", "wagroups_webhooks_bg.wasm")) }),
  { hmacSha256: (key, data) => createHmac("sha256", key).update(data).digest() },
);
