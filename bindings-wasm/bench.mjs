// Benchmarks of the npm package (a script, not a test), run from a project that installed the
// tarball (make bench-npm), with ratios against baselines measured in the same run:
// - parseWebhook vs JSON.parse of the same bodies, and vs whatsapp-api-js's post() (the peer,
//   given JSON.parse(body) as its docs show, unsigned);
// - verifySignature + parseWebhook vs JSON.parse, and vs the peer's signed post();
// - verifySignature vs node:crypto; module instantiation.
// Each wagroups row is measured with the body as a string (what JSON.parse and the peer take)
// and as bytes (what the README's handler holds: the raw body it verified), over the corpus as
// stored (pretty-printed) and minified (as Meta sends deliveries).
import { createHmac, timingSafeEqual } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { Bench } from "tinybench";
import { WhatsAppAPI } from "whatsapp-api-js";
import * as w from "wagroups";

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
const peerUnsigned = handlers(new WhatsAppAPI({ token: "t", secure: false }));
const peerSigned = handlers(new WhatsAppAPI({ token: "t", appSecret: secret }));
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

const bench = new Bench({ time: 2000 });
bench
  .add("JSON.parse", () => { for (const b of parsable) JSON.parse(b); })
  .add("wagroups parseWebhook", () => { for (const b of parsable) w.parseWebhook(b); })
  .add("wagroups parseWebhook (bytes)", () => { for (const b of parsableBytes) w.parseWebhook(b); })
  .add("JSON.parse (minified)", () => { for (const b of minified) JSON.parse(b); })
  .add("wagroups parseWebhook (minified)", () => { for (const b of minified) w.parseWebhook(b); })
  .add("wagroups parseWebhook (minified bytes)", () => { for (const b of minifiedBytes) w.parseWebhook(b); })
  .add("whatsapp-api-js post()", async () => { for (const b of parsable) await peerPost(peerUnsigned, b); })
  .add("wagroups verifySignature + parseWebhook", () => {
    parsable.forEach((b, i) => { w.verifySignature(b, parsableSigs[i], secret); w.parseWebhook(b); });
  })
  .add("wagroups verifySignature + parseWebhook (bytes)", () => {
    parsableBytes.forEach((b, i) => { w.verifySignature(b, parsableSigs[i], secret); w.parseWebhook(b); });
  })
  .add("wagroups verifySignature + parseWebhook (minified bytes)", () => {
    minifiedBytes.forEach((b, i) => { w.verifySignature(b, minifiedSigs[i], secret); w.parseWebhook(b); });
  })
  .add("whatsapp-api-js signed post()", async () => {
    for (const b of parsable) await peerPost(peerSigned, b, sign(b));
  })
  .add("wagroups verifySignature (largest body)", () => w.verifySignature(big, bigSig, secret))
  .add("node:crypto createHmac + timingSafeEqual", () => {
    const d = createHmac("sha256", secret).update(big).digest();
    timingSafeEqual(d, Buffer.from(bigSig.slice(7), "hex"));
  });
const big = parsable.reduce((a, b) => (b.length > a.length ? b : a));
const bigSig = sign(big);
await bench.run();
const mean = (name) => bench.tasks.find((t) => t.name === name).result.latency.mean;
const row = (a, b) => console.log(`${a.padEnd(56)} ${(mean(a) * 1000).toFixed(1).padStart(9)} µs  vs ${b.padEnd(40)} ${(mean(b) * 1000).toFixed(1).padStart(9)} µs  ratio ${(mean(a) / mean(b)).toFixed(2)}x`);
console.log(`corpus: ${parsable.length} deliveries, ${parsable.reduce((n, b) => n + b.length, 0)} bytes`);
console.log(`typed items: wagroups ${oursTyped}, whatsapp-api-js ${peerTypedItems} (it handles messages and statuses only, one per call)`);
console.log(`minified: ${minified.reduce((n, b) => n + b.length, 0)} bytes`);
row("wagroups parseWebhook", "JSON.parse");
row("wagroups parseWebhook (bytes)", "JSON.parse");
row("wagroups parseWebhook (minified)", "JSON.parse (minified)");
row("wagroups parseWebhook (minified bytes)", "JSON.parse (minified)");
row("wagroups parseWebhook", "whatsapp-api-js post()");
row("wagroups verifySignature + parseWebhook", "JSON.parse");
row("wagroups verifySignature + parseWebhook (bytes)", "JSON.parse");
row("wagroups verifySignature + parseWebhook (minified bytes)", "JSON.parse (minified)");
row("wagroups verifySignature + parseWebhook", "whatsapp-api-js signed post()");
row("wagroups verifySignature (largest body)", "node:crypto createHmac + timingSafeEqual");

// Module instantiation: a fresh Node process importing the package, minus one importing nothing.
const time = (code) => {
  const runs = Array.from({ length: 7 }, () => Number(execFileSync("node", ["--input-type=module", "-e", code]).toString()));
  return runs.sort((a, b) => a - b)[3];
};
const withPkg = time('const t = performance.now(); await import("wagroups"); console.log(performance.now() - t)');
const empty = time('const t = performance.now(); await import("node:path"); console.log(performance.now() - t)');
console.log(`import + instantiate the module: ${(withPkg - empty).toFixed(1)} ms (median of 7 fresh processes)`);
