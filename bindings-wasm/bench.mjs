// Benchmarks of the npm package (a script, not a test), run from a project that installed the
// tarball (make bench-npm), with ratios against baselines measured in the same run:
// - parseWebhook vs JSON.parse of the same bodies, and vs whatsapp-api-js's post() (the peer,
//   given JSON.parse(body) as its docs show, unsigned);
// - verifySignature + parseWebhook vs JSON.parse, and vs the peer's signed post(); receive(), which
//   does both in one call;
// - verifySignature vs node:crypto;
// - the same through the `wagroups/webhooks` entry (its own, smaller module).
// Cold start is measured apart, in fresh processes (bench-cold.mjs).
// The same for Meta's own webhook examples (vendored beside its OpenAPI file): deliveries of every
// message type written elsewhere, not for this corpus.
// Each wagroups row is measured with the body as a string (what JSON.parse and the peer take)
// and as bytes (what the README's handler holds: the raw body it verified), over the corpus as
// stored (pretty-printed) and minified (as Meta sends deliveries).
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { WhatsAppAPI } from "whatsapp-api-js";
import * as w from "wagroups";
import * as wh from "wagroups/webhooks";

const fixtures = process.argv[2];
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
// Deliveries written elsewhere: Meta's own webhook examples (one per message type), vendored.
const meta = JSON.parse(readFileSync(join(fixtures, "../../vendor/meta-openapi/webhook-examples.json"), "utf8")).deliveries.map((d) => d.body);
const metaMinified = meta.map((b) => JSON.stringify(JSON.parse(b)));
const metaMinifiedBytes = metaMinified.map((b) => new TextEncoder().encode(b));
const secret = "6f1d2c9a8b7e4f3a0c5d9e8b7a6f5c41";
const sign = (b) => "sha256=" + createHmac("sha256", secret).update(b).digest("hex");
// JSON.parse refuses nothing here that wagroups accepts, and the peer is given what it parses.
const parsable = bodies.filter((b) => { try { JSON.parse(b); return true; } catch { return false; } });
const parsableSigs = parsable.map(sign);
const encoder = new TextEncoder();
const parsableBytes = parsable.map((b) => encoder.encode(b));
const minified = parsable.map((b) => JSON.stringify(JSON.parse(b)));
const minifiedBytes = minified.map((b) => encoder.encode(b));
const minifiedSigs = minified.map(sign);

// The peer, as its README sets it up: handlers for messages and statuses, no network.
let peerTyped = 0;
const handlers = (api) => {
  api.on.message = () => { peerTyped++; };
  api.on.status = () => { peerTyped++; };
  return api;
};
const peerUnsigned = handlers(new WhatsAppAPI({ token: "t", secure: false, v: "v24.0" }));
const peerSigned = handlers(new WhatsAppAPI({ token: "t", appSecret: secret, v: "v24.0" }));
const peerPost = async (api, body, signature) => {
  try {
    await (signature ? api.post(JSON.parse(body), body, signature) : api.post(JSON.parse(body)));
  } catch {
    // it throws on deliveries it does not know (most group fields)
  }
};

// How many deliveries each side turns into typed values, and how many items.
let oursTyped = 0;
for (const b of parsable) oursTyped += w.parseWebhook(b).events.filter((e) => e.type !== "unknown").length;
peerTyped = 0;
for (const b of parsable) await peerPost(peerUnsigned, b);
const peerTypedItems = peerTyped;

