// Browsers (and bundlers), `wagroups/webhooks`: the wasm is fetched next to this file once, when
// the module loads.
import init from "../glue/wagroups_webhooks.js";
import { bind } from "../js/webhooks.js";

export * from "../js/errors.js";
await init({ module_or_path: new URL("../glue/wagroups_webhooks_bg.wasm", import.meta.url) });
export const { parseWebhook, verifySignature, verifySubscription, receive, version, webhookHandler } = bind(() => {});
