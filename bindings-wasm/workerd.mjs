// Cloudflare Workers (workerd): wasm must be imported as a module; it cannot be compiled from
// bytes at run time there. Instantiated on first use.
import wasm from "./glue/wagroups_wasm_bg.wasm";
import { initSync } from "./glue/wagroups_wasm.js";
import { bind } from "./js/api.js";

export * from "./js/errors.js";
export const { buildRequest, buildSetGroupPicture, checkMediaDownload, parseResponse, nextPageParams, parseWebhook, verifySignature, verifySubscription, receive, nextAttempt, checkGroupPicture, checkImage, sniffImage, classifyError, errorCatalog, operations, applyEvents, applyReply, seedFromGroupInfo, quoteMessage, prune, version, toFetch, createClient, webhookHandler } = bind(() => initSync({ module: wasm }));
