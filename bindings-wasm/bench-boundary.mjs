// Where the time of a parse goes inside the package, and other ways to hand a batch over (a
// script, not a test): run by make bench-npm-boundary, which builds a measurement-only wasm with
// the `boundary-bench` feature. Every row is the median of 7 runs of 100 passes over the corpus.
// - the parse alone (nothing returned), and serde_json::Value in the same wasm;
// - the shipped hand-over: the batch written as a tape, read by js/tape.js;
// - JSON text + JSON.parse, and JS objects built by serde-wasm-bindgen, for the same batch.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { tapeReader } from "./js/tape.js";

const w = createRequire(import.meta.url)(resolve(process.argv[2], "w.js"));
const texts = [];
(function walk(d) {
  for (const n of readdirSync(d).sort()) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) {
      if (n !== "malformed") walk(p);
    } else {
      const c = JSON.parse(readFileSync(p, "utf8"));
      if (typeof c.input.body === "string") texts.push(c.input.body);
    }
  }
})(process.argv[3]);
const bodies = texts.map((t) => new TextEncoder().encode(t));

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

const read = tapeReader();
const fromTape = (k) => read(w.parseWebhook(bodies[k]), texts[k], bodies[k]);
const same = bodies.every((b, k) => {
  const tape = JSON.stringify(fromTape(k).ok);
  return tape === JSON.stringify(JSON.parse(w.parseWebhookText(b))) && tape === JSON.stringify(w.parseWebhookObjects(b));
});
const jsonParse = median(() => texts.forEach((t) => JSON.parse(t)));
const alone = median(() => bodies.forEach((b) => w.parseWebhookCount(b)));
const value = median(() => bodies.forEach((b) => w.parseValueCount(b)));
console.log(`${bodies.length} deliveries: JSON.parse of the bodies ${jsonParse.toFixed(0)} µs; the wasm parse alone ${alone.toFixed(0)} µs (${(alone / jsonParse).toFixed(2)}x), serde_json::Value in wasm ${value.toFixed(0)} µs`);
const tapes = bodies.map((b) => w.parseWebhook(b));
const write = median(() => bodies.forEach((b) => w.parseWebhook(b)));
const reading = median(() => tapes.forEach((t, k) => read(t, texts[k], bodies[k])));
const whole = median(() => bodies.forEach((_, k) => fromTape(k)));
console.log(`tape (shipped): parse + write ${write.toFixed(0)} µs, read ${reading.toFixed(0)} µs, both ${whole.toFixed(0)} µs (${(whole / jsonParse).toFixed(2)}x); ${tapes.reduce((n, t) => n + t.length, 0)} bytes`);
const jsonText = median(() => bodies.forEach((b) => JSON.parse(w.parseWebhookText(b))));
const objects = median(() => bodies.forEach((b) => w.parseWebhookObjects(b)));
console.log(`JSON text + JSON.parse ${jsonText.toFixed(0)} µs (${(jsonText / jsonParse).toFixed(2)}x); serde-wasm-bindgen objects ${objects.toFixed(0)} µs (${(objects / jsonParse).toFixed(2)}x); the same batch each way: ${same}`);
