// Node (ESM): the wasm is read from the package folder and compiled on first use.
import { initSync } from "./glue/wagroups_wasm.js";
import { bind } from "./js/api.js";
import { nodeHmacSha256 } from "./js/node-hmac.js";

// Builtins through process.getBuiltinModule where Node has it (20.16+): synchronous and far
// cheaper at start-up than an import; node:crypto is loaded by the first signature check only.
const older = process.getBuiltinModule ? {} : { "node:fs": await import("node:fs"), "node:crypto": await import("node:crypto") };
const builtin = (name) => process.getBuiltinModule?.(name) ?? older[name];
const hmacSha256 = nodeHmacSha256(() => builtin("node:crypto"));

export * from "./js/errors.js";
export const { buildRequest, buildSetGroupPicture, checkMediaDownload, parseResponse, nextPageParams, parseWebhook, verifySignature, verifySubscription, receive, nextAttempt, checkGroupPicture, checkImage, sniffImage, classifyError, errorCatalog, operations, applyEvents, applyReply, seedFromGroupInfo, quoteMessage, prune, version, toFetch, createClient, webhookHandler } = bind(() =>
  initSync({ module: builtin("node:fs").readFileSync(new URL("./glue/wagroups_wasm_bg.wasm", import.meta.url)) }),
  { hmacSha256 },
);
