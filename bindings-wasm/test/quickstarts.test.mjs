// node --test: the README quickstarts run as written, each in its runtime, against the installed
// tarball: Node (a module), a Worker (bundled by wrangler, run by Miniflare), a browser page
// (headless Chromium).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { launch, serve } from "./browser.mjs";
import { spawn } from "node:child_process";
import { freePort } from "./ports.mjs";

const sandboxBin = fileURLToPath(new URL("../../target/debug/wagroups-sandbox", import.meta.url));

const proj = process.env.WAGROUPS_TEST_PROJECT;
const root = fileURLToPath(new URL("../../", import.meta.url));
const readmes = [join(root, "README.md"), join(root, "bindings-wasm", "npm", "README.md")];

// The root README's quickstarts continue in docs/: the Worker and the browser page in
// javascript.md, the ledger in ledger.md, the client and the webhook handler in clients.md.
function block(readme, marker) {
  const pages = readme.includes("npm") ? [readme] : [readme, join(root, "docs", "javascript.md"), join(root, "docs", "ledger.md"), join(root, "docs", "clients.md")];
  const text = pages.map((p) => readFileSync(p, "utf8")).join("\n");
  const found = [...text.matchAll(/```(?:js|html)\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes(`quickstart: ${marker}`));
  assert.ok(found, `no "${marker}" quickstart in ${readme}`);
  return found;
}

/** A Worker quickstart bundled by wrangler as a user would deploy it, run by Miniflare with the
 * secrets the quickstarts read. */
function worker(name, code) {
  writeFileSync(join(proj, `${name}.mjs`), code);
  writeFileSync(join(proj, "wrangler.toml"), `name = "quick"\nmain = "${name}.mjs"\ncompatibility_date = "2026-04-01"\n`);
  const wrangler = fileURLToPath(new URL("../node_modules/.bin/wrangler", import.meta.url));
  execFileSync(wrangler, ["deploy", "--dry-run", "--outdir", `build-${name}`], { cwd: proj, stdio: "pipe", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" } });
  return new Miniflare({
    modules: true,
    scriptPath: join(proj, `build-${name}`, `${name}.js`),
    modulesRoot: join(proj, `build-${name}`),
    modulesRules: [{ type: "ESModule", include: ["**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2026-04-01",
    bindings: { APP_SECRET: "s3cret", VERIFY_TOKEN: "v" },
  });
}

for (const readme of readmes) {
  const which = readme.includes("npm") ? "npm README" : "README";

  test(`${which}: the Node quickstart runs`, () => {
    writeFileSync(join(proj, "quick-node.mjs"), block(readme, "node"));
    execFileSync("node", ["quick-node.mjs"], { cwd: proj, stdio: "pipe" });
  });

  if (!readme.includes("npm")) {
    test("docs/clients.md: the client quickstart runs against the sandbox binary", async () => {
      const code = block(readme, "client");
      assert.ok(code.includes("127.0.0.1:8787"));
      const port = await freePort();
      const sandbox = spawn(sandboxBin, ["--listen", `127.0.0.1:${port}`, "--db", ":memory:"], { stdio: "ignore" });
      try {
        for (let i = 0; i < 200; i++) {
          if (await fetch(`http://127.0.0.1:${port}/_sandbox/state`).then((r) => r.ok, () => false)) break;
          await new Promise((r) => setTimeout(r, 25));
        }
        writeFileSync(join(proj, "quick-client.mjs"), code.replace("127.0.0.1:8787", `127.0.0.1:${port}`));
        execFileSync("node", ["quick-client.mjs"], { cwd: proj, stdio: "pipe" });
      } finally {
        sandbox.kill();
      }
    });

    test("docs/clients.md: the webhook handler quickstart answers in workerd", async () => {
      const mf = worker("quick-handler", block(readme, "handler"));
      try {
        const body = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"group_status_update","value":{"groups":[{"group_id":"G","type":"group_suspend","timestamp":"7"}]}}]}]}';
        const sign = (b) => "sha256=" + createHmac("sha256", "s3cret").update(b).digest("hex");
        const post = (b, sig) => mf.dispatchFetch("http://w/webhook", { method: "POST", body: b, headers: { "x-hub-signature-256": sig } });
        assert.equal((await post(body, sign(body))).status, 200);
        assert.equal((await post(body, sign(body + " "))).status, 401);
        assert.equal((await post("[1, 2", sign("[1, 2"))).status, 200);
        const hs = await mf.dispatchFetch("http://w/webhook?hub.mode=subscribe&hub.verify_token=v&hub.challenge=42");
        assert.deepEqual([hs.status, await hs.text()], [200, "42"]);
        assert.equal((await mf.dispatchFetch("http://w/webhook?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1")).status, 403);
        assert.equal((await mf.dispatchFetch("http://w/webhook", { method: "PUT" })).status, 405);
      } finally {
        await mf.dispose();
      }
    });

    test("docs/ledger.md: the ledger snippet runs", () => {
      writeFileSync(join(proj, "quick-ledger.mjs"), block(readme, "ledger"));
      execFileSync("node", ["quick-ledger.mjs"], { cwd: proj, stdio: "pipe" });
    });
  }

  test(`${which}: the Worker quickstart runs in workerd`, async () => {
    const mf = worker("quick-worker", block(readme, "worker"));
    try {
      const body = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"group_status_update","value":{"groups":[{"group_id":"G","type":"group_suspend","timestamp":"7"}]}}]}]}';
      const sig = "sha256=" + createHmac("sha256", "s3cret").update(body).digest("hex");
      const ok = await mf.dispatchFetch("http://w/", { method: "POST", body, headers: { "x-hub-signature-256": sig } });
      assert.equal(ok.status, 200);
      const [[type, group]] = await ok.json();
      assert.deepEqual([type, group], ["group_suspend", "G"]);
      const forged = await mf.dispatchFetch("http://w/", { method: "POST", body, headers: { "x-hub-signature-256": sig.replace(/.$/, "0") } });
      assert.equal(forged.status, 401);
      const hs = await mf.dispatchFetch("http://w/?hub.mode=subscribe&hub.verify_token=v&hub.challenge=42");
      assert.equal(await hs.text(), "42");
      const wrongToken = await mf.dispatchFetch("http://w/?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=42");
      assert.equal(wrongToken.status, 403);
      // Signed but not a delivery: 200 all the same (a 5xx would make Meta redeliver for days).
      const junk = "[1, 2";
      const junkSig = "sha256=" + createHmac("sha256", "s3cret").update(junk).digest("hex");
      const unreadable = await mf.dispatchFetch("http://w/", { method: "POST", body: junk, headers: { "x-hub-signature-256": junkSig } });
      assert.equal(unreadable.status, 200);
      assert.ok((await unreadable.json()).unreadable);
    } finally {
      await mf.dispose();
    }
  });

  test(`${which}: the browser quickstart runs in Chromium`, async () => {
    writeFileSync(join(proj, "quick.html"), `<!doctype html><meta charset="utf-8">${block(readme, "browser")}`);
    const server = await serve(proj);
    const browser = await launch();
    try {
      const page = await browser.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`http://127.0.0.1:${server.address().port}/quick.html`);
      await page.waitForFunction(() => document.title.startsWith("wagroups"), null, { timeout: 30000 });
      assert.deepEqual(errors, []);
      assert.equal(await page.title(), "wagroups ok");
    } finally {
      await browser.close();
      server.close();
    }
  });
}
