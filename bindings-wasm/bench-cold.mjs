// Cold start (a script, not a test; make bench-npm runs it): in fresh Node processes, the time to
// import each entry and then handle one real delivery, the median of 11 processes each, beside
// whatsapp-api-js's import, construction and first post() of the same delivery.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const fixtures = process.argv[2];
const body = JSON.parse(readFileSync(join(fixtures, "messages", "group_text.json"), "utf8")).input.body;
const runs = 11;

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
    'try { w.verifySignature(body, "sha256=" + "0".repeat(64), "secret"); } catch {} w.parseWebhook(body);',
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
