// node --test: the corpus in headless Chromium (Debian's), driven by playwright-core. The user
// project is served from a loopback server; the page imports the package by name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

const proj = process.env.WAGROUPS_TEST_PROJECT;
const types = { ".html": "text/html", ".mjs": "text/javascript", ".js": "text/javascript", ".json": "application/json", ".wasm": "application/wasm" };

function serve(root) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^\/+/, "");
    try {
      const body = await readFile(join(root, path || "page.html"));
      res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

test("the corpus in headless Chromium equals the Rust output", async () => {
  assert.ok(proj, "set WAGROUPS_TEST_PROJECT (make test-npm does)");
  const server = await serve(proj);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/page.html`);
    await page.waitForFunction(() => window.__results !== undefined || false, null, { timeout: 60000 });
    const results = await page.evaluate(() => window.__results);
    assert.deepEqual(errors, []);
    assert.ok(results.length > 300, `${results.length} cases`);
    assert.deepEqual(results.filter((r) => !r.ok), []);
  } finally {
    await browser.close();
    server.close();
  }
});
