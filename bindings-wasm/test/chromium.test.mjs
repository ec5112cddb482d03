// node --test: the corpus in headless Chromium (Debian's), driven by playwright-core. The user
// project is served from a loopback server; the page imports the package by name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, serve } from "./browser.mjs";
import { assertBothEntries } from "./both.mjs";

const proj = process.env.WAGROUPS_TEST_PROJECT;

test("the corpus in headless Chromium equals the Rust output through both entries", async () => {
  assert.ok(proj, "set WAGROUPS_TEST_PROJECT (make test-npm does)");
  const server = await serve(proj);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/page.html`);
    await page.waitForFunction(() => window.__results !== undefined || false, null, { timeout: 60000 });
    const results = await page.evaluate(() => window.__results);
    assert.deepEqual(errors, []);
    assertBothEntries(results, "chromium");
  } finally {
    await browser.close();
    server.close();
  }
});
