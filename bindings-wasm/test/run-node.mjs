// In the user project: `import` the package by name and run the whole corpus.
import { readFileSync } from "node:fs";
import * as w from "wagroups";
import { runAll } from "./runner.mjs";

const results = runAll(w, JSON.parse(readFileSync("cases.json", "utf8")));
process.stdout.write(JSON.stringify(results));
