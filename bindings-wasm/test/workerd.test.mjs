// node --test: the corpus inside workerd. A worker module in the user project imports the
// package by name; wrangler's bundler resolves it through the `workerd` condition; Miniflare runs
// the bundle in a real workerd on loopback.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { assertBothEntries } from "./both.mjs";

const proj = process.env.WAGROUPS_TEST_PROJECT;
const wrangler = fileURLToPath(new URL("../node_modules/.bin/wrangler", import.meta.url));

test("the corpus in workerd equals the Rust output through both entries", async () => {
  assert.ok(proj, "set WAGROUPS_TEST_PROJECT (make test-npm does)");
  writeFileSync(join(proj, "wrangler.toml"), 'name = "wagroups-corpus"\nmain = "worker.mjs"\ncompatibility_date = "2026-04-01"\n');
  execFileSync(wrangler, ["deploy", "--dry-run", "--outdir", "build"], {
    cwd: proj,
    stdio: "pipe",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
  const bundle = readFileSync(join(proj, "build", "worker.js"), "utf8");
  assert.ok(!bundle.includes("readFileSync"), "the node entry was bundled instead of the workerd one");
  const modules = readdirSync(join(proj, "build")).filter((f) => f.endsWith(".wasm"));
  assert.equal(modules.length, 2, `one wasm module per entry beside the bundle: ${modules}`);

  const mf = new Miniflare({
    modules: true,
    scriptPath: join(proj, "build", "worker.js"),
    modulesRoot: join(proj, "build"),
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2026-04-01",
  });
  try {
    const cases = readFileSync(join(proj, "cases.json"), "utf8");
    const res = await mf.dispatchFetch("http://localhost/", { method: "POST", body: cases });
    assert.equal(res.status, 200);
    assertBothEntries(await res.json(), "workerd");
  } finally {
    await mf.dispose();
  }
});
