// The `wagroups/webhooks` entry's functions: only the receiving side, over its own small wasm
// module (built from the same Rust code with the `webhooks` feature), so that a webhook endpoint
// loads and compiles nothing else.
import * as native from "../glue/wagroups_webhooks.js";
import { handlerFactory } from "./handler.js";
import { lazily, receivingSide } from "./receiving.js";

const receiving = receivingSide(native);

/** The package version (the workspace version). */
function version() {
  return native.version();
}

const functions = {
  ...receiving.functions,
  version,
};

/** The receiving API, with `init` run once before the first call; `lent` as in `bind` of api.js. */
export function bind(init, lent = {}) {
  Object.assign(receiving.host, lent);
  const api = lazily(functions, init);
  api.webhookHandler = handlerFactory(api);
  return api;
}
