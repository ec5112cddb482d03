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

const same = bodies.every((b) => JSON.stringify(JSON.parse(w.parseWebhookText(b)).ok) === JSON.stringify(w.parseWebhookObjects(b)));
const text = median(() => bodies.forEach((b) => JSON.parse(w.parseWebhookText(b)).ok));
const objects = median(() => bodies.forEach((b) => w.parseWebhookObjects(b)));
const spans = median(() => bodies.forEach((b) => JSON.parse(w.parseWebhook(b))));
console.log(`${bodies.length} deliveries: JSON text + JSON.parse ${text.toFixed(0)} µs; serde-wasm-bindgen objects ${objects.toFixed(0)} µs; JSON with byte ranges + JSON.parse (shipped; without the slicing) ${spans.toFixed(0)} µs; identical text and objects: ${same}`);
const count = median(() => bodies.forEach((b) => w.parseWebhookCount(b)));
const jsonParse = median(() => bodies.forEach((b) => JSON.parse(new TextDecoder().decode(b))));
const value = median(() => bodies.forEach((b) => w.parseValueCount(b)));
console.log(`parse alone (no output) ${count.toFixed(0)} µs; serde_json::Value in wasm ${value.toFixed(0)} µs; JSON.parse of the bodies ${jsonParse.toFixed(0)} µs`);
const spansNoParse = median(() => bodies.forEach((b) => w.parseWebhook(b)));
const outs = bodies.map((b) => w.parseWebhook(b));
const onlyParse = median(() => outs.forEach((o) => JSON.parse(o)));
console.log(`byte-range JSON: wasm parse + write ${spansNoParse.toFixed(0)} µs, JSON.parse of it ${onlyParse.toFixed(0)} µs, ${outs.reduce((n, o) => n + o.length, 0)} chars`);
