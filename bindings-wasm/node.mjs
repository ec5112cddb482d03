// Node (ESM): the wasm is read from the package folder and compiled synchronously.
import { readFileSync } from "node:fs";
import { initSync } from "./glue/wagroups_wasm.js";

initSync({ module: readFileSync(new URL("./glue/wagroups_wasm_bg.wasm", import.meta.url)) });

export * from "./js/api.js";
