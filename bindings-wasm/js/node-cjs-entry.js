// Source of node.cjs (bundled to CommonJS at build time): `require("wagroups")` in Node.
import { initSync } from "../glue/wagroups_wasm.js";
import { bind } from "./api.js";
import { nodeHmacSha256 } from "./node-hmac.js";

// Builtins through process.getBuiltinModule where Node has it (20.16+), else require; node:crypto
// is loaded by the first signature check only.
const builtin = (name) => process.getBuiltinModule?.(name) ?? require(name);
const hmacSha256 = nodeHmacSha256(() => builtin("node:crypto"));

export * from "./errors.js";
export const { buildRequest, buildSetGroupPicture, checkMediaDownload, parseResponse, nextPageParams, parseWebhook, verifySignature, verifySubscription, receive, nextAttempt, checkGroupPicture, checkImage, sniffImage, classifyError, errorCatalog, operations, applyEvents, applyReply, seedFromGroupInfo, quoteMessage, prune, version, toFetch, createClient, webhookHandler } = bind(() =>
  initSync({ module: builtin("node:fs").readFileSync(`${__dirname}/glue/wagroups_wasm_bg.wasm`) }),
  { hmacSha256 },
);
