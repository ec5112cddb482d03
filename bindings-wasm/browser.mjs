// Browsers (and bundlers): the wasm is fetched next to this file once, before first use.
import init from "./glue/wagroups_wasm.js";

await init({ module_or_path: new URL("./glue/wagroups_wasm_bg.wasm", import.meta.url) });

export * from "./js/api.js";
