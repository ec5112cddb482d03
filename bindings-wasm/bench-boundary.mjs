// Where the time of a parse goes inside the package, and other ways to hand a batch over (a
// script, not a test): run by make bench-npm-boundary, which builds a measurement-only wasm with
// the `boundary-bench` feature. Interleaved rounds as in bench.mjs: each row is the median time
// per pass over the corpus, and the median of its per-round ratio to JSON.parse of the bodies.
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

const read = tapeReader();
// As the package reads it: in place, in the module's memory.
const tapeAt = (address) => new Uint32Array(w.wasmMemory().buffer, address);
const fromTape = (k) => read(tapeAt(w.parseWebhook(bodies[k])), texts[k], bodies[k]);
/** A tape copied out of the module's memory, to be read again later. */
function copied(view) {
  const n = view[0];
  return view.slice(0, n + 2 + Math.ceil(view[n + 1] / 4));
}
// The same batch each way, but for serde-wasm-bindgen, which assigns a member named "__proto__"
// (setting the prototype) where JSON.parse and the tape reader define it.
const fromText = bodies.map((b, k) => JSON.stringify(fromTape(k).ok) === JSON.stringify(JSON.parse(w.parseWebhookText(b))));
const fromObjects = bodies.map((b, k) => JSON.stringify(fromTape(k).ok) === JSON.stringify(w.parseWebhookObjects(b)));
const tapes = bodies.map((b) => copied(tapeAt(w.parseWebhook(b))));

const tasks = {
  "JSON.parse of the bodies": () => texts.forEach((t) => JSON.parse(t)),
  "wasm: the parse alone": () => bodies.forEach((b) => w.parseWebhookCount(b)),
  "wasm: serde_json::Value": () => bodies.forEach((b) => w.parseValueCount(b)),
  "tape: parse + write (shipped)": () => bodies.forEach((b) => w.parseWebhook(b)),
  "tape: read in JS (shipped)": () => tapes.forEach((t, k) => read(t, texts[k], bodies[k])),
  "tape: both (shipped)": () => bodies.forEach((_, k) => fromTape(k)),
  "JSON text + JSON.parse": () => bodies.forEach((b) => JSON.parse(w.parseWebhookText(b))),
  "serde-wasm-bindgen objects": () => bodies.forEach((b) => w.parseWebhookObjects(b)),
};
const times = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
const ratios = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (let round = 0; round < 15; round++) {
  const inRound = {};
  for (const [name, f] of Object.entries(tasks)) {
    for (let i = 0; i < 5; i++) f();
    const t = process.hrtime.bigint();
    for (let i = 0; i < 30; i++) f();
    inRound[name] = Number(process.hrtime.bigint() - t) / 30 / 1000;
    times[name].push(inRound[name]);
  }
  for (const name of Object.keys(tasks)) ratios[name].push(inRound[name] / inRound["JSON.parse of the bodies"]);
}
console.log(`${bodies.length} deliveries, ${tapes.reduce((n, t) => n + 4 * t.length, 0)} bytes of tape; the tape's batch equals JSON text's for ${fromText.filter(Boolean).length}, serde-wasm-bindgen's for ${fromObjects.filter(Boolean).length}`);
for (const name of Object.keys(tasks)) {
  console.log(`${name.padEnd(32)} ${median(times[name]).toFixed(0).padStart(6)} µs  ${median(ratios[name]).toFixed(2)}x`);
}
