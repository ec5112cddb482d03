// Source of webhooks/node.cjs (bundled to CommonJS at build time): `require("wagroups/webhooks")`.
import { initSync } from "../glue/wagroups_webhooks.js";
import { bind } from "./webhooks.js";
import { nodeHmacSha256 } from "./node-hmac.js";

// Builtins through process.getBuiltinModule where Node has it (20.16+), else require; node:crypto
// is loaded by the first signature check only.
const builtin = (name) => process.getBuiltinModule?.(name) ?? require(name);
const hmacSha256 = nodeHmacSha256(() => builtin("node:crypto"));

export * from "./errors.js";
export const { parseWebhook, verifySignature, verifySubscription, receive, version, webhookHandler } = bind(() =>
  initSync({ module: builtin("node:fs").readFileSync(`${__dirname}/../glue/wagroups_webhooks_bg.wasm`) }),
  { hmacSha256 },
);
