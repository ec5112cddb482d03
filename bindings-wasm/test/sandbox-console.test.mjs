// node --test: the sandbox's console in headless Chromium: it loads without errors, shows a
// group the API created, and a click on "join" makes the participant appear.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { freePort } from "./ports.mjs";
import { fileURLToPath } from "node:url";
import { launch } from "./browser.mjs";

const bin = fileURLToPath(new URL("../../target/debug/wagroups-sandbox", import.meta.url));

test("the sandbox console shows groups and lets a simulated person join", async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const sandbox = spawn(bin, ["--listen", `127.0.0.1:${port}`, "--db", ":memory:"], { stdio: "ignore" });
  const browser = await launch();
  try {
    for (let i = 0; i < 200; i++) {
      if (await fetch(`${base}/_sandbox/state`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const created = await fetch(`${base}/v23.0/427119830566204/groups`, {
      method: "POST",
      headers: { authorization: "Bearer sandbox-token", "content-type": "application/json" },
      body: JSON.stringify({ messaging_product: "whatsapp", subject: "Console riders" }),
    });
    assert.equal(created.status, 200);
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(`${base}/`);
    await page.waitForSelector("section.group h2:has-text('Console riders')", { timeout: 10000 });
    await page.fill("section.group input.wa", "447700900318");
    await page.click("section.group button[data-act=join]");
    await page.waitForSelector("ul.participants li:has-text('447700900318')", { timeout: 10000 });
    const deliveries = await page.locator("#deliveries tr").count();
    assert.ok(deliveries >= 2, `${deliveries} deliveries listed`); // group_create and the join
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    sandbox.kill();
  }
});