// Interleaved rounds: every task runs once per round, its time divided by its baseline's in the
// same round, so that a slower or faster moment of the machine moves both. Reported: the median
// of the per-round ratios, and the median time per pass over the corpus.
const tasks = {
  "JSON.parse": () => { for (const b of parsable) JSON.parse(b); },
  "JSON.parse (minified)": () => { for (const b of minified) JSON.parse(b); },
  "wagroups parseWebhook": () => { for (const b of parsable) w.parseWebhook(b); },
  "wagroups parseWebhook (bytes)": () => { for (const b of parsableBytes) w.parseWebhook(b); },
  "wagroups parseWebhook (minified)": () => { for (const b of minified) w.parseWebhook(b); },
  "wagroups parseWebhook (minified bytes)": () => { for (const b of minifiedBytes) w.parseWebhook(b); },
  "wagroups/webhooks parseWebhook": () => { for (const b of parsable) wh.parseWebhook(b); },
  "wagroups/webhooks parseWebhook (minified bytes)": () => { for (const b of minifiedBytes) wh.parseWebhook(b); },
  "whatsapp-api-js post()": async () => { for (const b of parsable) await peerPost(peerUnsigned, b); },
  "JSON.parse (Meta's examples)": () => { for (const b of meta) JSON.parse(b); },
  "JSON.parse (Meta's examples, minified)": () => { for (const b of metaMinified) JSON.parse(b); },
  "wagroups/webhooks parseWebhook (Meta's examples)": () => { for (const b of meta) wh.parseWebhook(b); },
  "wagroups/webhooks parseWebhook (Meta's examples, minified bytes)": () => { for (const b of metaMinifiedBytes) wh.parseWebhook(b); },
  "whatsapp-api-js post() (Meta's examples)": async () => { for (const b of meta) await peerPost(peerUnsigned, b); },
  "wagroups verifySignature + parseWebhook": () => {
    parsable.forEach((b, i) => { w.verifySignature(b, parsableSigs[i], secret); w.parseWebhook(b); });
  },
  "wagroups verifySignature + parseWebhook (bytes)": () => {
    parsableBytes.forEach((b, i) => { w.verifySignature(b, parsableSigs[i], secret); w.parseWebhook(b); });
  },
  "wagroups verifySignature + parseWebhook (minified bytes)": () => {
    minifiedBytes.forEach((b, i) => { w.verifySignature(b, minifiedSigs[i], secret); w.parseWebhook(b); });
  },
  "wagroups/webhooks verifySignature + parseWebhook (bytes)": () => {
    parsableBytes.forEach((b, i) => { wh.verifySignature(b, parsableSigs[i], secret); wh.parseWebhook(b); });
  },
  // The same in one call, as a webhook endpoint does it (what webhookHandler runs).
  "wagroups/webhooks receive (signed POST, bytes)": () => {
    parsableBytes.forEach((b, i) => wh.receive("POST", "", { "x-hub-signature-256": parsableSigs[i] }, b, { appSecret: secret }));
  },
  "whatsapp-api-js signed post()": async () => {
    for (const b of parsable) await peerPost(peerSigned, b, sign(b));
  },
  "wagroups verifySignature (largest body)": () => w.verifySignature(big, bigSig, secret),
  "node:crypto createHmac + timingSafeEqual": () => {
    const d = createHmac("sha256", secret).update(big).digest();
    timingSafeEqual(d, Buffer.from(bigSig.slice(7), "hex"));
  },
};
const big = parsable.reduce((a, b) => (b.length > a.length ? b : a));
const bigSig = sign(big);
const rounds = 25;
const passes = 20;
const times = Object.fromEntries(Object.keys(tasks).map((name) => [name, []]));
for (let round = -3; round < rounds; round++) {
  for (const [name, task] of Object.entries(tasks)) {
    const t = performance.now();
    for (let i = 0; i < passes; i++) await task();
    // The first rounds warm every task up (and tier the wasm up); they are not counted.
    if (round >= 0) times[name].push((performance.now() - t) / passes);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const row = (a, b) => {
  const ratio = median(times[a].map((t, i) => t / times[b][i]));
  console.log(`${a.padEnd(64)} ${(median(times[a]) * 1000).toFixed(1).padStart(8)} µs  vs ${b.padEnd(40)} ${(median(times[b]) * 1000).toFixed(1).padStart(8)} µs  ratio ${ratio.toFixed(2)}x`);
};
console.log(`corpus: ${parsable.length} deliveries, ${parsable.reduce((n, b) => n + b.length, 0)} bytes; minified ${minified.reduce((n, b) => n + b.length, 0)} bytes; Meta's examples: ${meta.length} deliveries, ${meta.reduce((n, b) => n + b.length, 0)} bytes`);
console.log(`typed items: wagroups ${oursTyped}, whatsapp-api-js ${peerTypedItems} (it handles messages and statuses only, one per call)`);
console.log(`${rounds} interleaved rounds of ${passes} passes over the corpus each:`);
row("wagroups parseWebhook", "JSON.parse");
row("wagroups parseWebhook (bytes)", "JSON.parse");
row("wagroups parseWebhook (minified)", "JSON.parse (minified)");
row("wagroups parseWebhook (minified bytes)", "JSON.parse (minified)");
row("wagroups/webhooks parseWebhook", "JSON.parse");
row("wagroups/webhooks parseWebhook (minified bytes)", "JSON.parse (minified)");
row("wagroups parseWebhook", "whatsapp-api-js post()");
row("wagroups/webhooks parseWebhook (Meta's examples)", "JSON.parse (Meta's examples)");
row("wagroups/webhooks parseWebhook (Meta's examples, minified bytes)", "JSON.parse (Meta's examples, minified)");
row("wagroups/webhooks parseWebhook (Meta's examples)", "whatsapp-api-js post() (Meta's examples)");
row("wagroups verifySignature + parseWebhook", "JSON.parse");
row("wagroups verifySignature + parseWebhook (bytes)", "JSON.parse");
row("wagroups verifySignature + parseWebhook (minified bytes)", "JSON.parse (minified)");
row("wagroups/webhooks verifySignature + parseWebhook (bytes)", "JSON.parse");
row("wagroups/webhooks receive (signed POST, bytes)", "JSON.parse");
row("wagroups verifySignature + parseWebhook", "whatsapp-api-js signed post()");
row("wagroups verifySignature (largest body)", "node:crypto createHmac + timingSafeEqual");
