// Browsers (and bundlers): the wasm is fetched next to this file once, when the module loads.
import init from "./glue/wagroups_wasm.js";
import { bind } from "./js/api.js";

export * from "./js/errors.js";
await init({ module_or_path: new URL("./glue/wagroups_wasm_bg.wasm", import.meta.url) });
export const { buildRequest, buildSetGroupPicture, checkMediaDownload, parseResponse, nextPageParams, parseWebhook, verifySignature, verifySubscription, receive, nextAttempt, checkGroupPicture, checkImage, sniffImage, classifyError, errorCatalog, operations, applyEvents, applyReply, seedFromGroupInfo, quoteMessage, prune, version, toFetch, createClient, webhookHandler } = bind(() => {});
