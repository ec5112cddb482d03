// The fixture corpus as one array, read from tests/fixtures/ (Node only).
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const fixturesDir = fileURLToPath(new URL("../../tests/fixtures/", import.meta.url));

function walk(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".json")) out.push(p);
  }
  return out;
}

export function loadCases() {
  return walk(fixturesDir, []).map((p) => ({ name: relative(fixturesDir, p), case: JSON.parse(readFileSync(p, "utf8")) }));
}
