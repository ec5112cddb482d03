// Cloudflare Workers (workerd): wasm must be imported as a module; it cannot be compiled from
// bytes at run time there.
import wasm from "./glue/wagroups_wasm_bg.wasm";
import { initSync } from "./glue/wagroups_wasm.js";

initSync({ module: wasm });

export * from "./js/api.js";
