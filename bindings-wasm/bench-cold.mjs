// Cold start (a script, not a test; make bench-npm runs it): in fresh Node processes, the time to
// import each entry and then handle one real delivery, the median of 11 processes each, beside
// whatsapp-api-js's import, construction and first post() of the same delivery.
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const fixtures = process.argv[2];
const body = JSON.parse(readFileSync(join(fixtures, "messages", "group_text.json"), "utf8")).input.body;
const runs = 11;
// Signed as Meta signs it: the check passes, as on a real endpoint.
const signature = "sha256=" + createHmac("sha256", "secret").update(body).digest("hex");

const script = (load, first) => `
const body = ${JSON.stringify(body)};
const t0 = performance.now();
${load}
const t1 = performance.now();
${first}
const t2 = performance.now();
console.log(JSON.stringify([t1 - t0, t2 - t1]));`;

const cases = [
  ["wagroups: import, parseWebhook", 'const w = await import("wagroups");', "w.parseWebhook(body);"],
  ["wagroups/webhooks: import, parseWebhook", 'const w = await import("wagroups/webhooks");', "w.parseWebhook(body);"],
  [
    "wagroups/webhooks: import, verifySignature + parseWebhook",
    'const w = await import("wagroups/webhooks");',
    `w.verifySignature(body, ${JSON.stringify(signature)}, "secret"); w.parseWebhook(body);`,
  ],
  [
    "whatsapp-api-js: import, new, post()",
    'const { WhatsAppAPI } = await import("whatsapp-api-js"); const api = new WhatsAppAPI({ token: "t", secure: false, v: "v24.0" }); api.on.message = () => {};',
    "await api.post(JSON.parse(body));",
  ],
];

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`cold start, median of ${runs} fresh processes (import | first call | both):`);
for (const [name, load, first] of cases) {
  const samples = Array.from({ length: runs }, () =>
    JSON.parse(execFileSync("node", ["--input-type=module", "-e", script(load, first)]).toString()),
  );
  const [imp, call, both] = [median(samples.map((s) => s[0])), median(samples.map((s) => s[1])), median(samples.map((s) => s[0] + s[1]))];
  console.log(`  ${name.padEnd(58)} ${imp.toFixed(1).padStart(5)} | ${call.toFixed(1).padStart(5)} | ${both.toFixed(1).padStart(5)} ms`);
}

// The same under local workerd (Miniflare), when the tools are given (argv[3]: the folder
// holding wrangler and miniflare): each Worker bundled by wrangler as for deployment, then, per
// fresh workerd, the time from start to ready, to the first response and to a second one.
const tools = process.argv[3];
if (tools) {
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const { pathToFileURL } = await import("node:url");
  const { Miniflare } = await import(pathToFileURL(join(tools, "node_modules", "miniflare", "dist", "src", "index.js")).href);
  const wrangler = join(tools, "node_modules", ".bin", "wrangler");
  const workers = {
    "wagroups/webhooks Worker: parseWebhook": `import { parseWebhook } from "wagroups/webhooks";
export default { async fetch(request) { return Response.json(parseWebhook(await request.text()).events.length); } };`,
    "whatsapp-api-js Worker: post()": `import { WhatsAppAPI } from "whatsapp-api-js";
export default { async fetch(request) {
  const api = new WhatsAppAPI({ token: "t", secure: false, v: "v24.0" });
  let n = 0; api.on.message = () => { n++; };
  await api.post(JSON.parse(await request.text()));
  return Response.json(n);
} };`,
  };
  console.log(`workerd (Miniflare), median of ${runs} fresh instances (ready | first response | second response):`);
  for (const [name, source] of Object.entries(workers)) {
    const dir = join("cold-workers", name.split(" ")[0].replace(/\W/g, "-"));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "worker.mjs"), source);
    writeFileSync(join(dir, "wrangler.toml"), 'name = "cold"\nmain = "worker.mjs"\ncompatibility_date = "2026-04-01"\n');
    execFileSync(wrangler, ["deploy", "--dry-run", "--outdir", "build"], { cwd: dir, stdio: "pipe", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" } });
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const mf = new Miniflare({
        modules: true,
        scriptPath: join(dir, "build", "worker.js"),
        modulesRoot: join(dir, "build"),
        modulesRules: [{ type: "ESModule", include: ["**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
        compatibilityDate: "2026-04-01",
      });
      await mf.ready;
      const t1 = performance.now();
      await (await mf.dispatchFetch("http://localhost/", { method: "POST", body })).text();
      const t2 = performance.now();
      await (await mf.dispatchFetch("http://localhost/", { method: "POST", body })).text();
      const t3 = performance.now();
      await mf.dispose();
      samples.push([t1 - t0, t2 - t1, t3 - t2]);
    }
    const [ready, first, second] = [0, 1, 2].map((k) => median(samples.map((s) => s[k])));
    console.log(`  ${name.padEnd(58)} ${ready.toFixed(0).padStart(5)} | ${first.toFixed(1).padStart(5)} | ${second.toFixed(1).padStart(5)} ms`);
  }
}
