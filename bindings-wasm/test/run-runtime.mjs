// In the user project, under Deno or Bun: `import` the package by name (each resolves the
// package's export conditions its own way) and run the whole corpus.
import { readFileSync } from "node:fs";
import * as w from "wagroups";
import { runAll } from "./runner.mjs";

const runtime = globalThis.Deno ? `deno ${Deno.version.deno}` : globalThis.Bun ? `bun ${Bun.version}` : "other";
const results = runAll(w, JSON.parse(readFileSync("cases.json", "utf8")));
console.log(JSON.stringify({ runtime, results }));
