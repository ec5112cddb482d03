// node --test: the sandbox's console in headless Chromium, driven through its own buttons: two
// people join, a member writes, the business answers, one member reads; the page shows the
// conversation, a tick per member and the window in the ledger panel; a redelivery reaches the
// handler with the same body and signature; the chaos switch doubles every delivery. Usable at
// 375 px, by keyboard, without console errors. With WAGROUPS_SCREENSHOTS=DIR it also saves the
// chat view and the inspector there (`make console-screenshots` writes docs/images/).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./browser.mjs";
import { freePort } from "./ports.mjs";

const bin = fileURLToPath(new URL("../../target/debug/wagroups-sandbox", import.meta.url));
const PHONE = "427119830566204";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A webhook endpoint that answers the handshake and records every delivery with its signature. */
function callback() {
  const received = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (req.method === "GET") {
      const ok = url.searchParams.get("hub.verify_token") === "console-verify";
      return res.writeHead(ok ? 200 : 403).end(ok ? url.searchParams.get("hub.challenge") : "");
    }
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({ body: Buffer.concat(chunks).toString("utf8"), signature: req.headers["x-hub-signature-256"] });
      res.writeHead(200, { "content-type": "application/json" }).end('{"received":true}');
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, received, url: `http://127.0.0.1:${server.address().port}/hook` })));
}

async function until(what, check, ms = 10000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) {
    const v = await check();
    if (v) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("the sandbox console: the conversation, ticks, the ledger, redelivery and chaos, through its own buttons", async () => {
  const hook = await callback();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const sandbox = spawn(bin, ["--listen", `127.0.0.1:${port}`, "--db", ":memory:", "--create-delay-ms", "0", "--callback", hook.url,
    "--verify-token", "console-verify", "--retry-base-ms", "50"], { stdio: "ignore" });
  const browser = await launch();
  try {
    await until("the sandbox", () => fetch(`${base}/_sandbox/state`).then((r) => r.ok, () => false));
    const graph = (path, body) => fetch(`${base}/v23.0/${path}`, {
      method: "POST", headers: { authorization: "Bearer sandbox-token", "content-type": "application/json" }, body: JSON.stringify(body),
    }).then((r) => r.json());
    await graph(`${PHONE}/groups`, { messaging_product: "whatsapp", subject: "Console riders" });

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(`${base}/`);
    const group = page.locator("section.group", { hasText: "Console riders" });
    await group.locator("h2").waitFor({ timeout: 10000 });
    const groupId = await group.getAttribute("data-group-id");

    // Two people join by the link, through the console's form.
    for (const wa of ["447700900318", "14155550173"]) {
      await group.locator("input.wa").fill(wa);
      await group.locator("button[data-act=join]").click();
      await group.locator("ul.participants li", { hasText: wa }).waitFor({ timeout: 10000 });
    }
    // A member writes, by keyboard: the composer is reached and sent with Enter.
    await group.locator("select.as").selectOption("447700900318");
    await group.locator("input.text").focus();
    await page.keyboard.type("Coffee stop at the harbour kiosk?");
    await page.keyboard.press("Enter");
    await group.locator("li.bubble.in", { hasText: "Coffee stop at the harbour kiosk?" }).waitFor({ timeout: 10000 });
    // The business answers through the API; the chat view shows it with a tick per member.
    await graph(`${PHONE}/messages`, { messaging_product: "whatsapp", recipient_type: "group", to: groupId, type: "text", text: { body: "Yes, from 7." } });
    const answer = group.locator("li.bubble.out", { hasText: "Yes, from 7." });
    await answer.locator(".tick").nth(1).waitFor({ timeout: 10000 });
    assert.equal(await answer.locator(".tick").count(), 2, "one tick per member");
    await answer.locator("button[data-act=read][data-wa='14155550173']").click();
    await answer.locator(".tick[data-status=read][data-participant='14155550173']").waitFor({ timeout: 10000 });
    assert.equal(await answer.locator(".tick[data-status=delivered]").count(), 1);
    // The ledger panel: two members, the window open and counting down, free service deliveries.
    const ledger = group.locator("aside.ledger");
    await until("the window in the ledger", async () => /^open until .*left\)$/.test(await ledger.locator("dd.window").innerText()));
    assert.match(await ledger.innerText(), /group_service: 0 billable, 2 free/);
    assert.equal(await ledger.locator("ul.participants li").count(), 2);

    // The inspector: redeliver the first delivery; the handler gets the same bytes and signature.
    const first = await until("a delivery", () => hook.received[0]);
    await page.locator("#deliveries li[data-delivery='1'] button[data-act=redeliver]").click();
    const same = await until("the redelivery", () => {
      const copies = hook.received.filter((r) => r.body === first.body);
      return copies.length >= 2 && copies;
    });
    assert.equal(same[1].signature, same[0].signature);
    await page.locator("#deliveries li[data-delivery='1'] summary").click();
    assert.match(await page.locator("#deliveries li[data-delivery='1'] pre.body").innerText(), /"group_create"/);
    await page.locator("#filter-field").selectOption("messages");
    await until("the field filter", async () => (await page.locator("#deliveries > li").allInnerTexts()).every((t) => t.includes("messages")));
    await page.locator("#filter-field").selectOption("");

    // Chaos: every delivery twice, switched in the console.
    await page.locator("#chaos").selectOption("duplicate");
    await until("the chaos switch", () => fetch(`${base}/_sandbox/deliveries`).then((r) => r.json()).then((l) => l.chaos === "duplicate"));
    const before = hook.received.length;
    await group.locator("input.wa").fill("61491570156");
    await group.locator("button[data-act=join]").click();
    const doubled = await until("the join delivered twice", () => {
      const joins = hook.received.slice(before).filter((r) => r.body.includes("61491570156"));
      return joins.length >= 2 && joins;
    });
    assert.equal(doubled[0].body, doubled[1].body);
    await page.locator("#chaos").selectOption("off");

    if (process.env.WAGROUPS_SCREENSHOTS) {
      await page.locator("#deliveries li[data-delivery='4'] summary").click();
      await group.screenshot({ path: join(process.env.WAGROUPS_SCREENSHOTS, "console-chat.png") });
      await page.locator("#inspector").screenshot({ path: join(process.env.WAGROUPS_SCREENSHOTS, "console-inspector.png") });
    }
    // At 375 px nothing spills sideways and the composer is still there to use.
    await page.setViewportSize({ width: 375, height: 800 });
    await sleep(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overflow <= 375, `the page is ${overflow} px wide at 375`);
    assert.ok(await group.locator("form.composer button[type=submit]").isVisible());
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    sandbox.kill();
    hook.server.close();
  }
});
