// Cloudflare Workers (workerd), `wagroups/webhooks`: the wasm is imported as a module (it cannot
// be compiled from bytes at run time there) and instantiated on first use.
import wasm from "../glue/wagroups_webhooks_bg.wasm";
import { initSync } from "../glue/wagroups_webhooks.js";
import { bind } from "../js/webhooks.js";

export * from "../js/errors.js";
export const { parseWebhook, verifySignature, verifySubscription, receive, version, webhookHandler } = bind(() => initSync({ module: wasm }));
