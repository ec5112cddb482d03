// Source of node.cjs (bundled to CommonJS at build time): `require("wagroups")` in Node.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync } from "../glue/wagroups_wasm.js";

initSync({ module: readFileSync(join(__dirname, "glue", "wagroups_wasm_bg.wasm")) });

export * from "./api.js";
