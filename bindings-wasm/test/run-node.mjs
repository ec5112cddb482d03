// In the user project: `import` both entries by name and run the corpus through each.
import { readFileSync } from "node:fs";
import * as w from "wagroups";
import * as webhooks from "wagroups/webhooks";
import { runBoth } from "./runner.mjs";

const results = runBoth(w, webhooks, JSON.parse(readFileSync("cases.json", "utf8")));
process.stdout.write(JSON.stringify(results));
