// In the user project, under Deno or Bun: `import` both entries by name (each runtime resolves
// the package's export conditions its own way) and run the corpus through each.
import { readFileSync } from "node:fs";
import * as w from "wagroups";
import * as webhooks from "wagroups/webhooks";
import { runBoth } from "./runner.mjs";

const runtime = globalThis.Deno ? `deno ${Deno.version.deno}` : globalThis.Bun ? `bun ${Bun.version}` : "other";
const results = runBoth(w, webhooks, JSON.parse(readFileSync("cases.json", "utf8")));
console.log(JSON.stringify({ runtime, results }));
