// node --test: what `make demo` runs (a dry run of the Makefile) installs nothing system-wide and
// needs no browser, so it works for a user without root; `make test` is where Chromium comes in.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dryRun = (target) => execFileSync("make", ["-n", "-C", root, target], { env: { ...process.env, CHROMIUM: "" } }).toString();
const systemWide = /apt-get|dpkg|sudo|chromium|\/usr\/(local\/)?bin\/|pip install(?! -q --disable-pip-version-check -r)/i;

test("make demo needs no root and no browser", () => {
  const steps = dryRun("demo").split("\n").filter((l) => l.trim());
  assert.ok(steps.some((l) => l.includes("story.mjs")), "the dry run lists the demo's own steps");
  assert.deepEqual(steps.filter((l) => systemWide.test(l)), []);
});

test("make test-npm is where the browser is installed (the check above can fail)", () => {
  assert.ok(systemWide.test(dryRun("test-npm")));
});
