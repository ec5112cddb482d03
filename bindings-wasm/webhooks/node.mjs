// Node (ESM), `wagroups/webhooks`: only the receiving side; its wasm is read from the package
// folder and compiled on first use.
import { initSync } from "../glue/wagroups_webhooks.js";
import { bind } from "../js/webhooks.js";
import { nodeHmacSha256 } from "../js/node-hmac.js";

// Builtins through process.getBuiltinModule where Node has it (20.16+): synchronous and far
// cheaper at start-up than an import; node:crypto is loaded by the first signature check only.
const older = process.getBuiltinModule ? {} : { "node:fs": await import("node:fs"), "node:crypto": await import("node:crypto") };
const builtin = (name) => process.getBuiltinModule?.(name) ?? older[name];
const hmacSha256 = nodeHmacSha256(() => builtin("node:crypto"));

export * from "../js/errors.js";
export const { parseWebhook, verifySignature, verifySubscription, receive, version, webhookHandler } = bind(() =>
  initSync({ module: builtin("node:fs").readFileSync(new URL("../glue/wagroups_webhooks_bg.wasm", import.meta.url)) }),
  { hmacSha256 },
);
