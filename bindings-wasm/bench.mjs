// Benchmarks of the npm package (a script, not a test), run from a project that installed the
// tarball. Ratios against baselines measured in the same run: parseWebhook vs JSON.parse of the
// same bodies, verifySignature vs node:crypto, the JSON.parse share of crossing the boundary,
// and module instantiation.
import { createHmac, timingSafeEqual } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { Bench } from "tinybench";
import * as w from "wagroups";
import * as native from "./node_modules/wagroups/glue/wagroups_wasm.js";

const fixtures = process.argv[2] ?? join(import.meta.dirname, "..", "tests", "fixtures", "webhooks");
const bodies = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "malformed") walk(p);
    } else {
      const c = JSON.parse(readFileSync(p, "utf8"));
      if (typeof c.input.body === "string") bodies.push(c.input.body);
    }
  }
})(fixtures);
const encoder = new TextEncoder();
const byteBodies = bodies.map((b) => encoder.encode(b));
const secret = "6f1d2c9a8b7e4f3a0c5d9e8b7a6f5c41";
const big = bodies.reduce((a, b) => (b.length > a.length ? b : a));
const header = "sha256=" + createHmac("sha256", secret).update(big).digest("hex");

const bench = new Bench({ time: 1500 });
bench
  .add("parseWebhook(string) x corpus", () => bodies.forEach((b) => w.parseWebhook(b)))
  .add("parseWebhook(Uint8Array) x corpus", () => byteBodies.forEach((b) => w.parseWebhook(b)))
  .add("native parse, JSON text only x corpus", () => byteBodies.forEach((b) => native.parseWebhook(b)))
  .add("JSON.parse x corpus", () => bodies.forEach((b) => JSON.parse(b)))
  .add("verifySignature", () => w.verifySignature(big, header, secret))
  .add("node:crypto createHmac + timingSafeEqual", () => {
    const d = createHmac("sha256", secret).update(big).digest();
    timingSafeEqual(d, Buffer.from(header.slice(7), "hex"));
  });
await bench.run();
const mean = (name) => bench.tasks.find((t) => t.name === name).result.latency.mean;
const row = (a, b) => console.log(`${a.padEnd(40)} ${(mean(a) * 1000).toFixed(1).padStart(9)} µs  vs ${b.padEnd(42)} ${(mean(b) * 1000).toFixed(1).padStart(9)} µs  ratio ${(mean(a) / mean(b)).toFixed(2)}x`);
console.log(`corpus: ${bodies.length} deliveries, ${bodies.reduce((n, b) => n + b.length, 0)} bytes; signature body ${big.length} bytes`);
row("parseWebhook(string) x corpus", "JSON.parse x corpus");
row("parseWebhook(Uint8Array) x corpus", "JSON.parse x corpus");
row("native parse, JSON text only x corpus", "parseWebhook(Uint8Array) x corpus");
row("verifySignature", "node:crypto createHmac + timingSafeEqual");

// Module instantiation: a fresh Node process importing the package, minus one importing nothing.
const time = (code) => {
  const runs = Array.from({ length: 7 }, () => Number(execFileSync("node", ["--input-type=module", "-e", code]).toString()));
  return runs.sort((a, b) => a - b)[3];
};
const withPkg = time('const t = performance.now(); await import("wagroups"); console.log(performance.now() - t)');
const empty = time('const t = performance.now(); await import("node:path"); console.log(performance.now() - t)');
console.log(`import + instantiate the module: ${(withPkg - empty).toFixed(1)} ms (median of 7 fresh processes)`);
