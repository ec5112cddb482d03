// node --test: the corpus in Deno and Bun (edge functions on Supabase and Netlify run Deno),
// both installed from npm as dev dependencies, each importing the packed package by name from
// the user project.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { assertBothEntries } from "./both.mjs";

const proj = process.env.WAGROUPS_TEST_PROJECT;
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

for (const [name, args] of [
  ["deno", ["run", "--allow-read", "--allow-env", "run-runtime.mjs"]],
  ["bun", ["run-runtime.mjs"]],
]) {
  test(`the corpus in ${name} equals the Rust output through both entries`, () => {
    assert.ok(proj, "set WAGROUPS_TEST_PROJECT (make test-npm does)");
    const out = execFileSync(bin(name), args, {
      cwd: proj,
      maxBuffer: 64 << 20,
      env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    }).toString();
    const { runtime, results } = JSON.parse(out);
    assert.ok(runtime.startsWith(`${name} `), `ran under ${runtime}`);
    assertBothEntries(results, runtime);
  });
}
