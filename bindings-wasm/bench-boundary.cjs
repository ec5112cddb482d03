// Measures the two ways to cross the wasm boundary with the same batch (a script, not a test):
// JS objects built by serde-wasm-bindgen (what the package ships) against JSON text + JSON.parse.
// Run: make bench-npm-boundary (builds a measurement-only wasm with the `boundary-bench` feature).
const fs = require("node:fs");
const path = require("node:path");
const w = require(path.resolve(process.argv[2], "w.js"));

const bodies = [];
(function walk(d) {
  for (const n of fs.readdirSync(d).sort()) {
    const p = path.join(d, n);
    if (fs.statSync(p).isDirectory()) {
      if (n !== "malformed") walk(p);
    } else {
      const c = JSON.parse(fs.readFileSync(p, "utf8"));
      if (typeof c.input.body === "string") bodies.push(new TextEncoder().encode(c.input.body));
    }
  }
})(process.argv[3]);

function median(f) {
  for (let i = 0; i < 50; i++) f();
  const runs = [];
  for (let r = 0; r < 7; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) f();
    runs.push(Number(process.hrtime.bigint() - t) / 100 / 1000);
  }
  return runs.sort((a, b) => a - b)[3];
}

const same = bodies.every((b) => JSON.stringify(JSON.parse(w.parseWebhookText(b)).ok) === JSON.stringify(w.parseWebhook(b, "{}")));
const text = median(() => bodies.forEach((b) => JSON.parse(w.parseWebhookText(b)).ok));
const objects = median(() => bodies.forEach((b) => w.parseWebhook(b, "{}")));
console.log(`${bodies.length} deliveries: JSON text + JSON.parse ${text.toFixed(0)} µs; serde-wasm-bindgen objects ${objects.toFixed(0)} µs; objects/text ${(objects / text).toFixed(2)}x; identical output: ${same}`);
